// JSON Web Tokens signed with HMAC-SHA256 (HS256), the only algorithm we
// issue or accept. Pure computation: the caller supplies key and time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace truthbyte {

enum class TokenType { kAccess, kRefresh };
const char* TokenTypeName(TokenType type);

struct TokenClaims {
  std::string session_id;
  TokenType type = TokenType::kAccess;
  std::string subject;  // the bound user ("sub"), empty when unbound
  std::int64_t issued_at = 0;   // "iat", unix seconds
  std::int64_t expires_at = 0;  // "exp", unix seconds
  bool admin = false;           // may moderate
};

// "header.payload.signature" in base64url without padding.
std::string SignToken(const TokenClaims& claims, std::string_view key);

enum class TokenError {
  kNone,
  kMalformed,     // not three base64url parts of JSON objects with our claims
  kBadAlgorithm,  // "alg" other than HS256 (including "none")
  kBadSignature,
  kExpired,
};

struct VerifiedToken {
  TokenError error = TokenError::kNone;
  TokenClaims claims;     // meaningful when error is kNone
  nlohmann::json payload;  // the decoded payload, for /v1/auth-ping
};

// Checks structure, algorithm (HS256 only), signature (constant-time) and
// expiry against `now`. The token type is left to the caller.
VerifiedToken VerifyToken(std::string_view token, std::string_view key, std::int64_t now);

std::string Base64UrlEncode(std::string_view data);
// False on characters outside the base64url alphabet or a bad length.
bool Base64UrlDecode(std::string_view text, std::string* out);

}  // namespace truthbyte
