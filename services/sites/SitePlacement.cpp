#include "sites/SitePlacement.h"

#include <QCoreApplication>

namespace chom {

Result<Vps> chooseVps(const QVector<Vps>& fleet)
{
    const Vps* best = nullptr;
    auto load = [](const Vps& v) { return double(v.siteCount) / qMax(1, v.specCpu); };
    for (const Vps& v : fleet) {
        if (v.status != VpsStatus::Active ||
            (v.health != VpsHealth::Healthy && v.health != VpsHealth::Unknown))
            continue;
        if (!best || load(v) < load(*best) || (load(v) == load(*best) && v.id < best->id))
            best = &v;
    }
    if (!best)
        return makeError(QStringLiteral("no_placement"),
                         QCoreApplication::translate(
                             "chom::SitePlacement",
                             "No active, healthy VPS can take the site; choose one by hand or "
                             "check the fleet's health."));
    return *best;
}

} // namespace chom
