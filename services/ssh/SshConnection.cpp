#include "ssh/SshConnection.h"

#include "ssh/LoginShell.h"
#include "ssh/ServeChannel.h"
#include "store/HostKeyStore.h"

#include <QElapsedTimer>

#include <libssh/libssh.h>

namespace chom {
namespace {

QString lastError(ssh_session s)
{
    return QString::fromUtf8(ssh_get_error(s)).trimmed();
}

void setTimeout(ssh_session s, int ms)
{
    long secs = ms / 1000;
    long usec = (ms % 1000) * 1000;
    ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &secs);
    ssh_options_set(s, SSH_OPTIONS_TIMEOUT_USEC, &usec);
}

struct KeyInfo
{
    QString type, base64, fingerprint;
};

KeyInfo describeServerKey(ssh_session s)
{
    KeyInfo info;
    ssh_key key = nullptr;
    if (ssh_get_server_publickey(s, &key) != SSH_OK || !key)
        return info;
    info.type = QString::fromLatin1(ssh_key_type_to_char(ssh_key_type(key)));
    char* b64 = nullptr;
    if (ssh_pki_export_pubkey_base64(key, &b64) == SSH_OK) {
        info.base64 = QString::fromLatin1(b64);
        ssh_string_free_char(b64);
    }
    unsigned char* hash = nullptr;
    size_t len = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) == 0) {
        char* fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
        info.fingerprint = QString::fromLatin1(fp); // "SHA256:…" as OpenSSH prints it
        ssh_string_free_char(fp);
        ssh_clean_pubkey_hash(&hash);
    }
    ssh_key_free(key);
    return info;
}

} // namespace

SshErrorKind classifyConnectError(const QString& m)
{
    if (m.contains(QLatin1String("resolve"), Qt::CaseInsensitive) ||
        m.contains(QLatin1String("Name or service"), Qt::CaseInsensitive))
        return SshErrorKind::Resolve;
    if (m.contains(QLatin1String("refused"), Qt::CaseInsensitive) ||
        m.contains(QLatin1String("unreachable"), Qt::CaseInsensitive) ||
        m.contains(QLatin1String("No route"), Qt::CaseInsensitive))
        return SshErrorKind::Refused;
    if (m.contains(QLatin1String("imeout"), Qt::CaseInsensitive) ||
        m.contains(QLatin1String("timed out"), Qt::CaseInsensitive))
        return SshErrorKind::Timeout;
    return SshErrorKind::Disconnected;
}

bool sameFingerprint(const QString& a, const QString& b)
{
    auto bare = [](QString f) {
        f = f.trimmed();
        if (f.startsWith(QLatin1String("SHA256:"), Qt::CaseInsensitive))
            f.remove(0, 7);
        while (f.endsWith(QLatin1Char('=')))
            f.chop(1);
        return f;
    };
    const QString x = bare(a);
    return !x.isEmpty() && x == bare(b);
}

SshConnection::SshConnection(SshTarget target, SshIdentity identity, PassphraseProvider passphrase)
    : m_target(std::move(target)), m_identity(std::move(identity)),
      m_passphrase(std::move(passphrase))
{
}

SshConnection::~SshConnection()
{
    m_serve.reset();
    if (m_session) {
        if (ssh_is_connected(m_session))
            ssh_disconnect(m_session);
        ssh_free(m_session);
    }
}

SshResult SshConnection::failure(SshErrorKind kind, const QString& what) const
{
    SshResult r;
    r.error = kind;
    r.message = QStringLiteral("%1: %2").arg(m_target.key(), what);
    r.fingerprint = m_fingerprint;
    return r;
}

bool SshConnection::isAlive() const
{
    return m_session && ssh_is_connected(m_session);
}

void SshConnection::keepalive()
{
    // An SSH_MSG_IGNORE keeps NAT/firewall state warm and surfaces a dead
    // peer as a write error on the next use.
    if (isAlive())
        ssh_send_ignore(m_session, "keepalive");
}

