#include "backups/MemberRules.h"

#include <QStringList>

#include <archive_entry.h>

namespace chom {

namespace {

const QString kFilesRoot = QStringLiteral("files");

QStringList componentsOf(const QString& path)
{
    return path.split(QLatin1Char('/'));
}

QString parentOf(const QString& path)
{
    const int slash = path.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? QString() : path.left(slash);
}

EntryKind kindOf(archive_entry* entry)
{
    if (archive_entry_hardlink(entry))
        return EntryKind::HardLink;
    switch (archive_entry_filetype(entry)) {
    case AE_IFREG:
        return EntryKind::Regular;
    case AE_IFDIR:
        return EntryKind::Directory;
    case AE_IFLNK:
        return EntryKind::Symlink;
    case AE_IFCHR:
    case AE_IFBLK:
    case AE_IFIFO:
    case AE_IFSOCK:
        return EntryKind::Device;
    default:
        return EntryKind::Other;
    }
}

} // namespace

EntryFacts EntryFacts::of(archive_entry* entry)
{
    EntryFacts facts;
    facts.path = QString::fromUtf8(archive_entry_pathname(entry));
    facts.kind = kindOf(entry);
    const char* link = facts.kind == EntryKind::HardLink ? archive_entry_hardlink(entry)
                                                         : archive_entry_symlink(entry);
    facts.linkTarget = QString::fromUtf8(link);
    return facts;
}

Error refusal(const QString& code, const QString& member, const QString& rule)
{
    return makeError(ErrorKind::Rule, code,
                     QStringLiteral("The archive member \"%1\" is refused: %2.").arg(member, rule));
}

QString MemberRules::normalised(const QString& path)
{
    return path.endsWith(QLatin1Char('/')) ? path.chopped(1) : path;
}

Status MemberRules::checkName(const EntryFacts& entry)
{
    const QString& path = entry.path;
    if (path.startsWith(QLatin1Char('/')))
        return refusal(QStringLiteral("absolute_path"), path,
                       QStringLiteral("an absolute path would land outside the site"));
    const QStringList parts = componentsOf(normalised(path));
    if (parts.contains(QStringLiteral("..")))
        return refusal(QStringLiteral("traversal"), path,
                       QStringLiteral("a \"..\" component would climb out of the site"));
    if (parts.contains(QString()) || parts.contains(QStringLiteral(".")))
        return refusal(QStringLiteral("unexpected_member"), path,
                       QStringLiteral("the name is not canonical (empty or \".\" component)"));
    switch (entry.kind) {
    case EntryKind::HardLink:
        return refusal(
            QStringLiteral("hard_link"), path,
            QStringLiteral("hard links are not allowed (link to \"%1\")").arg(entry.linkTarget));
    case EntryKind::Device:
        return refusal(QStringLiteral("device_node"), path,
                       QStringLiteral("device files, fifos and sockets are not allowed"));
    case EntryKind::Other:
        return refusal(QStringLiteral("unexpected_member"), path,
                       QStringLiteral("the entry type is not a file, directory or link"));
    default:
        return okStatus();
    }
}

Status MemberRules::checkPlacement(const EntryFacts& entry)
{
    const QString path = normalised(entry.path);
    const bool database = path == QLatin1String("database.sql") && entry.kind == EntryKind::Regular;
    const bool filesRoot = path == kFilesRoot && entry.kind == EntryKind::Directory;
    if (!database && !filesRoot && !path.startsWith(kFilesRoot + QLatin1Char('/')))
        return refusal(QStringLiteral("unexpected_member"), entry.path,
                       QStringLiteral("only manifest.json, database.sql and files/… belong in "
                                      "a site archive"));
    if (Status s = checkAncestors(path); !s)
        return s;
    const auto known = m_kinds.constFind(path);
    if (known != m_kinds.constEnd()) {
        if (entry.kind == EntryKind::Symlink)
            return refusal(QStringLiteral("link_escape"), entry.path,
                           QStringLiteral("a link would replace a directory that holds members"));
        if (*known != EntryKind::Directory || entry.kind != EntryKind::Directory)
            return refusal(QStringLiteral("duplicate_member"), entry.path,
                           QStringLiteral("the name is already in the archive"));
    }
    if (entry.kind == EntryKind::Symlink) {
        if (Status s = checkLinkTarget(path, entry.linkTarget); !s)
            return s;
    }
    remember(path, entry.kind);
    return okStatus();
}

// Writing below a link, or below a file, is how an extraction is led outside
// its directory: refuse any entry whose parent is not a plain directory.
Status MemberRules::checkAncestors(const QString& path) const
{
    for (QString dir = parentOf(path); !dir.isEmpty(); dir = parentOf(dir)) {
        const auto known = m_kinds.constFind(dir);
        if (known == m_kinds.constEnd() || *known == EntryKind::Directory)
            continue;
        if (*known == EntryKind::Symlink)
            return refusal(QStringLiteral("link_escape"), path,
                           QStringLiteral("it lies below the link \"%1\"").arg(dir));
        return refusal(QStringLiteral("duplicate_member"), path,
                       QStringLiteral("it lies below the file \"%1\"").arg(dir));
    }
    return okStatus();
}

// Resolved lexically from the link's own directory, which no link can be
// (checkAncestors). ".." may only lead the target: after a component that
// might itself be a link, ".." would climb from wherever that link points.
Status MemberRules::checkLinkTarget(const QString& path, const QString& target)
{
    const auto escape = [&](const QString& why) {
        return refusal(QStringLiteral("link_escape"), path,
                       QStringLiteral("the link to \"%1\" %2").arg(target, why));
    };
    if (target.isEmpty())
        return escape(QStringLiteral("has no target"));
    if (target.startsWith(QLatin1Char('/')))
        return escape(QStringLiteral("is absolute"));
    QStringList resolved = componentsOf(parentOf(path));
    bool climbing = true;
    for (const QString& part : componentsOf(target)) {
        if (part.isEmpty() || part == QLatin1String("."))
            continue;
        if (part != QLatin1String("..")) {
            climbing = false;
            resolved.append(part);
        } else if (!climbing) {
            return escape(QStringLiteral("has \"..\" after a name, which may be a link"));
        } else if (resolved.size() <= 1) {
            return escape(QStringLiteral("points outside files/"));
        } else {
            resolved.removeLast();
        }
    }
    return okStatus();
}

void MemberRules::remember(const QString& path, EntryKind kind)
{
    m_kinds.insert(path, kind);
    for (QString dir = parentOf(path); !dir.isEmpty(); dir = parentOf(dir))
        m_kinds.insert(dir, EntryKind::Directory);
}

} // namespace chom
