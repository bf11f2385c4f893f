#pragma once

#include "Domain.h"

#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QVector>

namespace chom {

// One thing the coherency check found on a VPS: a difference between the
// store and what the agent reports (site:audit), or something the agent
// made that no site owns. `heal` names the only repair offered ("render":
// re-render the site's config from its template); everything else is for
// the operator to review, and nothing is ever deleted by the check.
struct CoherencyFinding
{
    enum class Severity
    {
        Error,
        Warning,
        Info
    };
    Id vpsId = 0;
    QString hostname;
    Id siteId = 0; // 0 when no site of the store owns it
    QString domain;
    QString kind; // missing_on_vps, unknown_on_vps, state_mismatch, drifted_vhost, ...
    Severity severity = Severity::Warning;
    QString message;
    QString heal; // "render" or empty

    static QString toString(Severity s);
    static Severity severityFrom(const QString& s);
};

QJsonObject toJson(const CoherencyFinding& f);
CoherencyFinding coherencyFindingFrom(const QJsonObject& o);

// Compares one VPS's site:audit answer with the store's sites on it.
class CoherencyCheck
{
public:
    // sites: the store's sites placed on `vps` (any status); elsewhere: the
    // store's sites by domain (any VPS), to say that an unknown one belongs
    // to another. now: Unix seconds.
    static QVector<CoherencyFinding> compare(const Vps& vps, const QVector<Site>& sites,
                                             const QHash<QString, Id>& elsewhere,
                                             const QJsonObject& audit, qint64 now);

private:
    class Pass;
};

} // namespace chom

Q_DECLARE_METATYPE(chom::CoherencyFinding)
