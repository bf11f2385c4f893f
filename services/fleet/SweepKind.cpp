// vps.sweep: input {"vps_ids": [N, ...], "parallel": P}; step i checked
// vps_ids[i]. A retry checks only the hosts whose step did not complete,
// never "every active VPS".
#include "fleet/FleetKinds.h"

#include "fleet/FleetService.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <algorithm>

namespace chom {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("chom::OperationKind", text);
}

class SweepKind final : public OperationKind
{
public:
    explicit SweepKind(FleetService& fleet) : m_fleet(fleet) {}
    QString type() const override { return optype::kSweep; }

    Status validateInput(const QJsonObject& input) const override
    {
        return requireIds(input, QStringLiteral("vps_ids"), QStringLiteral("VPS"));
    }

    Status canRetry(const Operation& op, const QVector<Operation>& steps) const override
    {
        if (auto st = OperationKind::canRetry(op, steps); !st)
            return st;
        const auto completed = [](const Operation& s) {
            return s.status == OperationStatus::Completed;
        };
        if (!steps.isEmpty() && std::all_of(steps.begin(), steps.end(), completed))
            return makeError(
                QStringLiteral("not_retryable"),
                tr("Every host of operation #%1 completed; nothing to retry.").arg(op.id));
        return okStatus();
    }

    Result<Id> retry(const Operation& op, const QJsonObject& input,
                     const QVector<Operation>& steps) override
    {
        const QVector<Id> again =
            notCompleted(input.value(QStringLiteral("vps_ids")).toArray(), steps);
        if (again.isEmpty())
            return makeError(QStringLiteral("not_retryable"),
                             tr("Operation #%1 has no failed host to check again.").arg(op.id));
        return m_fleet.startSweep(again, input.value(QStringLiteral("parallel")).toInt(20));
    }

private:
    FleetService& m_fleet;
};

} // namespace

std::unique_ptr<OperationKind> makeSweepKind(FleetService& fleet)
{
    return std::make_unique<SweepKind>(fleet);
}

} // namespace chom
