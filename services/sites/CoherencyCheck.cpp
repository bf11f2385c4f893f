#include "sites/CoherencyCheck.h"

#include "sites/RenewalPolicy.h"
#include "sites/TlsNames.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QJsonArray>

namespace chom {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("chom::CoherencyCheck", text);
}

QString day(qint64 unix)
{
    return QDateTime::fromSecsSinceEpoch(unix, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd"));
}

// Sites in the middle of something (or never created) are not compared.
bool settled(const Site& s)
{
    return s.status == SiteStatus::Active || s.status == SiteStatus::Disabled;
}

} // namespace

QString CoherencyFinding::toString(Severity s)
{
    switch (s) {
    case Severity::Error:
        return QStringLiteral("error");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Info:
        break;
    }
    return QStringLiteral("info");
}

CoherencyFinding::Severity CoherencyFinding::severityFrom(const QString& s)
{
    if (s == QLatin1String("error"))
        return Severity::Error;
    return s == QLatin1String("warning") ? Severity::Warning : Severity::Info;
}

QJsonObject toJson(const CoherencyFinding& f)
{
    return {{QStringLiteral("vps_id"), f.vpsId},
            {QStringLiteral("hostname"), f.hostname},
            {QStringLiteral("site_id"), f.siteId},
            {QStringLiteral("domain"), f.domain},
            {QStringLiteral("kind"), f.kind},
            {QStringLiteral("severity"), CoherencyFinding::toString(f.severity)},
            {QStringLiteral("message"), f.message},
            {QStringLiteral("heal"), f.heal}};
}

CoherencyFinding coherencyFindingFrom(const QJsonObject& o)
{
    CoherencyFinding f;
    f.vpsId = o.value(QStringLiteral("vps_id")).toInteger();
    f.hostname = o.value(QStringLiteral("hostname")).toString();
    f.siteId = o.value(QStringLiteral("site_id")).toInteger();
    f.domain = o.value(QStringLiteral("domain")).toString();
    f.kind = o.value(QStringLiteral("kind")).toString();
    f.severity = CoherencyFinding::severityFrom(o.value(QStringLiteral("severity")).toString());
    f.message = o.value(QStringLiteral("message")).toString();
    f.heal = o.value(QStringLiteral("heal")).toString();
    return f;
}

// One VPS's comparison: the findings in the order an operator reads them
// (each store site, then what the VPS has that the store does not know).
class CoherencyCheck::Pass
{
public:
    using Sev = CoherencyFinding::Severity;
    Pass(const Vps& vps, qint64 now) : m_vps(vps), m_now(now) {}

    void add(const Site* s, const QString& domain, const QString& kind, Sev sev,
             const QString& message, const QString& heal = {})
    {
        m_out.push_back(
            {m_vps.id, m_vps.hostname, s ? s->id : 0, domain, kind, sev, message, heal});
    }

    void site(const Site& s, const QJsonObject& a)
    {
        const bool served = a.value(QStringLiteral("linked")).toBool();
        const bool wanted = s.status == SiteStatus::Active;
        if (served != wanted)
            add(&s, s.domain, QStringLiteral("state_mismatch"), Sev::Error,
                wanted ? tr("Active in the store but not served by nginx on the VPS.")
                       : tr("Disabled in the store (or its tenant is suspended) but still "
                            "served by nginx on the VPS."));
        const QString type = a.value(QStringLiteral("type")).toString();
        if (type != toString(s.type))
            add(&s, s.domain, QStringLiteral("type_mismatch"), Sev::Error,
                tr("The store records a %1 site; the VPS has a %2 site.")
                    .arg(toString(s.type), type));
        else if (s.type != SiteType::Html &&
                 a.value(QStringLiteral("php_version")).toString() != s.phpVersion)
            add(&s, s.domain, QStringLiteral("php_mismatch"), Sev::Warning,
                tr("The store records PHP %1; the VPS runs the site on PHP %2.")
                    .arg(s.phpVersion, a.value(QStringLiteral("php_version")).toString()));
        configFile(s, a.value(QStringLiteral("vhost")).toString(), QStringLiteral("vhost"),
                   tr("nginx vhost"));
        configFile(s, a.value(QStringLiteral("pool")).toString(), QStringLiteral("pool"),
                   tr("PHP-FPM pool"));
        if (!a.value(QStringLiteral("user")).toBool())
            add(&s, s.domain, QStringLiteral("missing_user"), Sev::Error,
                tr("The site's Linux user does not exist on the VPS."));
        database(s, a);
        certificate(s, a);
    }

