#include "TestStore.h"
#include "store/AuditLog.h"
#include "store/Sql.h"

#include <QtTest>

#include <algorithm>

using namespace chom;
using chom::test::TempCore;

// The chain must expose edits, removals (middle and tail) and reordering.
class TestAudit : public QObject
{
    Q_OBJECT
private:
    static void populate(TempCore& t)
    {
        const Id tenant = t.addTenant(QStringLiteral("Chain"), QStringLiteral("pro"));
        for (int i = 0; i < 4; ++i)
            t.addSite(tenant, QStringLiteral("chain%1.example.com").arg(i));
    }
    static void exec(TempCore& t, const QString& sql)
    {
        QVERIFY2(execSql(t.core->store().db(), sql).ok(), qPrintable(sql));
    }
    static AuditVerification verify(TempCore& t)
    {
        return AuditLog(t.core->store()).verify().value();
    }

private Q_SLOTS:
    void intactChainVerifies()
    {
        TempCore t;
        QVERIFY(verify(t).ok()); // empty chain
        populate(t);
        const auto v = verify(t);
        QVERIFY2(v.ok(), qPrintable(v.problems.join('\n')));
        QCOMPARE(v.checked, 5);
        const auto entries = AuditLog(t.core->store()).recent(10).value();
        QCOMPARE(entries.last().prevHash, AuditLog::genesisHash());
        QCOMPARE(entries[0].prevHash, entries[1].hash);
    }

