#pragma once

#include "base/Result.h"
#include "store/Store.h"

#include <memory>

namespace chom {

class Transaction;

// One write transaction for code outside the store layer, which never sees
// the statement helpers (store/Sql.h).
class WriteScope
{
public:
    explicit WriteScope(Store& store);
    ~WriteScope(); // rolls back unless committed
    bool active() const;
    [[nodiscard]] Status commit();

private:
    std::unique_ptr<Transaction> m_tx;
};

// Runs `body` inside one write transaction; commits only if it succeeded.
// The body returns Result<T>; audit entries written inside commit with it.
template <typename T, typename Body> Result<T> inTransaction(Store& store, Body&& body)
{
    WriteScope tx(store);
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
