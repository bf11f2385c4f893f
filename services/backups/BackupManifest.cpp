#include "backups/BackupManifest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

#include <cmath>

namespace chom {

namespace {

const QString kDatabase = QStringLiteral("database.sql");

Error invalid(const QString& why)
{
    return makeError(ErrorKind::Rule, QStringLiteral("manifest_invalid"),
                     QStringLiteral("manifest.json is refused: %1.").arg(why));
}

bool isSha256(const QString& s)
{
    static const QRegularExpression re(QStringLiteral("^[0-9a-f]{64}$"));
    return re.match(s).hasMatch();
}

bool isDomain(const QString& s)
{
    static const QRegularExpression re(
        QStringLiteral("^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9-]{2,63}$"));
    return re.match(s).hasMatch();
}

// JSON numbers are doubles: a size must be a non-negative whole number that
// a double holds exactly.
std::optional<qint64> wholeNumber(const QJsonValue& v)
{
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (d < 0 || d > 9007199254740992.0 || std::floor(d) != d)
        return std::nullopt;
    return qint64(d);
}

// A required string field; `allowed` (when given) lists its only values.
std::optional<QString> text(const QJsonObject& o, const char* key, QString* why,
                            const QStringList& allowed = {})
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isString()) {
        *why = QStringLiteral("\"%1\" is missing or not a string").arg(QLatin1String(key));
        return std::nullopt;
    }
    if (!allowed.isEmpty() && !allowed.contains(v.toString())) {
        *why = QStringLiteral("\"%1\" must be one of %2")
                   .arg(QLatin1String(key), allowed.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    return v.toString();
}

Result<ManifestMember> parseMember(const QJsonValue& v, int index)
{
    const QJsonObject o = v.toObject();
    const auto size = wholeNumber(o.value(QLatin1String("size")));
    const QString path = o.value(QLatin1String("path")).toString();
    const QString sha = o.value(QLatin1String("sha256")).toString();
    if (!v.isObject() || path.isEmpty() || !size || !isSha256(sha))
        return invalid(QStringLiteral("member %1 needs a path, a size and a lower-case hex "
                                      "sha256")
                           .arg(index));
    if (path != kDatabase && !path.startsWith(QLatin1String("files/")))
        return invalid(
            QStringLiteral("member \"%1\" is neither database.sql nor under files/").arg(path));
    return ManifestMember{path, *size, sha};
}

Status parseMembers(const QJsonValue& v, BackupManifest& m)
{
    if (!v.isArray())
        return invalid(QStringLiteral("\"members\" is missing or not a list"));
    QSet<QString> seen;
    const QJsonArray list = v.toArray();
    for (int i = 0; i < list.size(); ++i) {
        auto member = parseMember(list.at(i), i);
        if (!member)
            return member.error();
        if (seen.contains(member->path))
            return invalid(QStringLiteral("member \"%1\" is listed twice").arg(member->path));
        seen.insert(member->path);
        m.members.push_back(std::move(member).value());
    }
    return okStatus();
}

// The totals are redundant on purpose (a reader can show them without the
// list); they must say what the list says.
Status checkTotals(const BackupManifest& m)
{
    BackupManifest derived = m;
    derived.deriveTotals();
    if (derived.fileCount != m.fileCount)
        return invalid(QStringLiteral("file_count is %1 but %2 files are listed")
                           .arg(m.fileCount)
                           .arg(derived.fileCount));
    if (derived.totalSize != m.totalSize)
        return invalid(QStringLiteral("total_size is %1 but the members add up to %2")
                           .arg(m.totalSize)
                           .arg(derived.totalSize));
    if (derived.databaseSha256 != m.databaseSha256)
        return invalid(QStringLiteral("database_sha256 does not match the database.sql member"));
    return okStatus();
}

Status parseFields(const QJsonObject& o, BackupManifest& m)
{
    QString why;
    const auto version = wholeNumber(o.value(QLatin1String("format_version")));
    if (!version || *version != BackupManifest::kFormatVersion)
        return invalid(QStringLiteral("format_version must be %1").arg(m.kFormatVersion));
    const auto domain = text(o, "site_domain", &why);
    const auto siteType = text(o, "site_type", &why,
                               {QStringLiteral("html"), QStringLiteral("php"),
                                QStringLiteral("wordpress"), QStringLiteral("laravel")});
    const auto backupType =
        text(o, "backup_type", &why,
             {QStringLiteral("full"), QStringLiteral("files"), QStringLiteral("database")});
    const auto id = text(o, "backup_id", &why);
    const auto created = text(o, "created", &why);
    const auto dbSha = text(o, "database_sha256", &why);
    const auto agent = text(o, "agent_version", &why);
    const auto restic = text(o, "restic_version", &why);
    const auto wordpress = text(o, "wordpress_version", &why);
    if (!why.isEmpty())
        return invalid(why);
    if (!isDomain(*domain))
        return invalid(QStringLiteral("site_domain is not a lower-case domain name"));
    if (id->isEmpty())
        return invalid(QStringLiteral("backup_id is empty"));
    m.created = QDateTime::fromString(*created, Qt::ISODate);
    if (!m.created.isValid() || !created->endsWith(QLatin1Char('Z')))
        return invalid(QStringLiteral("created must be an ISO-8601 UTC time (…Z)"));
    const auto files = wholeNumber(o.value(QLatin1String("file_count")));
    const auto total = wholeNumber(o.value(QLatin1String("total_size")));
    if (!files || !total)
        return invalid(QStringLiteral("file_count and total_size must be whole numbers"));
    m.siteDomain = *domain;
    m.siteType = *siteType;
    m.backupType = *backupType;
    m.backupId = *id;
    m.fileCount = *files;
    m.totalSize = *total;
    m.databaseSha256 = *dbSha;
    m.agentVersion = *agent;
    m.resticVersion = *restic;
    m.wordpressVersion = *wordpress;
    return okStatus();
}

} // namespace

Result<BackupManifest> BackupManifest::parse(const QByteArray& json)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return invalid(QStringLiteral("not JSON (%1 at byte %2)")
                           .arg(parseError.errorString())
                           .arg(parseError.offset));
    if (!doc.isObject())
        return invalid(QStringLiteral("not a JSON object"));
    BackupManifest m;
    const QJsonObject o = doc.object();
    if (Status s = parseFields(o, m); !s)
        return s.error();
    if (Status s = parseMembers(o.value(QLatin1String("members")), m); !s)
        return s.error();
    if (Status s = checkTotals(m); !s)
        return s.error();
    return m;
}

