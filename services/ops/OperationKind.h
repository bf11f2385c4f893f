#pragma once

#include "Domain.h"
#include "base/Result.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QVector>

#include <memory>

namespace chom {

class Store;

// The operation types, as journaled in operations.type. Code compares
// against these, never against literals.
namespace optype {
inline const QString kBootstrap = QStringLiteral("vps.bootstrap");
inline const QString kSweep = QStringLiteral("vps.sweep");
inline const QString kTestConnection = QStringLiteral("vps.test_connection");
inline const QString kSiteProvision = QStringLiteral("site.provision");
inline const QString kSiteEnable = QStringLiteral("site.enable");
inline const QString kSiteDisable = QStringLiteral("site.disable");
inline const QString kSiteDelete = QStringLiteral("site.delete");
inline const QString kTenantSites = QStringLiteral("tenant.sites");
inline const QString kSiteCacheClear = QStringLiteral("site.cache_clear");
inline const QString kSiteDbExport = QStringLiteral("site.db_export");
inline const QString kSiteDbOptimize = QStringLiteral("site.db_optimize");
inline const QString kSiteRender = QStringLiteral("site.render");
inline const QString kSitePhp = QStringLiteral("site.php");
inline const QString kSiteSslIssue = QStringLiteral("site.ssl_issue");
inline const QString kSiteSslRenew = QStringLiteral("site.ssl_renew");
inline const QString kSitesCoherency = QStringLiteral("sites.coherency");
inline const QString kSitesBulk = QStringLiteral("sites.bulk");
inline const QString kBackupCreate = QStringLiteral("backup.create");
} // namespace optype

// What one operation type knows about itself: the shape of its input, how
// its step rows read, and whether and how it runs again after a failure,
// a cancel or a crash. The GUI and chomctl ask the kind; neither decides.
class OperationKind
{
public:
    virtual ~OperationKind() = default;
    virtual QString type() const = 0;
    // The input_json schema: a clear error for anything the kind cannot run.
    [[nodiscard]] virtual Status validateInput(const QJsonObject& input) const = 0;
    // A step row as the detail pane names it (default: the part after "type/").
    virtual QString stepLabel(const Operation& step) const;
    // Failed, cancelled and interrupted (a crash) operations can run again;
    // a kind may refuse more (a sweep whose every host completed).
    [[nodiscard]] virtual Status canRetry(const Operation& op,
                                          const QVector<Operation>& steps) const;
    // Starts the retry (or, for an interrupted operation, the resume) from
    // the journaled input and step rows; returns the new operation id.
    [[nodiscard]] virtual Result<Id> retry(const Operation& op, const QJsonObject& input,
                                           const QVector<Operation>& steps) = 0;

    // For kinds whose step i ran on ids[i] (hosts, sites): the ids whose step
    // did not complete (or never started), what a retry runs again.
    static QVector<Id> notCompleted(const QJsonArray& ids, const QVector<Operation>& steps);
    // input[key] as such a kind needs it: a non-empty list of positive ids;
    // `what` names them in the error ("site", "VPS").
    [[nodiscard]] static Status requireIds(const QJsonObject& input, const QString& key,
                                           const QString& what);
};

// The registry: one kind per type. Filled once at start-up, then read-only,
// so any thread may look kinds up.
class OperationKinds
{
public:
    void add(std::unique_ptr<OperationKind> kind);
    const OperationKind* find(const QString& type) const;

    // Retry rules without the step rows (the Retry button's enabled state):
    // a known kind in a retryable status.
    [[nodiscard]] Status canRetry(const Operation& op) const;
    // Reads the operation and its steps from the journal and retries it:
    // not_found, not_retryable (with the reason) or the new operation's id.
    [[nodiscard]] Result<Id> retry(Store& store, Id operationId);

private:
    QHash<QString, std::shared_ptr<OperationKind>> m_kinds;
};

} // namespace chom
