#pragma once

#include "backups/BackupManifest.h"
#include "base/Result.h"

#include <QString>

#include <atomic>
#include <functional>

namespace chom {

// Bounds on what an archive may expand to; the defaults fit a large site.
struct ArchiveLimits
{
    qint64 maxTotalBytes = qint64(64) << 30; // every member's data, uncompressed
    qint64 maxMembers = 1000000;             // entries of any type
    qint64 maxManifestBytes = qint64(64) << 20;
    double maxRatio = 200;                   // uncompressed / compressed, past…
    qint64 bombMinBytes = qint64(256) << 20; // …this many uncompressed bytes
};

// What a valid archive holds.
struct ArchiveSummary
{
    BackupManifest manifest;
    qint64 memberCount = 0; // entries of every type, manifest.json included
    qint64 totalBytes = 0;  // the data of every regular member, uncompressed
    bool hasDatabase = false;
    qint64 fileCount = 0; // regular files under files/
};

// Checks a portable site backup archive (docs/ARCHITECTURE.md, "Backups: the
// portable archive") in one streaming pass: no temporary file, no second
// read, each member hashed as it is decompressed. Blocking; meant for a
// worker thread, with progress and cancel for the GUI.
class ArchiveInspector
{
public:
    // Compressed bytes read so far and the archive file's size; called from
    // the inspecting thread, never decreasing, ending at (total, total).
    using Progress = std::function<void(qint64 done, qint64 total)>;

    explicit ArchiveInspector(ArchiveLimits limits = {});

    void setProgress(Progress progress) { m_progress = std::move(progress); }
    // Read once per block; setting it stops the inspection with `cancelled`.
    void setCancelFlag(const std::atomic<bool>* cancel) { m_cancel = cancel; }

    // The summary, or the first rule the archive breaks: its code (see
    // ARCHITECTURE.md) and a message naming the member and the rule.
    [[nodiscard]] Result<ArchiveSummary> inspect(const QString& path) const;

    const ArchiveLimits& limits() const { return m_limits; }
    bool cancelled() const { return m_cancel && m_cancel->load(std::memory_order_relaxed); }
    void report(qint64 done, qint64 total) const;

private:
    ArchiveLimits m_limits;
    Progress m_progress;
    const std::atomic<bool>* m_cancel = nullptr;
};

} // namespace chom
