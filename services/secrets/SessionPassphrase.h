#pragma once

#include "secrets/SecretStore.h"

#include <QMutex>
#include <QString>

#include <functional>
#include <optional>

namespace chom {

// The master passphrase of the encrypted secrets file for one run of a
// front-end: asked at most once per session (workers that need it at the
// same time wait for the one prompt), checked against the file (a wrong
// answer is asked again, three times at most), kept in memory only.
// The front-end supplies only the question (`Ask`, blocking the worker,
// never its own thread); the policy lives here.
class SessionPassphrase
{
public:
    // hint: empty, or why the question comes again ("Wrong passphrase…").
    using Ask = std::function<std::optional<QString>(const QString& hint)>;
    static constexpr int kAttempts = 3;

    static SessionPassphrase& instance();

    void setSecretsDir(const QString& dir); // the data directory of this run
    QString secretsDir() const { return dir(); }
    void setAsk(Ask ask);
    // The provider for EncryptedFileSecretStore: the kept value, or asks.
    MasterPassphraseProvider provider();
    QString get(); // on a worker; empty when cancelled or three times wrong
    void forget(); // tests, and a changed data directory
    // Test seam: when set, provider() hands this out instead (no prompt).
    // Production code never sets it.
    void setProviderOverride(MasterPassphraseProvider provider);

private:
    QString dir() const;
    QMutex m_askMutex; // held while asking: concurrent askers wait for one prompt
    QString m_value;
    mutable QMutex m_configMutex; // never held while asking
    QString m_dir;
    Ask m_ask;
    MasterPassphraseProvider m_override;
};

} // namespace chom
