#pragma once

#include <QFrame>
#include <QTimer>

class QLabel;
class QProgressBar;
class QToolButton;

namespace chom {

// A one-line banner above the pages for results and errors that must not
// block the operator (no modal boxes except confirmations). A "busy" notice
// stays, with an indeterminate bar, until clearBusy().
class NoticeBar : public QFrame
{
    Q_OBJECT
public:
    explicit NoticeBar(QWidget* parent = nullptr);

    void showInfo(const QString& text);
    void showError(const QString& text);
    void showBusy(const QString& text);
    void clearBusy();
    QString text() const;

private:
    void present(const QString& kind, const QString& text, int hideAfterMs);

    QLabel* m_text;
    QProgressBar* m_busy;
    QToolButton* m_close;
    QTimer m_hide;
    bool m_isBusy = false;
};

} // namespace chom
