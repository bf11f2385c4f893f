#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace chom {

// An error is a value with a stable machine code and a human message.
struct Error
{
    QString code;    // e.g. "quota_exceeded", "invalid_domain", "not_found", "store"
    QString message; // one line, for the operator
};

struct Unit
{
};

template <typename T>
class Result
{
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Error error) : m_v(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_v); }
    explicit operator bool() const { return ok(); }
    const T& value() const& { return std::get<T>(m_v); }
    T& value() & { return std::get<T>(m_v); }
    T value() && { return std::get<T>(std::move(m_v)); } // by value: safe in range-for
    const T& operator*() const& { return value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const { return std::get<Error>(m_v); }
    QString errorMessage() const { return ok() ? QString() : error().message; }

private:
    std::variant<T, Error> m_v;
};

using Status = Result<Unit>;

inline Status okStatus() { return Status(Unit{}); }
inline Error makeError(const QString& code, const QString& message) { return Error{code, message}; }

} // namespace chom
