#pragma once

// A real PostgreSQL 15 server on loopback for tests, started by
// scripts/services/postgres.sh in a fresh temporary directory on a free port.
// Role "chom" owns database "chom"; authentication is trust, so URLs carry no
// password (except the roles of createPasswordRole()). createDatabase() gives each test case its
// own empty database. Tests QSKIP with unavailableReason() when the Debian package postgresql is
// missing.

#include <QString>
#include <QStringList>

#include <memory>

class QTemporaryDir;

namespace chom::test {

class PostgresFixture
{
public:
    PostgresFixture();
    ~PostgresFixture(); // stop()
    PostgresFixture(const PostgresFixture&) = delete;
    PostgresFixture& operator=(const PostgresFixture&) = delete;

    bool start(); // false + error() on failure (nothing left running)
    void stop();  // idempotent
    bool isRunning() const { return m_port != 0; }

    QString url() const; // postgresql://chom@127.0.0.1:PORT/chom
    quint16 port() const { return m_port; }
    QString dir() const;
    QString error() const { return m_error; }

    // A new empty database owned by chom; its URL, or empty + error().
    // NAME: lower-case letters, digits and '_', not starting with a digit.
    QString createDatabase(const QString& name);
    // A role NAME that must log in with `password` (scram-sha-256 over TCP)
    // and owns database NAME; that URL (no password in it), or empty + error().
    QString createPasswordRole(const QString& name, const QString& password);

    static bool available();
    static QString unavailableReason(); // empty when available()
    static QString scriptPath();

private:
    bool runScript(const QStringList& args, QString* out, int timeoutMs,
                   const QByteArray& input = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace chom::test
