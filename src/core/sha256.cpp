#include "sha256.hpp"

#include "error.hpp"
#include "interrupt.hpp"

#include <openssl/evp.h>

#include <algorithm>

namespace residency {

namespace {

std::string to_hex(const unsigned char* digest, unsigned int length)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(2 * length, '0');
    for (unsigned int i = 0; i < length; ++i) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 0x0f];
    }
    return out;
}

[[noreturn]] void digest_failed()
{
    throw Error(sqlstate::internal_error, "could not compute SHA-256 digest", "OpenSSL's digest call failed.");
}

}  // namespace

std::string sha256_hex(std::string_view bytes)
{
    if (bytes.size() > sha256_chunk) {  // in chunks, polling for interrupts between them
        Sha256 sha;
        sha.update(bytes);
        return sha.hex();
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    // EVP_Digest is one-shot: no context object to leak on any path.
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1 || length != 32)
        digest_failed();
    return to_hex(digest, length);
}

struct Sha256::Context {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
    std::size_t unpolled = 0;  // bytes digested since the last poll for interrupts
};

Sha256::Sha256() : ctx_(std::make_unique<Context>())
{
    if (!ctx_->md || EVP_DigestInit_ex(ctx_->md.get(), EVP_sha256(), nullptr) != 1)
        digest_failed();
}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view bytes)
{
    // A poll after every sha256_chunk bytes digested, whether they come in
    // one piece or in many small ones.
    while (!bytes.empty()) {
        if (ctx_->unpolled == sha256_chunk) {
            poll_interrupts();
            ctx_->unpolled = 0;
        }
        std::size_t n = std::min(bytes.size(), sha256_chunk - ctx_->unpolled);
        if (EVP_DigestUpdate(ctx_->md.get(), bytes.data(), n) != 1)
            digest_failed();
        ctx_->unpolled += n;
        bytes.remove_prefix(n);
    }
}

std::string Sha256::hex()
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(ctx_->md.get(), digest, &length) != 1 || length != 32)
        digest_failed();
    return to_hex(digest, length);
}

bool is_sha256_hex(std::string_view text)
{
    if (text.size() != 64)
        return false;
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

}  // namespace residency