    void configFile(const Site& s, const QString& state, const QString& what, const QString& name)
    {
        if (state == QLatin1String("drifted"))
            add(&s, s.domain, QStringLiteral("drifted_") + what, Sev::Warning,
                tr("The %1 differs from what its template gives; re-rendering restores it "
                   "(the site's own drop-in include is kept).")
                    .arg(name),
                QStringLiteral("render"));
        else if (state == QLatin1String("missing"))
            add(&s, s.domain, QStringLiteral("missing_") + what, Sev::Error,
                tr("The %1 is missing on the VPS; re-rendering writes it again.").arg(name),
                QStringLiteral("render"));
    }

    void database(const Site& s, const QJsonObject& a)
    {
        if (a.value(QStringLiteral("database")).toString() == QLatin1String("missing"))
            add(&s, s.domain, QStringLiteral("missing_database"), Sev::Error,
                tr("The site's MariaDB database does not exist on the VPS."));
        if (a.value(QStringLiteral("database_user")).toString() == QLatin1String("missing"))
            add(&s, s.domain, QStringLiteral("missing_database_user"), Sev::Error,
                tr("The site's MariaDB user does not exist on the VPS."));
    }

    void certificate(const Site& s, const QJsonObject& a)
    {
        const QJsonValue cv = a.value(QStringLiteral("certificate"));
        const bool vpsSsl = a.value(QStringLiteral("ssl")).toBool();
        if (vpsSsl != s.sslEnabled)
            add(&s, s.domain, QStringLiteral("ssl_mismatch"), Sev::Warning,
                s.sslEnabled ? tr("The store records SSL; the VPS serves the site over HTTP only.")
                             : tr("The VPS serves the site over HTTPS; the store records no SSL."));
        if (!cv.isObject()) {
            if (s.sslEnabled)
                add(&s, s.domain, QStringLiteral("certificate_missing"), Sev::Error,
                    tr("SSL is on but the VPS holds no certificate for the site."));
            return;
        }
        const QJsonObject c = cv.toObject();
        if (!c.value(QStringLiteral("certificate")).toBool()) {
            const QString why = c.value(QStringLiteral("error")).toString();
            if (!why.isEmpty() || s.sslEnabled)
                add(&s, s.domain, QStringLiteral("certificate_missing"), Sev::Error,
                    why.isEmpty() ? tr("SSL is on but the VPS holds no certificate for the site.")
                                  : why);
            return;
        }
        certificateFacts(s, c);
    }

    void certificateFacts(const Site& s, const QJsonObject& c)
    {
        const qint64 from = c.value(QStringLiteral("not_before")).toInteger();
        const qint64 to = c.value(QStringLiteral("not_after")).toInteger();
        QStringList names;
        for (const QJsonValue& n : c.value(QStringLiteral("names")).toArray())
            names << n.toString();
        if (!tlsNamesMatch(s.domain, names))
            add(&s, s.domain, QStringLiteral("certificate_names"), Sev::Error,
                tr("The certificate on the VPS does not cover %1 (it names %2).")
                    .arg(s.domain, names.join(QStringLiteral(", "))));
        if (to <= m_now)
            add(&s, s.domain, QStringLiteral("certificate_expired"), Sev::Error,
                tr("The certificate expired on %1.").arg(day(to)));
        else if (RenewalPolicy::dueAt(s.domain, from, to) <= m_now)
            add(&s, s.domain, QStringLiteral("certificate_expiring"), Sev::Warning,
                tr("The certificate expires on %1 and its renewal is due (a third of its "
                   "lifetime remains).")
                    .arg(day(to)));
        if (s.sslEnabled && s.sslExpiresAt > 0 && qAbs(s.sslExpiresAt - to) > 60)
            add(&s, s.domain, QStringLiteral("certificate_unrecorded"), Sev::Warning,
                tr("The VPS holds a certificate expiring on %1; the store records %2.")
                    .arg(day(to), day(s.sslExpiresAt)));
    }

    void unknownSite(const QJsonObject& a, const QHash<QString, Id>& elsewhere)
    {
        const QString d = a.value(QStringLiteral("domain")).toString();
        add(nullptr, d, QStringLiteral("unknown_on_vps"), Sev::Warning,
            elsewhere.contains(d)
                ? tr("The VPS has the site %1, which the store places on another VPS.").arg(d)
                : tr("The VPS has the site %1, which the store does not know.").arg(d));
    }

