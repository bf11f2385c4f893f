#include "ops/OperationKind.h"

#include "store/OperationJournal.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace chom {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("chom::OperationKind", text);
}

Error notRetryable(const QString& message)
{
    return makeError(QStringLiteral("not_retryable"), message);
}

} // namespace

QString OperationKind::stepLabel(const Operation& step) const
{
    const QString name = step.type.section(QLatin1Char('/'), 1);
    return name.isEmpty() ? step.type : name;
}

Status OperationKind::canRetry(const Operation& op, const QVector<Operation>&) const
{
    const OperationStatus s = op.status;
    if (s != OperationStatus::Failed && s != OperationStatus::Interrupted &&
        s != OperationStatus::Cancelled)
        return notRetryable(tr("Operation #%1 is %2; only failed, cancelled or interrupted "
                               "operations can be retried.")
                                .arg(op.id)
                                .arg(toString(s)));
    return okStatus();
}

void OperationKinds::add(std::unique_ptr<OperationKind> kind)
{
    const QString type = kind->type();
    m_kinds.insert(type, std::shared_ptr<OperationKind>(std::move(kind)));
}

const OperationKind* OperationKinds::find(const QString& type) const
{
    return m_kinds.value(type).get();
}

Status OperationKinds::canRetry(const Operation& op) const
{
    const OperationKind* kind = find(op.type);
    if (!kind)
        return notRetryable(tr("Operations of type %1 cannot be retried from here.").arg(op.type));
    return kind->canRetry(op, {});
}

Result<Id> OperationKinds::retry(Store& store, Id operationId)
{
    OperationJournal journal(store);
    auto op = journal.get(operationId);
    if (!op)
        return op.error();
    const auto kind = m_kinds.value(op.value().type);
    if (!kind)
        return notRetryable(
            tr("Operations of type %1 cannot be retried from here.").arg(op.value().type));
    auto steps = journal.steps(operationId);
    if (!steps)
        return steps.error();
    if (auto st = kind->canRetry(op.value(), steps.value()); !st)
        return st.error();
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(op.value().inputJson.toUtf8(), &parseError);
    if (!doc.isObject())
        return notRetryable(tr("Operation #%1 has unreadable input (%2); start it anew.")
                                .arg(operationId)
                                .arg(parseError.errorString()));
    if (auto st = kind->validateInput(doc.object()); !st)
        return notRetryable(
            tr("Operation #%1 cannot run again: %2").arg(operationId).arg(st.errorMessage()));
    return kind->retry(op.value(), doc.object(), steps.value());
}

QVector<Id> OperationKind::notCompleted(const QJsonArray& ids, const QVector<Operation>& steps)
{
    QVector<Id> out;
    for (int i = 0; i < ids.size(); ++i)
        if (i >= steps.size() || steps.at(i).status != OperationStatus::Completed)
            out << ids.at(i).toInteger();
    return out;
}

Status OperationKind::requireIds(const QJsonObject& input, const QString& key, const QString& what)
{
    const QJsonValue ids = input.value(key);
    if (!ids.isArray() || ids.toArray().isEmpty())
        return makeError(QStringLiteral("invalid_input"),
                         QCoreApplication::translate("chom::OperationKind",
                                                     "\"%1\" must be a non-empty list of %2 ids.")
                             .arg(key, what));
    for (const QJsonValue& v : ids.toArray())
        if (v.toInteger(0) <= 0)
            return makeError(QStringLiteral("invalid_input"),
                             QCoreApplication::translate("chom::OperationKind",
                                                         "\"%1\" holds something that is not a "
                                                         "%2 id.")
                                 .arg(key, what));
    return okStatus();
}

} // namespace chom
