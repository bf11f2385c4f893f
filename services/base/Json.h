#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace chom {

// An object as one line of JSON: how journal inputs and step outputs are kept.
inline QString compactJson(const QJsonObject& o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// A journaled JSON text back as an object (empty when it is not one).
inline QJsonObject jsonObjectFrom(const QString& json)
{
    return QJsonDocument::fromJson(json.toUtf8()).object();
}

} // namespace chom
