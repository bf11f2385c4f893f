#pragma once

#include "Domain.h"

#include <QWidget>

class QHBoxLayout;
class QVBoxLayout;

namespace chom {

class AppContext;

// One screen of the main window. Loads its data the first time it is shown
// (startup stays fast), and exposes the actions the window's shortcuts call.
class Page : public QWidget
{
    Q_OBJECT
public:
    enum class Notice
    {
        Info,
        Error
    };
    Q_ENUM(Notice)

    explicit Page(AppContext& ctx, QWidget* parent = nullptr);

    virtual QString title() const = 0;
    virtual void refresh() {}        // F5
    virtual void createNew() {}      // Ctrl+N
    virtual void deleteSelected() {} // Delete
    bool loadStarted() const { return m_loadStarted; }

Q_SIGNALS:
    // Non-blocking message for the operator (the window shows a banner).
    void notice(const QString& text, chom::Page::Notice kind);
    // Show this operation on the Operations page (the window switches there).
    void operationRequested(chom::Id operationId);

protected:
    void showEvent(QShowEvent* event) override;
    virtual void load() {}

    AppContext& ctx() { return m_ctx; }
    void info(const QString& text) { Q_EMIT notice(text, Notice::Info); }
    void error(const QString& text) { Q_EMIT notice(text, Notice::Error); }

    // Adds "Title / subtitle" to `layout`; returns the row so pages can add
    // their actions on the right.
    QHBoxLayout* addHeader(QVBoxLayout* layout, const QString& title, const QString& subtitle);

private:
    AppContext& m_ctx;
    bool m_loadStarted = false;
};

} // namespace chom
