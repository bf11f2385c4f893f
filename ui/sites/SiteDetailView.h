#pragma once

#include "Domain.h"
#include "sites/ServedCertificate.h"

#include <QDialog>

#include <optional>

class QFormLayout;
class QLabel;
class QPushButton;
class QUrl;

namespace chom {

class AppContext;
class ServedCertificatePanel;
class SiteOperationsList;

// One site at a glance: its record, its SSL state and the certificate its
// server serves (handed in with setServedCertificate()), its recent
// operations, and links to the site, its metrics and its logs. Follows
// changes to the site; says so when the site is deleted. Non-modal.
class SiteDetailView : public QDialog
{
    Q_OBJECT
public:
    SiteDetailView(AppContext& ctx, Id siteId, QWidget* parent = nullptr);

    Id siteId() const { return m_siteId; }
    const std::optional<Site>& site() const { return m_site; }
    bool isDeleted() const { return m_deleted; }
    void setServedCertificate(const ServedCertificate& cert);
    ServedCertificatePanel* servedCertificate() const { return m_cert; }
    SiteOperationsList* operations() const { return m_ops; }
    // https:// when SSL is on, else http://.
    static QUrl siteUrl(const Site& s);

Q_SIGNALS:
    void operationRequested(chom::Id operationId);
    void metricsRequested(const QString& domain, chom::Id vpsId);
    void loaded(); // after each read of the record

private:
    QWidget* buildRecord();
    QWidget* buildLinks();
    QLabel* addValue(QFormLayout* form, const QString& label, const QString& objectName);
    void reload();
    void present(const Site& s);
    void presentNames();
    void markDeleted();

    AppContext& m_ctx;
    Id m_siteId;
    std::optional<Site> m_site;
    bool m_deleted = false;
    bool m_reloadAgain = false;
    bool m_reloading = false;
    QLabel* m_title;
    QLabel* m_deletedLabel;
    QLabel* m_tenant = nullptr;
    QLabel* m_vps = nullptr;
    QLabel* m_type = nullptr;
    QLabel* m_php = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_failure = nullptr;
    QLabel* m_attempts = nullptr;
    QLabel* m_root = nullptr;
    QLabel* m_db = nullptr;
    QLabel* m_created = nullptr;
    QLabel* m_updated = nullptr;
    QLabel* m_ssl = nullptr;
    ServedCertificatePanel* m_cert;
    SiteOperationsList* m_ops;
    QPushButton* m_open = nullptr;
    QPushButton* m_metrics = nullptr;
};

} // namespace chom
