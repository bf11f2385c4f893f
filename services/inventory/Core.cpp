#include "inventory/Core.h"

#include "store/ChangeLog.h"
#include "store/ExternalChangeSource.h"
#include "store/OperationJournal.h"
#include "store/StoreMeta.h"

#include <QUuid>

#include <QDir>
#include <QStandardPaths>

namespace chom {

Core::Core(std::shared_ptr<Store> store)
    : m_store(std::move(store)), m_tenants(*m_store, m_notifier), m_sites(*m_store, m_notifier),
      m_vps(*m_store, m_notifier), m_dashboard(*m_store, m_notifier), m_operations(*m_store),
      m_audit(*m_store)
{
    m_origin = OperationJournal::currentOwner() + QLatin1Char(':') +
               QUuid::createUuid().toString(QUuid::Id128).left(8);
    // Runs on the writing thread, after its commit: one small insert that lets
    // the other processes on this store refresh. A failure costs them only
    // freshness, never this write.
    Store* st = m_store.get();
    const QString origin = m_origin;
    m_notifier.setPublisher([st, origin](ChangeNotifier::Entity e, const QVector<Id>& ids) {
        if (auto w = ChangeLog(*st).append(origin, e, ids); !w)
            qWarning("chom: change not recorded for other processes: %s",
                     qPrintable(w.errorMessage()));
    });
}

Core::~Core() = default;

void Core::watchExternalChanges(int intervalMs)
{
    if (!m_external)
        m_external =
            std::make_unique<ExternalChangeSource>(*m_store, m_notifier, m_origin, intervalMs);
}

Result<std::unique_ptr<Core>> Core::open(const StoreConfig& config)
{
    auto store = Store::open(config);
    if (!store)
        return store.error();
    return std::unique_ptr<Core>(new Core(store.value()));
}

bool Core::isDemo()
{
    auto v = StoreMeta(*m_store).get(StoreMeta::demoKey());
    return v && !v.value().isEmpty();
}

QString resolveDataDir(const QString& explicitDir)
{
    if (!explicitDir.isEmpty())
        return QDir(explicitDir).absolutePath();
    const QString env = qEnvironmentVariable("CHOM_DATA_DIR");
    if (!env.isEmpty())
        return QDir(env).absolutePath();
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return base + QStringLiteral("/chom-console");
}

StoreConfig sqliteConfigFor(const QString& dataDir)
{
    StoreConfig c;
    c.driver = QStringLiteral("QSQLITE");
    c.path = dataDir + QStringLiteral("/chom.sqlite");
    return c;
}

Result<StoreConfig> resolveStoreConfig(const QString& storeUrl, const QString& dataDir)
{
    const QString url = storeUrl.isEmpty() ? qEnvironmentVariable("CHOM_STORE") : storeUrl;
    if (url.isEmpty())
        return sqliteConfigFor(dataDir);
    return StoreConfig::fromUrl(url);
}

QString describeStore(const StoreConfig& config)
{
    if (config.driver != QLatin1String("QPSQL"))
        return config.path;
    return QStringLiteral("postgresql://%1@%2:%3/%4")
        .arg(config.user, config.host)
        .arg(config.port)
        .arg(config.database);
}

} // namespace chom
