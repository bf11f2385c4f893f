// vps.bootstrap: input {"vps_id": N, "agent_version": "x.y"}; a retry
// installs the bundled agent again from the first step.
#include "fleet/FleetKinds.h"

#include "fleet/FleetService.h"

#include <QCoreApplication>

namespace chom {

Result<Id> idField(const QJsonObject& input, const QString& key)
{
    const qint64 id = input.value(key).toInteger(0);
    if (id <= 0)
        return makeError(
            QStringLiteral("invalid_input"),
            QCoreApplication::translate("chom::OperationKind", "\"%1\" must be a positive integer.")
                .arg(key));
    return Id(id);
}

namespace {

class BootstrapKind final : public OperationKind
{
public:
    explicit BootstrapKind(FleetService& fleet) : m_fleet(fleet) {}
    QString type() const override { return optype::kBootstrap; }
    Status validateInput(const QJsonObject& input) const override
    {
        auto id = idField(input, QStringLiteral("vps_id"));
        return id ? okStatus() : Status(id.error());
    }
    Result<Id> retry(const Operation&, const QJsonObject& input, const QVector<Operation>&) override
    {
        return m_fleet.startBootstrap(input.value(QStringLiteral("vps_id")).toInteger());
    }

private:
    FleetService& m_fleet;
};

} // namespace

std::unique_ptr<OperationKind> makeBootstrapKind(FleetService& fleet)
{
    return std::make_unique<BootstrapKind>(fleet);
}

} // namespace chom
