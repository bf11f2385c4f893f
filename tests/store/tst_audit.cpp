#include "TestStore.h"
#include "store/AuditLog.h"
#include "store/Sql.h"

#include <QtTest>

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
