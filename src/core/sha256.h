// SHA-256 digests and HMAC-SHA256 (pure computation over OpenSSL's implementation).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace truthbyte {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest Sha256(std::string_view data);
// Lower-case hexadecimal of `data`.
std::string HexEncode(const std::uint8_t* data, std::size_t size);
std::string Sha256Hex(std::string_view data);
// HMAC-SHA256 of `data` under `key` (RFC 2104), as 32 raw bytes.
std::string HmacSha256(std::string_view key, std::string_view data);

}  // namespace truthbyte
