#pragma once

#include "observability/AlertWatcher.h"

#include <QPair>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QSystemTrayIcon;
class QTableWidget;

namespace chom {

// Firing Prometheus alerts (name, severity, tenant, instance, since, summary)
// from an AlertWatcher, filtered by tenant, and one desktop notification per
// newly firing alert: QSystemTrayIcon::showMessage when a tray exists, else
// noticeRequested() (the page shows it in its notice banner). Tests replace
// the delivery with setNotifier() and count with notificationCount().
class AlertsPanel : public QWidget
{
    Q_OBJECT
public:
    using Notifier = std::function<void(const QString& title, const QString& text)>;

    explicit AlertsPanel(metrics::AlertWatcher& watcher, QWidget* parent = nullptr);

    // (tenant id, name) pairs for the filter and the tenant column.
    void setTenants(const QVector<QPair<QString, QString>>& tenants);
    void setNotifier(Notifier notifier) { m_notifier = std::move(notifier); }
    int notificationCount() const { return m_notifications; }

    QComboBox* tenantFilter() const { return m_tenant; }
    QTableWidget* table() const { return m_table; }
    QString statusText() const;

    static QString notificationText(const metrics::Alert& alert);

Q_SIGNALS:
    void noticeRequested(const QString& text); // no system tray: for the page banner

private:
    void rebuild();
    void fillTenantFilter();
    void notify(const metrics::Alert& alert);
    QString tenantName(const QString& id) const;

    metrics::AlertWatcher& m_watcher;
    QComboBox* m_tenant;
    QTableWidget* m_table;
    QLabel* m_status;
    QSystemTrayIcon* m_tray = nullptr;
    Notifier m_notifier;
    QVector<QPair<QString, QString>> m_tenants;
    int m_notifications = 0;
};

} // namespace chom
