#pragma once

#include "base/Result.h"

#include <QHash>
#include <QString>

struct archive_entry;

namespace chom {

// What an archive entry is, as far as the rules care.
enum class EntryKind
{
    Regular,
    Directory,
    Symlink,
    HardLink,
    Device, // character or block device, fifo, socket
    Other,
};

struct EntryFacts
{
    QString path; // as stored (a directory may end in '/')
    EntryKind kind = EntryKind::Other;
    QString linkTarget; // symbolic and hard links only

    static EntryFacts of(archive_entry* entry); // libarchive's header, as the rules see it
};

// The refusal every rule returns: code, and a message naming the member.
Error refusal(const QString& code, const QString& member, const QString& rule);

// The rules on names and types, which need no data, for one archive read in
// order. They are lexical and conservative: an entry is judged on what an
// extraction into an empty directory would do with it and the entries
// before it, never on the machine's own file system.
class MemberRules
{
public:
    // absolute_path, traversal, hard_link, device_node, and unexpected_member
    // for a name that is not canonical ("./a", "a//b") or an unknown type.
    [[nodiscard]] static Status checkName(const EntryFacts& entry);
    // unexpected_member outside database.sql and files/…, duplicate_member,
    // link_escape (a link resolving outside files/, or an entry reached
    // through a link); remembers the entry for the ones after it.
    [[nodiscard]] Status checkPlacement(const EntryFacts& entry);

    static QString normalised(const QString& path); // without a trailing '/'

private:
    [[nodiscard]] Status checkAncestors(const QString& path) const;
    [[nodiscard]] static Status checkLinkTarget(const QString& path, const QString& target);
    void remember(const QString& path, EntryKind kind);

    QHash<QString, EntryKind> m_kinds; // every entry and every directory one implies
};

} // namespace chom
