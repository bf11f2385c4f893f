#pragma once

#include <QByteArray>

#include <memory>

struct evp_md_ctx_st;

namespace chom {

// Incremental SHA-256 over OpenSSL's EVP (SHA-NI/AVX2 when the CPU has
// them): the inspector hashes every member while it streams, and Qt 6.4's
// own SHA-256 is several times slower than the archive's decompression.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void reset();
    void add(const void* data, size_t size);
    QByteArray hexDigest(); // lower-case, 64 characters; resets the state

private:
    evp_md_ctx_st* m_ctx;
};

} // namespace chom
