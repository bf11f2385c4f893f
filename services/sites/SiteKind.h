#pragma once

#include "ops/OperationKind.h"

#include <QCoreApplication>
#include <QJsonObject>

#include <functional>

namespace chom {

// The kind of a journaled site operation: its input names the site
// ({"site_id": N, ...}); retry and resume start it again from that input.
class SiteKind final : public OperationKind
{
public:
    using Start = std::function<Result<Id>(const QJsonObject& input)>;
    SiteKind(QString type, Start start) : m_type(std::move(type)), m_start(std::move(start)) {}
    QString type() const override { return m_type; }
    Status validateInput(const QJsonObject& input) const override
    {
        if (input.value(QStringLiteral("site_id")).toInteger(0) <= 0)
            return makeError(QStringLiteral("invalid_input"),
                             QCoreApplication::translate(
                                 "chom::SiteKind", "\"site_id\" must be a positive integer."));
        return okStatus();
    }
    Result<Id> retry(const Operation&, const QJsonObject& input, const QVector<Operation>&) override
    {
        return m_start(input);
    }
    static Id siteOf(const QJsonObject& input)
    {
        return input.value(QStringLiteral("site_id")).toInteger();
    }

private:
    QString m_type;
    Start m_start;
};

} // namespace chom
