#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace chom {

// What kind of failure an error is: front-ends act on the kind (chomctl's
// exit code, the GUI's wording), logs and scripts on the stable code.
enum class ErrorKind
{
    Usage,     // the caller asked wrongly (bad option, malformed input)
    NotFound,  // no such record
    Rule,      // refused by a rule: validation, quota, state
    Conflict,  // clashes with what exists (duplicate, changed host key)
    Store,     // the store failed (busy, read-only, full disk, newer schema)
    Transport, // the network or a server did not answer as a server should
    Remote,    // a server answered with an error of its own (agent, HTTP status)
    Cancelled, // stopped on request
    Internal,  // a bug or an unexpected state
};
QString toString(ErrorKind kind);

// An error is a value with a kind, a stable machine code and a human message.
struct Error
{
    QString code;    // e.g. "quota_exceeded", "invalid_domain", "not_found", "store"
    QString message; // one line, for the operator, already translated
    std::optional<ErrorKind> explicitKind = std::nullopt; // else derived from code
    // The explicit kind, or the one the code implies (kindOfCode).
    ErrorKind kind() const { return explicitKind ? *explicitKind : kindOfCode(code); }
    static ErrorKind kindOfCode(const QString& code);
};

struct Unit
{
};

// [[nodiscard]]: a result nobody looks at is a failure nobody hears of.
template <typename T> class [[nodiscard]] Result
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

inline Status okStatus()
{
    return Status(Unit{});
}
inline Error makeError(const QString& code, const QString& message)
{
    return Error{code, message};
}
inline Error makeError(ErrorKind kind, const QString& code, const QString& message)
{
    return Error{code, message, kind};
}

} // namespace chom
