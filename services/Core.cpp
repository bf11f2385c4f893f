#include "Core.h"

#include "store/StoreMeta.h"

#include <QDir>
#include <QStandardPaths>

namespace chom {

Core::Core(std::shared_ptr<Store> store)
    : m_store(std::move(store)), m_tenants(*m_store, m_notifier), m_sites(*m_store, m_notifier),
      m_vps(*m_store, m_notifier), m_dashboard(*m_store, m_notifier)
{
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

} // namespace chom
