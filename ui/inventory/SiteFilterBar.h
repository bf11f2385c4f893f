#pragma once

#include "Domain.h"

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPushButton;

namespace chom {

class SiteFilterProxy;

// Search box and filters over a SiteFilterProxy. Typing is debounced (the
// timer restarts per keystroke) so 100k rows are filtered once per pause,
// not once per character; Enter applies at once.
class SiteFilterBar : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kSearchDebounceMs = 300;

    explicit SiteFilterBar(SiteFilterProxy& proxy, QWidget* parent = nullptr);

    // The choices, by id and name; listed by name.
    void setTenants(const QHash<Id, QString>& tenants);
    void setServers(const QHash<Id, QString>& servers);
    void focusSearch();
    void clearAll();

private:
    void applySearch();
    static void refill(QComboBox* box, const QString& anyText,
                       const QVector<QPair<Id, QString>>& items);

    SiteFilterProxy& m_proxy;
    QLineEdit* m_search;
    QComboBox* m_status;
    QComboBox* m_type;
    QComboBox* m_vps;
    QComboBox* m_tenant;
    QCheckBox* m_sslExpiring;
    QPushButton* m_clear;
    QTimer m_debounce;
};

} // namespace chom
