#pragma once

#include "inventory/Core.h"

#include <QTemporaryDir>

#include <memory>

namespace chom::test {

// A fresh store in its own temp directory, removed with the object.
struct TempCore
{
    QTemporaryDir dir;
    std::unique_ptr<Core> core;

    TempCore();
    QString path() const { return dir.path(); }
    StoreConfig config() const { return sqliteConfigFor(dir.path()); }

    // Convenience fixtures; each fails the calling test via qFatal on error.
    Id addTenant(const QString& name, const QString& tier = QStringLiteral("starter"));
    Id addVps(const QString& hostname, const QString& ip = QStringLiteral("192.0.2.10"));
    Id addSite(Id tenant, const QString& domain, Id vps = 0, qint64 storageMb = 0);
};

} // namespace chom::test
