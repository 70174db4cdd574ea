#include "service/auth_service.h"

#include <openssl/rand.h>

#include <cstdlib>

#include "core/sha256.h"
#include "core/text.h"

namespace truthbyte {
namespace {

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

}  // namespace

bool IsUuidV4(std::string_view t) {
  if (t.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (t[i] != '-') return false;
    } else if (!IsHex(t[i])) {
      return false;
    }
  }
  const char variant = static_cast<char>(std::tolower(static_cast<unsigned char>(t[19])));
  return t[14] == '4' && (variant == '8' || variant == '9' || variant == 'a' || variant == 'b');
}

std::string RandomHex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) std::abort();
  return HexEncode(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size());
}

std::string NewUuidV4() {
  std::string h = RandomHex(16);
  h[12] = '4';
  static constexpr char kVariant[] = "89ab";
  h[16] = kVariant[std::stoi(h.substr(16, 1), nullptr, 16) & 3];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

AuthService::AuthService(Store& store, std::string secret, std::string ip_salt)
    : store_(store), secret_(std::move(secret)), ip_salt_(std::move(ip_salt)) {}

std::string AuthService::HashIp(const std::string& ip) const { return Sha256Hex(ip_salt_ + "|" + ip); }

std::string AuthService::Sign(const std::string& session_id, TokenType type, const std::string& user_id,
                              std::int64_t now, std::int64_t lifetime) const {
  TokenClaims claims;
  claims.session_id = session_id;
  claims.type = type;
  claims.subject = user_id;
  claims.issued_at = now;
  claims.expires_at = now + lifetime;
  return SignToken(claims, secret_);
}

std::string AuthService::AdminToken(std::int64_t now, std::int64_t lifetime_seconds) const {
  TokenClaims claims;
  claims.session_id = "admin-" + RandomHex(8);
  claims.type = TokenType::kAccess;
  claims.subject = "admin";
  claims.issued_at = now;
  claims.expires_at = now + lifetime_seconds;
  claims.admin = true;
  return SignToken(claims, secret_);
}

Outcome<SessionGrant> AuthService::CreateSession(const std::string& client_ip, const std::string& user_id_header,
                                                 std::int64_t now) {
  if (!user_id_header.empty() && !IsUuidV4(user_id_header))
    return ServiceError::Of(ErrorCode::kInvalidUserId, "X-User-ID must be a UUID v4");
  Session session;
  session.session_id = NewUuidV4();
  session.ip_hash = HashIp(client_ip);
  session.user_id = ToLowerAscii(user_id_header);
  session.created_at = now;
  if (Status s = store_.CreateSession(session); !s.ok()) return ServiceError::FromStatus(s);
  if (!session.user_id.empty()) {
    std::lock_guard lock(cache_mu_);
    bound_users_[session.session_id] = session.user_id;
  }
  SessionGrant grant;
  grant.session_id = session.session_id;
  grant.user_id = session.user_id;
  grant.access_token = Sign(session.session_id, TokenType::kAccess, session.user_id, now, kAccessTokenSeconds);
  grant.refresh_token = Sign(session.session_id, TokenType::kRefresh, session.user_id, now, kRefreshTokenSeconds);
  return grant;
}

Outcome<SessionGrant> AuthService::Refresh(const std::string& refresh_token, std::int64_t now) {
  VerifiedToken v = VerifyToken(refresh_token, secret_, now);
  if (v.error == TokenError::kExpired) return ServiceError::Of(ErrorCode::kTokenExpired, "the refresh token has expired");
  if (v.error != TokenError::kNone) return ServiceError::Of(ErrorCode::kInvalidToken, "the refresh token is not valid");
  if (v.claims.type != TokenType::kRefresh)
    return ServiceError::Of(ErrorCode::kInvalidToken, "an access token cannot be used to refresh");
  auto bound = BoundUser(v.claims.session_id);
  if (!bound.ok()) return bound.error();
  SessionGrant grant;
  grant.session_id = v.claims.session_id;
  grant.user_id = *bound;
  grant.access_token = Sign(grant.session_id, TokenType::kAccess, grant.user_id, now, kAccessTokenSeconds);
  return grant;
}

Outcome<std::string> AuthService::BoundUser(const std::string& session_id) {
  {
    std::lock_guard lock(cache_mu_);
    auto it = bound_users_.find(session_id);
    if (it != bound_users_.end()) return it->second;
  }
  auto session = store_.GetSession(session_id);
  if (!session.ok()) return ServiceError::FromStatus(session.status());
  if (!*session) return ServiceError::Of(ErrorCode::kInvalidToken, "the token's session does not exist");
  const std::string user = (*session)->user_id;
  if (!user.empty()) {
    std::lock_guard lock(cache_mu_);
    bound_users_[session_id] = user;
  }
  return user;
}

Outcome<Caller> AuthService::Authenticate(std::string_view authorization, std::string_view user_id_header,
                                          std::int64_t now) {
  if (authorization.empty()) return ServiceError::Of(ErrorCode::kMissingToken, "Authorization: Bearer <token> is required");
  constexpr std::string_view kBearer = "bearer ";  // the scheme is case-insensitive (RFC 9110)
  if (authorization.size() <= kBearer.size() || ToLowerAscii(authorization.substr(0, kBearer.size())) != kBearer)
    return ServiceError::Of(ErrorCode::kInvalidToken, "the Authorization header must be \"Bearer <token>\"");
  const std::string_view token = authorization.substr(kBearer.size());
  std::shared_ptr<const VerifiedAccess> verified = CachedToken(token);
  if (!verified) {
    VerifiedToken v = VerifyToken(token, secret_, now);
    switch (v.error) {
      case TokenError::kNone: break;
      case TokenError::kExpired: return ServiceError::Of(ErrorCode::kTokenExpired, "the access token has expired");
      case TokenError::kBadAlgorithm:
        return ServiceError::Of(ErrorCode::kInvalidToken, "only HS256 tokens are accepted");
      case TokenError::kBadSignature:
        return ServiceError::Of(ErrorCode::kInvalidToken, "the token signature is not valid");
      case TokenError::kMalformed: return ServiceError::Of(ErrorCode::kInvalidToken, "the token is malformed");
    }
    if (v.claims.type != TokenType::kAccess)
      return ServiceError::Of(ErrorCode::kInvalidToken, "a refresh token cannot be used as an access token");
    verified = std::make_shared<const VerifiedAccess>(
        VerifiedAccess{std::move(v.claims), std::make_shared<const nlohmann::json>(std::move(v.payload))});
    RememberToken(token, verified);
  } else if (verified->claims.expires_at <= now) {
    return ServiceError::Of(ErrorCode::kTokenExpired, "the access token has expired");
  }
  if (!user_id_header.empty() && !IsUuidV4(user_id_header))
    return ServiceError::Of(ErrorCode::kInvalidUserId, "X-User-ID must be a UUID v4");
  const std::string requested = ToLowerAscii(user_id_header);

  const TokenClaims& claims = verified->claims;
  Caller caller;
  caller.session_id = claims.session_id;
  caller.token_payload = verified->payload;
  if (claims.admin) {
    caller.admin = true;
    caller.user_id = requested.empty() ? claims.subject : requested;
    return caller;
  }
  auto bound = BoundUser(claims.session_id);
  if (!bound.ok()) return bound.error();
  std::string user = *bound;
  if (user.empty()) {
    if (requested.empty())
      return ServiceError::Of(ErrorCode::kMissingHeader, "X-User-ID is required until the token is bound to a user");
    auto bound_now = store_.BindSession(claims.session_id, requested);
    if (bound_now.status().code() == StatusCode::kNotFound)
      return ServiceError::Of(ErrorCode::kInvalidToken, "the token's session does not exist");
    if (!bound_now.ok()) return ServiceError::FromStatus(bound_now.status());
    user = *bound_now;
    std::lock_guard lock(cache_mu_);
    bound_users_[claims.session_id] = user;
  }
  if (!requested.empty() && requested != user)
    return ServiceError::Of(ErrorCode::kUserMismatch, "this token belongs to another user");
  caller.user_id = user;
  return caller;
}

bool AuthService::MayBind(std::string_view authorization) const {
  constexpr std::size_t kBearerLength = 7;  // "Bearer ", any case
  if (authorization.size() <= kBearerLength) return false;  // refused before any store call
  std::shared_ptr<const VerifiedAccess> verified = CachedToken(authorization.substr(kBearerLength));
  if (!verified) return true;
  if (verified->claims.admin) return false;
  std::lock_guard lock(cache_mu_);
  return bound_users_.count(verified->claims.session_id) == 0;
}

std::shared_ptr<const AuthService::VerifiedAccess> AuthService::CachedToken(std::string_view token) const {
  std::shared_lock lock(tokens_mu_);
  auto it = verified_tokens_.find(token);
  if (it == verified_tokens_.end()) return nullptr;
  return it->second;
}

void AuthService::RememberToken(std::string_view token, std::shared_ptr<const VerifiedAccess> verified) {
  std::unique_lock lock(tokens_mu_);
  // Bounded: when full, start over (the tokens in use come back at once).
  if (verified_tokens_.size() >= kMaxVerifiedTokens) verified_tokens_.clear();
  verified_tokens_.emplace(std::string(token), std::move(verified));
}

Result<std::string> LoadJwtSecret(Store& store, const std::string& env) {
  if (const char* secret = std::getenv("TRUTHBYTE_JWT_SECRET"); secret && *secret) {
    if (std::string(secret).size() < 16) return Status::InvalidArgument("TRUTHBYTE_JWT_SECRET must be at least 16 characters");
    return std::string(secret);
  }
  if (env == "prod")
    return Status::InvalidArgument("--env prod needs TRUTHBYTE_JWT_SECRET (at least 16 characters) in the environment");
  return store.PutSettingIfAbsent("dev_jwt_secret", RandomHex(32));
}

Result<std::string> LoadIpSalt(Store& store) { return store.PutSettingIfAbsent("ip_hash_salt", RandomHex(16)); }

}  // namespace truthbyte