QByteArray BackupManifest::serialize() const
{
    QJsonArray list;
    for (const ManifestMember& member : members)
        list.append(QJsonObject{{QStringLiteral("path"), member.path},
                                {QStringLiteral("size"), double(member.size)},
                                {QStringLiteral("sha256"), member.sha256}});
    const QJsonObject o{
        {QStringLiteral("format_version"), formatVersion},
        {QStringLiteral("site_domain"), siteDomain},
        {QStringLiteral("site_type"), siteType},
        {QStringLiteral("backup_type"), backupType},
        {QStringLiteral("backup_id"), backupId},
        {QStringLiteral("created"), created.toUTC().toString(Qt::ISODate)},
        {QStringLiteral("file_count"), double(fileCount)},
        {QStringLiteral("total_size"), double(totalSize)},
        {QStringLiteral("database_sha256"), databaseSha256},
        {QStringLiteral("agent_version"), agentVersion},
        {QStringLiteral("restic_version"), resticVersion},
        {QStringLiteral("wordpress_version"), wordpressVersion},
        {QStringLiteral("members"), list},
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void BackupManifest::deriveTotals()
{
    fileCount = 0;
    totalSize = 0;
    databaseSha256.clear();
    for (const ManifestMember& member : members) {
        totalSize += member.size;
        if (member.path == kDatabase)
            databaseSha256 = member.sha256;
        else
            ++fileCount;
    }
}

} // namespace chom
