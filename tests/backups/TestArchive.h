#pragma once

#include "backups/BackupManifest.h"

#include <QByteArray>
#include <QString>
#include <QVector>

// Archives for the tests, written with libarchive's own writer: entries in
// order, with a manifest that lists the regular members unless told not to.
struct TestEntry
{
    enum Type
    {
        File,
        Dir,
        Symlink,
        HardLink,
        CharDevice,
        Fifo
    };
    QByteArray path;
    Type type = File;
    QByteArray data;   // File
    QByteArray target; // Symlink, HardLink
};

struct TestArchive
{
    QVector<TestEntry> entries;    // after manifest.json
    chom::BackupManifest manifest; // listed members filled by listMembers()

    // A WordPress site: database.sql, files/ with a subdirectory and two
    // links that stay inside it.
    static TestArchive valid();
    // The manifest lists every regular member of `entries` (correct sizes
    // and SHA-256).
    void listMembers();
    void addFile(const QByteArray& path, const QByteArray& data, bool list = true);
    // manifest.json first (its JSON `manifestJson`, else the manifest's),
    // then the entries; zstd unless `plain`.
    bool write(const QString& file, bool plain = false) const;
    QByteArray manifestJson;   // overrides the serialized manifest
    bool manifestFirst = true; // false: manifest.json goes last
};

QByteArray sha256Hex(const QByteArray& data);
QByteArray compressibleText(int bytes, quint32 seed);
