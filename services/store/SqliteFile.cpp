#include "store/SqliteFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

namespace chom::sqlitefile {
namespace {

Error storeError(const QString& message)
{
    return makeError(QStringLiteral("store"), message);
}

QString tr(const char* text)
{
    return QCoreApplication::translate("chom::Store", text);
}

} // namespace

Status refuseEmpty(const QString& path)
{
    const QFileInfo fi(path);
    if (!fi.exists() || !fi.isFile() || fi.size() > 0)
        return okStatus();
    return makeError(ErrorKind::Store, QStringLiteral("store_corrupt"),
                     tr("The store %1 exists but is empty (0 bytes), as a truncated copy would "
                        "be; it was left untouched. Move it away to start a new store, or "
                        "restore a backup.")
                         .arg(path));
}

void configure(QSqlDatabase& db, const QString& path, bool readOnly)
{
    if (readOnly && !QFileInfo(QFileInfo(path).absolutePath()).isWritable()) {
        db.setDatabaseName(QUrl::fromLocalFile(path).toString(QUrl::FullyEncoded) +
                           QStringLiteral("?mode=ro&immutable=1"));
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_URI;QSQLITE_OPEN_READONLY"));
        return;
    }
    db.setDatabaseName(path);
    db.setConnectOptions(readOnly
                             ? QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000;QSQLITE_OPEN_READONLY")
                             : QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
}

Result<std::unique_ptr<QLockFile>> prepare(const QString& path)
{
    const QFileInfo fi(path);
    const QString dir = fi.absolutePath();
    if (!QFileInfo::exists(dir)) {
        if (!QDir().mkpath(dir))
            return storeError(tr("Cannot create the data directory %1.").arg(dir));
        QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    auto lock = std::make_unique<QLockFile>(path + QStringLiteral(".init-lock"));
    if (!lock->tryLock(10000))
        return storeError(
            tr("Another process keeps the store %1 locked while creating it.").arg(path));
    if (auto st = refuseEmpty(path); !st) // as the file is under the lock
        return st.error();
    if (QFileInfo::exists(path))
        return std::unique_ptr<QLockFile>(); // nothing to initialise: no lock needed
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return storeError(tr("Cannot create the store %1: %2").arg(path, f.errorString()));
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    return lock;
}

} // namespace chom::sqlitefile