SshResult SshConnection::open(const SshTimeouts& t, HostKeyStore& known,
                              const HostKeyPolicy& policy)
{
    m_session = ssh_new();
    if (!m_session)
        return failure(SshErrorKind::Internal, QStringLiteral("cannot allocate an SSH session"));
    const QByteArray host = m_target.host.toUtf8(), user = m_target.user.toUtf8();
    unsigned int port = unsigned(m_target.port);
    int yes = 1;
    bool no = false;
    ssh_options_set(m_session, SSH_OPTIONS_HOST, host.constData());
    ssh_options_set(m_session, SSH_OPTIONS_PORT, &port);
    ssh_options_set(m_session, SSH_OPTIONS_USER, user.constData());
    // Without NODELAY every round trip pays Nagle + delayed ACK (~40 ms).
    ssh_options_set(m_session, SSH_OPTIONS_NODELAY, &yes);
    // Our own known-hosts store decides; ~/.ssh/config must not change behaviour.
    ssh_options_set(m_session, SSH_OPTIONS_PROCESS_CONFIG, &no);
    ssh_options_set(m_session, SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
    ssh_options_set(m_session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
    setTimeout(m_session, t.connectMs);
    m_channelTimeoutMs = t.connectMs;
    if (ssh_connect(m_session) != SSH_OK) {
        const QString e = lastError(m_session);
        return failure(classifyConnectError(e),
                       e.isEmpty() ? QStringLiteral("connection failed") : e);
    }
    auto hk = verifyHostKey(known, policy);
    if (hk.error != SshErrorKind::None)
        return hk;
    setTimeout(m_session, t.authMs);
    auto auth = authenticate();
    setTimeout(m_session, t.connectMs);
    if (auth.error != SshErrorKind::None)
        return auth;
    if (const Status shell = loginshell::check(m_session, t.connectMs); !shell)
        return failure(SshErrorKind::UnsupportedShell, shell.error().message);
    return auth;
}

SshResult SshConnection::verifyHostKey(HostKeyStore& known, const HostKeyPolicy& policy)
{
    const KeyInfo key = describeServerKey(m_session);
    m_fingerprint = key.fingerprint;
    if (key.base64.isEmpty())
        return failure(SshErrorKind::Internal,
                       QStringLiteral("the server sent no usable host key"));
    auto stored = known.lookup(m_target.host, m_target.port);
    if (!stored)
        return failure(SshErrorKind::Internal, stored.error().message);
    const KnownHost presented{
        m_target.host, m_target.port, key.type, key.base64, key.fingerprint, 0, {}};
    if (!policy.expectedFingerprint.isEmpty()) {
        if (!sameFingerprint(policy.expectedFingerprint, key.fingerprint)) {
            SshResult r = failure(SshErrorKind::HostKeyChanged,
                                  QStringLiteral("the server presents %1 (%2), not the expected "
                                                 "%3; nothing was trusted")
                                      .arg(key.fingerprint, key.type, policy.expectedFingerprint));
            r.oldFingerprint = stored.value() ? stored.value()->fingerprint : QString();
            return r;
        }
        if (stored.value() && stored.value()->keyBase64 == key.base64)
            return {};
        // The pin is replaced only now, after the handshake showed this key.
        if (auto st = known.trust(presented); !st)
            return failure(SshErrorKind::Internal, st.error().message);
        return {};
    }
    if (!stored.value()) {
        if (!policy.trustNew) {
            SshResult r = failure(
                SshErrorKind::HostKeyUnknown,
                QStringLiteral("first contact; the host key %1 (%2) is not trusted yet. Verify "
                               "it out of band, then trust it.")
                    .arg(key.fingerprint, key.type));
            return r;
        }
        auto st = known.trust(presented);
        if (!st)
            return failure(SshErrorKind::Internal, st.error().message);
        return {};
    }
    const KnownHost& k = *stored.value();
    if (k.keyBase64 != key.base64) {
        SshResult r = failure(
            SshErrorKind::HostKeyChanged,
            QStringLiteral(
                "HOST KEY CHANGED — refused. Trusted: %1 (%2); now offered: %3 (%4). If the "
                "server was reinstalled, verify the new key and re-trust it explicitly "
                "(VPS Fleet → Trust host key, or chomctl vps trust ID --fingerprint SHA256:…).")
                .arg(k.fingerprint, k.keyType, key.fingerprint, key.type));
        r.oldFingerprint = k.fingerprint;
        return r;
    }
    return {};
}

SshResult SshConnection::authenticate()
{
    int rc = SSH_AUTH_DENIED;
    if (m_identity.useAgent) {
        rc = ssh_userauth_agent(m_session, nullptr);
    } else {
        ssh_key key = nullptr;
        auto import = [&](const QByteArray& pass) {
            const char* p = pass.isEmpty() ? nullptr : pass.constData();
            if (!m_identity.privateKeyText.isEmpty())
                return ssh_pki_import_privkey_base64(m_identity.privateKeyText.constData(), p,
                                                     nullptr, nullptr, &key);
            return ssh_pki_import_privkey_file(m_identity.privateKeyPath.toLocal8Bit().constData(),
                                               p, nullptr, nullptr, &key);
        };
        if (import({}) != SSH_OK) {
            const QString pass = m_passphrase ? m_passphrase(m_identity.name) : QString();
            if (pass.isEmpty() || import(pass.toUtf8()) != SSH_OK)
                return failure(
                    SshErrorKind::AuthFailed,
                    pass.isEmpty()
                        ? QStringLiteral("the private key %1 is encrypted or unreadable and "
                                         "no passphrase was given")
                              .arg(m_identity.name)
                        : QStringLiteral("wrong passphrase for %1").arg(m_identity.name));
        }
        rc = ssh_userauth_publickey(m_session, nullptr, key);
        ssh_key_free(key);
    }
    if (rc == SSH_AUTH_SUCCESS)
        return {};
    if (rc == SSH_AUTH_ERROR) {
        const QString e = lastError(m_session);
        return failure(classifyConnectError(e) == SshErrorKind::Timeout
                           ? SshErrorKind::Timeout
                           : SshErrorKind::Disconnected,
                       QStringLiteral("authentication broke off: %1").arg(e));
    }
    return failure(
        SshErrorKind::AuthFailed,
        QStringLiteral("the server refused key authentication for user %1").arg(m_target.user));
}

} // namespace chom
