#pragma once

#include "base/Result.h"
#include "store/Store.h"

namespace chom {

// Runs `body` inside one write transaction; commits only if it succeeded.
// The body returns Result<T>; audit entries written inside commit with it.
template <typename T, typename Body> Result<T> inTransaction(Store& store, Body&& body)
{
    Transaction tx(store.db());
    if (!tx.active())
        return makeError(QStringLiteral("store"),
                         QStringLiteral("The store is busy or read-only; nothing was changed."));
    Result<T> r = body();
    if (!r)
        return r;
    auto c = tx.commit();
    if (!c)
        return c.error();
    return r;
}

} // namespace chom
