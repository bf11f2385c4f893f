#pragma once

#include "Domain.h"
#include "ui/widgets/FormDialog.h"

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QtTest>

namespace chom::test {

// The visible top-level dialog of type T named `name` among `parent`'s children.
template <typename T> T* openDialog(QObject* parent, const QString& name)
{
    const auto all = parent->findChildren<T*>(name);
    for (T* d : all) {
        if (d->isVisible())
            return d;
    }
    return nullptr;
}

inline QString labelText(QObject* root, const QString& name)
{
    auto* l = root->findChild<QLabel*>(name);
    return l && l->isVisible() ? l->text() : QString();
}

inline bool selectData(QComboBox* box, Id id)
{
    const int idx = box->findData(QVariant::fromValue<Id>(id));
    if (idx < 0)
        return false;
    box->setCurrentIndex(idx);
    return true;
}

inline bool selectData(QComboBox* box, const QString& value)
{
    const int idx = box->findData(value);
    if (idx < 0)
        return false;
    box->setCurrentIndex(idx);
    return true;
}

} // namespace chom::test
