// Rule P3's checksum (src/core/sha256.hpp): SHA-256 as 64 lowercase hex
// digits. Test vectors from FIPS 180-2, appendix B, and the NIST examples.
#include "sha256.hpp"

#include <gtest/gtest.h>

#include <string>

namespace residency {
namespace {

constexpr const char* empty_digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* abc_digest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";  // 448 bits
constexpr const char* two_blocks_digest = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
constexpr const char* million_a_digest = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

TEST(Sha256, EmptyInput)
{
    EXPECT_EQ(sha256_hex(""), empty_digest);
}

TEST(Sha256, Abc)
{
    EXPECT_EQ(sha256_hex("abc"), abc_digest);
}

TEST(Sha256, FourHundredFortyEightBits)
{
    ASSERT_EQ(std::string(two_blocks).size() * 8, 448u);
    EXPECT_EQ(sha256_hex(two_blocks), two_blocks_digest);
}

TEST(Sha256, OneMillionA)
{
    EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), million_a_digest);
}

TEST(Sha256, EmbeddedNulBytesAreHashed)
{
    // bytes, not a C string: "a\0b" differs from "a"
    EXPECT_NE(sha256_hex(std::string("a\0b", 3)), sha256_hex("a"));
}

TEST(Sha256, StreamingMatchesOneShot)
{
    Sha256 empty;
    EXPECT_EQ(empty.hex(), empty_digest);

    Sha256 abc;
    abc.update("a");
    abc.update("");
    abc.update("bc");
    EXPECT_EQ(abc.hex(), abc_digest);

    // one million 'a' in uneven pieces (block boundaries fall inside them)
    Sha256 million;
    std::string piece(997, 'a');
    std::size_t left = 1000000;
    while (left > 0) {
        std::size_t n = left < piece.size() ? left : piece.size();
        million.update(std::string_view(piece).substr(0, n));
        left -= n;
    }
    EXPECT_EQ(million.hex(), million_a_digest);
}

TEST(Sha256, OutputIsSha256Hex)
{
    EXPECT_TRUE(is_sha256_hex(sha256_hex("residency")));
    EXPECT_EQ(sha256_hex("residency").size(), 64u);
}

TEST(Sha256Hex, Accepts64LowercaseHexDigits)
{
    EXPECT_TRUE(is_sha256_hex(empty_digest));
    EXPECT_TRUE(is_sha256_hex(std::string(64, '0')));
    EXPECT_TRUE(is_sha256_hex(std::string(64, 'f')));
    EXPECT_TRUE(is_sha256_hex("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
}

TEST(Sha256Hex, RejectsEverythingElse)
{
    std::string ok = abc_digest;
    EXPECT_FALSE(is_sha256_hex(""));
    EXPECT_FALSE(is_sha256_hex(ok.substr(0, 63)));      // 63 digits
    EXPECT_FALSE(is_sha256_hex(ok + "0"));              // 65 digits
    EXPECT_FALSE(is_sha256_hex(std::string(64, 'A')));  // upper case
    EXPECT_FALSE(is_sha256_hex("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
    EXPECT_FALSE(is_sha256_hex(std::string(63, 'a') + "g"));  // not hex
    EXPECT_FALSE(is_sha256_hex(" " + ok.substr(1)));          // space
    EXPECT_FALSE(is_sha256_hex("0x" + ok.substr(2)));         // prefix
    EXPECT_FALSE(is_sha256_hex(std::string(ok).replace(10, 1, 1, '\0')));
}

}  // namespace
}  // namespace residency

// ---- pieces of every size around the 64-byte block ---------------------------

namespace residency {
namespace {

// The incremental digest equals the one-shot digest whatever the piece
// size: 1 byte, either side of a block (63, 64, 65), either side of the
// padding boundary (55, 56) and of two blocks (127, 128, 129).
TEST(Sha256, PiecesOfEverySizeGiveTheSameDigest)
{
    std::string input;
    for (int i = 0; i < 1000; ++i)
        input += static_cast<char>((i * 7 + 3) % 256);  // every byte value, NUL included
    const std::string expected = sha256_hex(input);
    for (std::size_t piece : {1, 2, 3, 55, 56, 63, 64, 65, 127, 128, 129, 999, 1000, 4096}) {
        Sha256 h;
        for (std::size_t at = 0; at < input.size(); at += piece)
            h.update(std::string_view(input).substr(at, piece));
        EXPECT_EQ(h.hex(), expected) << "pieces of " << piece << " bytes";
    }
    // the FIPS vectors, fed byte by byte
    for (const auto& [text, digest] : {std::pair<std::string, const char*>{"abc", abc_digest},
                                       std::pair<std::string, const char*>{two_blocks, two_blocks_digest}}) {
        Sha256 h;
        for (char c : text)
            h.update(std::string_view(&c, 1));
        EXPECT_EQ(h.hex(), digest) << text;
    }
    // one million 'a' in 64-byte blocks, then in 65-byte pieces
    for (std::size_t piece : {64, 65}) {
        const std::string chunk(piece, 'a');
        Sha256 h;
        std::size_t left = 1000000;
        while (left > 0) {
            std::size_t n = left < piece ? left : piece;
            h.update(std::string_view(chunk).substr(0, n));
            left -= n;
        }
        EXPECT_EQ(h.hex(), million_a_digest) << "pieces of " << piece << " bytes";
    }
}

}  // namespace
}  // namespace residency
