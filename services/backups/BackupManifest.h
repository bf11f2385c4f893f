#pragma once

#include "base/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QVector>

namespace chom {

// One member of a portable archive as its manifest lists it: every regular
// file (database.sql and each file under files/), never a directory or a
// symbolic link (those carry no data; the inspector checks them by rule).
struct ManifestMember
{
    QString path;    // "database.sql" or "files/…", as stored in the archive
    qint64 size = 0; // bytes
    QString sha256;  // 64 lower-case hex digits
};

// manifest.json, the first entry of a portable site backup archive.
// file_count and total_size must agree with `members` (files/ entries, and
// the sum of all sizes), and database_sha256 with the database.sql member,
// so a manifest that contradicts itself is refused before any data is read.
struct BackupManifest
{
    static constexpr int kFormatVersion = 1;

    int formatVersion = kFormatVersion;
    QString siteDomain;
    QString siteType;   // html | php | wordpress | laravel
    QString backupType; // full | files | database
    QString backupId;
    QDateTime created; // UTC
    qint64 fileCount = 0;
    qint64 totalSize = 0;
    QString databaseSha256; // empty when the archive holds no database.sql
    QString agentVersion;   // the three versions may be empty
    QString resticVersion;
    QString wordpressVersion;
    QVector<ManifestMember> members;

    // Strict: unknown versions, wrong types, missing fields, duplicated
    // member paths and self-contradicting counts are `manifest_invalid`.
    [[nodiscard]] static Result<BackupManifest> parse(const QByteArray& json);
    QByteArray serialize() const; // compact JSON that parse() reads back
    // Fills fileCount, totalSize and databaseSha256 from `members`.
    void deriveTotals();
};

} // namespace chom