    void orphans(const QJsonObject& u, const QString& key, const QString& kind, const char* text)
    {
        for (const QJsonValue& v : u.value(key).toArray()) {
            QString name = v.toString();
            if (v.isObject()) { // a pool: {domain, php_version, registered}
                const QJsonObject p = v.toObject();
                name = p.value(QStringLiteral("domain")).toString();
                const QString version = p.value(QStringLiteral("php_version")).toString();
                add(nullptr, name, kind, Sev::Warning,
                    p.value(QStringLiteral("registered")).toBool()
                        ? tr("A PHP %1 pool for %2, which runs on another PHP version.")
                              .arg(version, name)
                        : tr("A PHP %1 pool for %2, which no site owns.").arg(version, name));
                continue;
            }
            add(nullptr, name, kind, Sev::Warning, tr(text).arg(name));
        }
    }

    QVector<CoherencyFinding> take() { return std::move(m_out); }

private:
    const Vps& m_vps;
    qint64 m_now;
    QVector<CoherencyFinding> m_out;
};

QVector<CoherencyFinding> CoherencyCheck::compare(const Vps& vps, const QVector<Site>& sites,
                                                  const QHash<QString, Id>& elsewhere,
                                                  const QJsonObject& audit, qint64 now)
{
    Pass pass(vps, now);
    QHash<QString, QJsonObject> onVps;
    for (const QJsonValue& v : audit.value(QStringLiteral("sites")).toArray())
        onVps.insert(v.toObject().value(QStringLiteral("domain")).toString(), v.toObject());
    QHash<QString, bool> known;
    for (const Site& s : sites) {
        known.insert(s.domain, true);
        if (!settled(s))
            continue;
        const auto it = onVps.constFind(s.domain);
        if (it == onVps.constEnd())
            pass.add(&s, s.domain, QStringLiteral("missing_on_vps"),
                     CoherencyFinding::Severity::Error,
                     tr("The store places the site on this VPS, but the VPS does not have it."));
        else
            pass.site(s, it.value());
    }
    for (const QJsonValue& v : audit.value(QStringLiteral("sites")).toArray())
        if (!known.contains(v.toObject().value(QStringLiteral("domain")).toString()))
            pass.unknownSite(v.toObject(), elsewhere);
    const QJsonObject u = audit.value(QStringLiteral("unknown")).toObject();
    pass.orphans(
        u, QStringLiteral("vhosts"), QStringLiteral("orphan_vhost"),
        QT_TRANSLATE_NOOP("chom::CoherencyCheck", "An nginx vhost for %1, which no site owns."));
    pass.orphans(u, QStringLiteral("pools"), QStringLiteral("orphan_pool"), "");
    pass.orphans(u, QStringLiteral("users"), QStringLiteral("orphan_user"),
                 QT_TRANSLATE_NOOP("chom::CoherencyCheck", "A site user %1, which no site owns."));
    pass.orphans(
        u, QStringLiteral("directories"), QStringLiteral("orphan_directory"),
        QT_TRANSLATE_NOOP("chom::CoherencyCheck",
                          "The site directory of %1, which no site owns (its data is kept)."));
    pass.orphans(
        u, QStringLiteral("databases"), QStringLiteral("orphan_database"),
        QT_TRANSLATE_NOOP("chom::CoherencyCheck",
                          "A MariaDB database %1, which no site owns (its data is kept)."));
    pass.orphans(
        u, QStringLiteral("database_users"), QStringLiteral("orphan_database_user"),
        QT_TRANSLATE_NOOP("chom::CoherencyCheck", "A MariaDB user %1, which no site owns."));
    for (const QJsonValue& v : audit.value(QStringLiteral("invalid")).toArray())
        pass.add(
            nullptr, v.toString(), QStringLiteral("invalid_registry_entry"),
            CoherencyFinding::Severity::Warning,
            tr("The agent's site registry holds an entry it cannot read: %1.").arg(v.toString()));
    const QJsonObject db = audit.value(QStringLiteral("database")).toObject();
    if (!db.value(QStringLiteral("checked")).toBool(true))
        pass.add(nullptr, QString(), QStringLiteral("database_unchecked"),
                 CoherencyFinding::Severity::Info,
                 tr("Databases were not checked: %1")
                     .arg(db.value(QStringLiteral("message")).toString()));
    return pass.take();
}

} // namespace chom