    void tamper_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("edit details")
            << "UPDATE audit_log SET details = 'domain=evil.example.com' WHERE id = 3"
            << "#3";
        QTest::newRow("edit actor") << "UPDATE audit_log SET actor = 'someone-else' WHERE id = 2"
                                    << "#2";
        QTest::newRow("edit time")
            << "UPDATE audit_log SET created_at = created_at - 3600 WHERE id = 4"
            << "#4";
        QTest::newRow("remove middle") << "DELETE FROM audit_log WHERE id = 2"
                                       << "#3";
        QTest::newRow("remove first") << "DELETE FROM audit_log WHERE id = 1"
                                      << "#2";
        QTest::newRow("remove last") << "DELETE FROM audit_log WHERE id = 5"
                                     << "removed";
        // Swap the contents (and hashes) of two rows: ids keep their order.
        QTest::newRow("reorder")
            << "UPDATE audit_log SET created_at = (SELECT created_at FROM audit_log a WHERE a.id = "
               "7 - audit_log.id), "
               "actor = (SELECT actor FROM audit_log a WHERE a.id = 7 - audit_log.id), "
               "action = (SELECT action FROM audit_log a WHERE a.id = 7 - audit_log.id), "
               "target_type = (SELECT target_type FROM audit_log a WHERE a.id = 7 - audit_log.id), "
               "target_id = (SELECT target_id FROM audit_log a WHERE a.id = 7 - audit_log.id), "
               "details = (SELECT details FROM audit_log a WHERE a.id = 7 - audit_log.id), "
               "prev_hash = (SELECT prev_hash FROM audit_log a WHERE a.id = 7 - audit_log.id), "
               "hash = (SELECT hash FROM audit_log a WHERE a.id = 7 - audit_log.id) WHERE id IN "
               "(3, 4)"
            << "#3";
        QTest::newRow("renumber") << "UPDATE audit_log SET id = id + 100 WHERE id = 5"
                                  << "#105";
    }
    void tamper()
    {
        QFETCH(QString, sql);
        QFETCH(QString, mentions);
        TempCore t;
        populate(t);
        QVERIFY(verify(t).ok());
        exec(t, sql);
        const auto v = verify(t);
        QVERIFY2(!v.ok(), qPrintable(sql));
        QVERIFY2(v.problems.join('\n').contains(mentions), qPrintable(v.problems.join('\n')));
    }

    // The first encoding joined fields with 0x1f, so text could move across
    // a boundary without changing the hash; the current one cannot.
    void fieldBoundariesAreUnambiguous()
    {
        AuditEntry a;
        a.id = 7;
        a.createdAt = 1700000000;
        a.actor = QStringLiteral("alice");
        a.action = QStringLiteral("site.deleted") + QChar(0x1f) + QStringLiteral("site");
        a.targetType = QStringLiteral("42");
        AuditEntry b = a;
        b.action = QStringLiteral("site.deleted");
        b.targetType = QStringLiteral("site") + QChar(0x1f) + QStringLiteral("42");
        const QString prev = AuditLog::genesisHash();
        QCOMPARE(AuditLog::hashV1(prev, a), AuditLog::hashV1(prev, b)); // the old flaw
        QVERIFY(AuditLog::hashOf(prev, a) != AuditLog::hashOf(prev, b));
        QVERIFY(AuditLog::hashOf(prev, a).startsWith(QLatin1String("v2:")));
    }

    // Entries written under the first encoding still verify; new ones use
    // the current one; an entry rewritten back to the old one is caught.
    void oldEntriesVerifyUnderTheirEncoding()
    {
        TempCore t;
        populate(t);
        auto& db = t.core->store();
        // Rewrite the whole chain as the first encoding would have written it.
        auto rows = AuditLog(db).recent(100).value();
        std::reverse(rows.begin(), rows.end());
        QString prev = AuditLog::genesisHash();
        for (AuditEntry& e : rows) {
            e.prevHash = prev;
            e.hash = AuditLog::hashV1(prev, e);
            QVERIFY(
                execSql(db.db(),
                        QStringLiteral("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?"),
                        {e.prevHash, e.hash, e.id})
                    .ok());
            prev = e.hash;
        }
        QVERIFY(execSql(db.db(),
                        QStringLiteral("UPDATE store_meta SET value = ? WHERE key = "
                                       "'audit_head'"),
                        {prev})
                    .ok());
        auto v = verify(t);
        QVERIFY2(v.ok(), qPrintable(v.problems.join('\n')));
        t.addTenant(QStringLiteral("After the upgrade"));
        const auto latest = AuditLog(db).recent(1).value().first();
        QVERIFY(latest.hash.startsWith(QLatin1String("v2:")));
        QCOMPARE(latest.prevHash, prev);
        v = verify(t);
        QVERIFY2(v.ok(), qPrintable(v.problems.join('\n')));
        QCOMPARE(v.checked, 6);
    }

    // Someone with write access appends a well-chained entry by hand, or
    // back-dates one and rehashes the rest: the count and the dates tell.
    void forgedAppendAndBackdatingAreCaught()
    {
        TempCore t;
        populate(t);
        auto& store = t.core->store();
        AuditEntry head = AuditLog(store).recent(1).value().first();
        AuditEntry forged;
        forged.id = head.id + 1;
        forged.createdAt = head.createdAt;
        forged.actor = QStringLiteral("intruder");
        forged.action = QStringLiteral("tenant.created");
        forged.targetType = QStringLiteral("tenant");
        forged.targetId = QStringLiteral("99");
        forged.prevHash = head.hash;
        forged.hash = AuditLog::hashOf(forged.prevHash, forged);
        QVERIFY(execSql(store.db(),
                        QStringLiteral("INSERT INTO audit_log(id, created_at, actor, action, "
                                       "target_type, target_id, details, prev_hash, hash) VALUES "
                                       "(?, ?, ?, ?, ?, ?, '', ?, ?)"),
                        {forged.id, forged.createdAt, forged.actor, forged.action,
                         forged.targetType, forged.targetId, forged.prevHash, forged.hash})
                    .ok());
        QVERIFY(execSql(store.db(),
                        QStringLiteral("UPDATE store_meta SET value = ? WHERE key = 'audit_head'"),
                        {forged.hash})
                    .ok());
        auto v = verify(t);
        QVERIFY(!v.ok());
        QVERIFY2(v.problems.join('\n').contains(QLatin1String("6 entries but 5 were recorded")),
                 qPrintable(v.problems.join('\n')));

        TempCore t2;
        populate(t2);
        auto rows = AuditLog(t2.core->store()).recent(100).value();
        std::reverse(rows.begin(), rows.end());
        rows[3].createdAt = rows[2].createdAt - 3600; // back-dated, then rehashed onward
        QString prev = AuditLog::genesisHash();
        for (AuditEntry& e : rows) {
            e.prevHash = prev;
            e.hash = AuditLog::hashOf(prev, e);
            QVERIFY(execSql(t2.core->store().db(),
                            QStringLiteral("UPDATE audit_log SET created_at = ?, prev_hash = ?, "
                                           "hash = ? WHERE id = ?"),
                            {e.createdAt, e.prevHash, e.hash, e.id})
                        .ok());
            prev = e.hash;
        }
        QVERIFY(execSql(t2.core->store().db(),
                        QStringLiteral("UPDATE store_meta SET value = ? WHERE key = 'audit_head'"),
                        {prev})
                    .ok());
        v = verify(t2);
        QVERIFY2(v.problems.join('\n').contains(QStringLiteral("#%1").arg(rows[3].id)) &&
                     v.problems.join('\n').contains(QLatin1String("dated before")),
                 qPrintable(v.problems.join('\n')));
    }

    // The clock going back never makes the chain go back.
    void timestampsNeverGoBack()
    {
        TempCore t;
        setNowOverrideForTests(1800000000);
        t.addTenant(QStringLiteral("Later"));
        setNowOverrideForTests(1700000000);
        t.addTenant(QStringLiteral("Clock went back"));
        setNowOverrideForTests(0);
        const auto rows = AuditLog(t.core->store()).recent(2).value();
        QCOMPARE(rows[0].createdAt, rows[1].createdAt);
        QVERIFY(verify(t).ok());
    }

    void appendAfterVerifyContinuesChain()
    {
        TempCore t;
        populate(t);
        t.addTenant(QStringLiteral("Later"));
        QVERIFY(verify(t).ok());
        QCOMPARE(verify(t).checked, 6);
    }
};

QTEST_GUILESS_MAIN(TestAudit)
#include "tst_audit.moc"
