// Rule P3: content-pack checksums, SHA-256 as lowercase hex (OpenSSL libcrypto).
#pragma once
#include "pure.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace residency {

// Large buffers are digested in chunks of this many bytes (well under a
// millisecond each), with a poll for interrupts (interrupt.hpp) between
// them.
inline constexpr std::size_t sha256_chunk = 256 * 1024;

std::string sha256_hex(std::string_view bytes);

// SHA-256 over bytes that arrive in pieces (of any size: a large piece is
// digested in chunks, as sha256_hex() does).
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(std::string_view bytes);
    std::string hex();  // finishes the digest; call once

private:
    struct Context;
    std::unique_ptr<Context> ctx_;
};

// 64 lowercase hexadecimal digits, the only checksum form the table accepts.
bool is_sha256_hex(std::string_view text);

}  // namespace residency
