#pragma once

#include "Domain.h"
#include "base/Result.h"

#include <QVector>

namespace chom {

class Store;
class ChangeNotifier;

class VpsService
{
public:
    VpsService(Store& store, ChangeNotifier& notifier) : m_store(store), m_notifier(notifier) {}

    Result<Id> create(const Vps& input);
    Status update(const Vps& input);
    Status setStatus(Id id, VpsStatus status);
    Status remove(Id id); // refused while it hosts sites

    // Reads, for the front-ends (which never build repositories themselves).
    Result<QVector<Vps>> list() const; // with per-VPS site counts
    Result<Vps> get(Id id) const;

    static Result<Vps> normalized(const Vps& input);

private:
    Store& m_store;
    ChangeNotifier& m_notifier;
};

} // namespace chom
