#include "backups/BackupPasswords.h"

#include "secrets/SecretStore.h"

#include <QCoreApplication>
#include <QMutex>
#include <QRandomGenerator>

namespace chom {

QString BackupPasswords::secretName(Id vpsId)
{
    return QStringLiteral("backup-repository/vps-%1").arg(vpsId);
}

Result<QString> BackupPasswords::forVps(Id vpsId)
{
    // One maker at a time, so two first backups of a host agree on its
    // password.
    static QMutex making;
    QMutexLocker lock(&making);
    std::unique_ptr<SecretStore> store = m_open ? m_open() : nullptr;
    if (!store)
        return makeError(QStringLiteral("no_secrets"),
                         QCoreApplication::translate("chom::BackupPasswords",
                                                     "No secret store is available for the "
                                                     "backup repository's password."));
    auto existing = store->read(secretName(vpsId));
    if (existing)
        return QString::fromUtf8(existing.value());
    if (existing.error().code != QLatin1String("not_found"))
        return existing.error();
    QByteArray raw(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32*>(raw.data()),
                                         reinterpret_cast<quint32*>(raw.data() + raw.size()));
    const QByteArray password =
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    if (auto st = store->write(secretName(vpsId), password); !st)
        return st.error();
    return QString::fromLatin1(password);
}

} // namespace chom
