#include "core/jwt.h"

#include <openssl/crypto.h>

#include "core/sha256.h"

namespace truthbyte {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int DecodeChar(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

const char* TokenTypeName(TokenType type) { return type == TokenType::kAccess ? "access" : "refresh"; }

std::string Base64UrlEncode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const std::uint32_t v = (static_cast<std::uint8_t>(data[i]) << 16) | (static_cast<std::uint8_t>(data[i + 1]) << 8) |
                            static_cast<std::uint8_t>(data[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == data.size()) {
    const std::uint32_t v = static_cast<std::uint8_t>(data[i]) << 16;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
  } else if (i + 2 == data.size()) {
    const std::uint32_t v = (static_cast<std::uint8_t>(data[i]) << 16) | (static_cast<std::uint8_t>(data[i + 1]) << 8);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

bool Base64UrlDecode(std::string_view text, std::string* out) {
  if (text.size() % 4 == 1) return false;
  out->clear();
  out->reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int v = DecodeChar(c);
    if (v < 0) return false;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return true;
}

std::string SignToken(const TokenClaims& claims, std::string_view key) {
  nlohmann::ordered_json payload;
  payload["session_id"] = claims.session_id;
  payload["type"] = TokenTypeName(claims.type);
  payload["sub"] = claims.subject;
  payload["iat"] = claims.issued_at;
  payload["exp"] = claims.expires_at;
  if (claims.admin) payload["admin"] = true;
  const std::string signing_input =
      Base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})") + "." + Base64UrlEncode(payload.dump());
  return signing_input + "." + Base64UrlEncode(HmacSha256(key, signing_input));
}

VerifiedToken VerifyToken(std::string_view token, std::string_view key, std::int64_t now) {
  VerifiedToken result;
  result.error = TokenError::kMalformed;
  const auto first = token.find('.');
  const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) return result;
  const std::string_view header_part = token.substr(0, first);
  const std::string_view payload_part = token.substr(first + 1, second - first - 1);
  const std::string_view signature_part = token.substr(second + 1);

  std::string header_text, payload_text, signature;
  if (!Base64UrlDecode(header_part, &header_text) || !Base64UrlDecode(payload_part, &payload_text) ||
      !Base64UrlDecode(signature_part, &signature))
    return result;
  const nlohmann::json header = nlohmann::json::parse(header_text, nullptr, false);
  if (!header.is_object()) return result;
  auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string() || alg->get_ref<const std::string&>() != "HS256") {
    result.error = TokenError::kBadAlgorithm;
    return result;
  }
  const std::string expected = HmacSha256(key, token.substr(0, second));
  if (signature.size() != expected.size() || CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
    result.error = TokenError::kBadSignature;
    return result;
  }
  nlohmann::json payload = nlohmann::json::parse(payload_text, nullptr, false);
  if (!payload.is_object()) return result;
  auto sid = payload.find("session_id");
  auto type = payload.find("type");
  auto exp = payload.find("exp");
  auto sub = payload.find("sub");
  if (sid == payload.end() || !sid->is_string() || type == payload.end() || !type->is_string() ||
      exp == payload.end() || !exp->is_number_integer())
    return result;
  const std::string& type_name = type->get_ref<const std::string&>();
  if (type_name != "access" && type_name != "refresh") return result;
  result.claims.session_id = sid->get<std::string>();
  result.claims.type = type_name == "access" ? TokenType::kAccess : TokenType::kRefresh;
  result.claims.expires_at = exp->get<std::int64_t>();
  if (sub != payload.end() && sub->is_string()) result.claims.subject = sub->get<std::string>();
  if (auto iat = payload.find("iat"); iat != payload.end() && iat->is_number_integer())
    result.claims.issued_at = iat->get<std::int64_t>();
  if (auto admin = payload.find("admin"); admin != payload.end() && admin->is_boolean())
    result.claims.admin = admin->get<bool>();
  result.payload = std::move(payload);
  result.error = result.claims.expires_at <= now ? TokenError::kExpired : TokenError::kNone;
  return result;
}

}  // namespace truthbyte
