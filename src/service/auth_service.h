// Sessions and tokens (SPEC section 5, "Authentication"): JWT HS256 access
// and refresh tokens, each session bound to one user. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/jwt.h"
#include "service/service_error.h"
#include "store/store.h"

namespace truthbyte {

inline constexpr std::int64_t kAccessTokenSeconds = 12 * 3600;
inline constexpr std::int64_t kRefreshTokenSeconds = 30 * 24 * 3600;

struct SessionGrant {
  std::string access_token;
  std::string refresh_token;
  std::int64_t expires_in = kAccessTokenSeconds;
  std::string session_id;
  std::string user_id;  // empty until the session is bound
};

// Who is calling, after authentication.
struct Caller {
  std::string user_id;
  std::string session_id;
  bool admin = false;
  std::shared_ptr<const nlohmann::json> token_payload;  // the decoded token payload
};

// Whether `text` is a UUID (8-4-4-4-12 hex) of version 4 and RFC 4122
// variant, in either case.
bool IsUuidV4(std::string_view text);
// A new random UUID v4, lower case.
std::string NewUuidV4();
// `bytes` random bytes as lower-case hex, from the system's CSPRNG.
std::string RandomHex(std::size_t bytes);

class AuthService {
 public:
  // `secret` signs tokens; `ip_salt` salts the stored IP hashes.
  AuthService(Store& store, std::string secret, std::string ip_salt);

  // A new session; bound to `user_id_header` when it is given (it must be
  // a UUID v4).
  Outcome<SessionGrant> CreateSession(const std::string& client_ip, const std::string& user_id_header,
                                      std::int64_t now);
  // A new access token for a valid refresh token.
  Outcome<SessionGrant> Refresh(const std::string& refresh_token, std::int64_t now);
  // Checks "Authorization: Bearer <access token>" and the X-User-ID header
  // (either may be empty when absent), binding the session on first use.
  Outcome<Caller> Authenticate(std::string_view authorization, std::string_view user_id_header, std::int64_t now);
  // Whether Authenticate of `authorization` may write (bind its session):
  // false only for a token this service has verified and whose session it
  // knows bound (or an admin's), which is every request but a token's first.
  bool MayBind(std::string_view authorization) const;
  // An access token that may moderate, for operators.
  std::string AdminToken(std::int64_t now, std::int64_t lifetime_seconds = kAccessTokenSeconds) const;

  std::string HashIp(const std::string& ip) const;

 private:
  std::string Sign(const std::string& session_id, TokenType type, const std::string& user_id, std::int64_t now,
                   std::int64_t lifetime) const;
  // The user a session is bound to ("" when unbound); cached once bound,
  // since a binding never changes.
  Outcome<std::string> BoundUser(const std::string& session_id);

  // A verified access token's claims, kept so that a token is checked (HMAC,
  // base64, JSON) once, not on every request. Keyed by the token's text, so
  // only the very token that was verified hits; expiry is still checked
  // against `now` each time.
  struct VerifiedAccess {
    TokenClaims claims;
    std::shared_ptr<const nlohmann::json> payload;
  };
  static constexpr std::size_t kMaxVerifiedTokens = 100000;
  // Shared, not copied: a hit costs a lookup, no copy of the claims.
  std::shared_ptr<const VerifiedAccess> CachedToken(std::string_view token) const;
  void RememberToken(std::string_view token, std::shared_ptr<const VerifiedAccess> verified);
  // Looks tokens up by string_view, without building a string per request.
  struct TokenHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view token) const { return std::hash<std::string_view>()(token); }
  };

  Store& store_;
  const std::string secret_;
  const std::string ip_salt_;
  mutable std::mutex cache_mu_;
  std::unordered_map<std::string, std::string> bound_users_;
  mutable std::shared_mutex tokens_mu_;
  std::unordered_map<std::string, std::shared_ptr<const VerifiedAccess>, TokenHash, std::equal_to<>> verified_tokens_;
};

// The signing secret: TRUTHBYTE_JWT_SECRET when set; otherwise, outside
// production, a random secret kept in the store so tokens survive restarts.
// In production (env "prod") a missing secret is an error.
Result<std::string> LoadJwtSecret(Store& store, const std::string& env);
// The salt for IP hashes, generated once and kept in the store.
Result<std::string> LoadIpSalt(Store& store);

}  // namespace truthbyte
