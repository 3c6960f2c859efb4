// Rule P3: content-pack checksums, SHA-256 as lowercase hex (OpenSSL libcrypto).
#pragma once
#include "pure.hpp"

#include <string>
#include <string_view>

namespace residency {

std::string sha256_hex(std::string_view bytes);

// 64 lowercase hexadecimal digits, the only checksum form the table accepts.
bool is_sha256_hex(std::string_view text);

}  // namespace residency
