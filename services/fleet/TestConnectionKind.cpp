// vps.test_connection: input {"vps_id": N}; a retry tests the host again.
#include "fleet/FleetKinds.h"

#include "fleet/FleetService.h"

namespace chom {
namespace {

class TestConnectionKind final : public OperationKind
{
public:
    explicit TestConnectionKind(FleetService& fleet) : m_fleet(fleet) {}
    QString type() const override { return optype::kTestConnection; }
    Status validateInput(const QJsonObject& input) const override
    {
        auto id = idField(input, QStringLiteral("vps_id"));
        return id ? okStatus() : Status(id.error());
    }
    Result<Id> retry(const Operation&, const QJsonObject& input, const QVector<Operation>&) override
    {
        return m_fleet.startTestConnection(input.value(QStringLiteral("vps_id")).toInteger());
    }

private:
    FleetService& m_fleet;
};

} // namespace

std::unique_ptr<OperationKind> makeTestConnectionKind(FleetService& fleet)
{
    return std::make_unique<TestConnectionKind>(fleet);
}

} // namespace chom
