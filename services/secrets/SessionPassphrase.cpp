#include "secrets/SessionPassphrase.h"

#include "secrets/EncryptedFileSecretStore.h"

#include <QCoreApplication>
#include <QFile>

namespace chom {

SessionPassphrase& SessionPassphrase::instance()
{
    static SessionPassphrase s;
    return s;
}

void SessionPassphrase::setSecretsDir(const QString& dir)
{
    QMutexLocker lock(&m_configMutex);
    m_dir = dir;
}

void SessionPassphrase::setAsk(Ask ask)
{
    QMutexLocker lock(&m_configMutex);
    m_ask = std::move(ask);
}

QString SessionPassphrase::dir() const
{
    QMutexLocker lock(&m_configMutex);
    return m_dir;
}

MasterPassphraseProvider SessionPassphrase::provider()
{
    {
        QMutexLocker lock(&m_configMutex);
        if (m_override)
            return m_override;
    }
    return [this] { return get(); };
}

void SessionPassphrase::setProviderOverride(MasterPassphraseProvider provider)
{
    QMutexLocker lock(&m_configMutex);
    m_override = std::move(provider);
}

void SessionPassphrase::forget()
{
    QMutexLocker lock(&m_askMutex);
    m_value.clear();
}

QString SessionPassphrase::get()
{
    QMutexLocker lock(&m_askMutex);
    if (!m_value.isEmpty())
        return m_value;
    Ask ask;
    {
        QMutexLocker config(&m_configMutex);
        ask = m_ask;
    }
    if (!ask)
        return {};
    QString hint;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const std::optional<QString> answer = ask(hint);
        if (!answer || answer->isEmpty())
            return {};
        const QString file = secretsFilePath(dir());
        if (dir().isEmpty() || !QFile::exists(file)) {
            m_value = *answer; // first use: this answer becomes the passphrase
            return m_value;
        }
        const QString candidate = *answer;
        const Status opens = EncryptedFileSecretStore::checkPassphrase(file, candidate);
        if (opens.ok() || opens.error().code != QLatin1String("wrong_passphrase")) {
            m_value = candidate; // it opens the file (or the file's own error will show)
            return m_value;
        }
        hint = QCoreApplication::translate("chom::SessionPassphrase",
                                           "Wrong passphrase, try again.\n\n");
    }
    return {};
}

} // namespace chom
