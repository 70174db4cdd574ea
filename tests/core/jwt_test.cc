// JWT HS256: signing, verification, and every way a token is refused.

#include "core/jwt.h"

#include <gtest/gtest.h>

#include "core/sha256.h"

namespace truthbyte {
namespace {

constexpr std::string_view kKey = "0123456789abcdef0123456789abcdef";

TokenClaims Claims(std::int64_t now) {
  TokenClaims c;
  c.session_id = "s-1";
  c.type = TokenType::kAccess;
  c.subject = "11111111-1111-4111-8111-111111111111";
  c.issued_at = now;
  c.expires_at = now + 60;
  return c;
}

// RFC 4231 test case 2 (the one HMAC-SHA256 that JWTs and AWS SigV4 share).
TEST(HmacSha256Test, Rfc4231Case2) {
  const std::string mac = HmacSha256("Jefe", "what do ya want for nothing?");
  EXPECT_EQ(HexEncode(reinterpret_cast<const std::uint8_t*>(mac.data()), mac.size()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Base64UrlTest, RoundTripsAllLengthsWithoutPadding) {
  std::string data;
  for (int i = 0; i < 40; ++i) {
    const std::string encoded = Base64UrlEncode(data);
    EXPECT_EQ(encoded.find_first_of("+/="), std::string::npos);
    std::string decoded;
    ASSERT_TRUE(Base64UrlDecode(encoded, &decoded));
    EXPECT_EQ(decoded, data);
    data.push_back(static_cast<char>(i * 37 + 250));
  }
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  std::string out;
  EXPECT_FALSE(Base64UrlDecode("ab+c", &out));
  EXPECT_FALSE(Base64UrlDecode("a", &out));
}

TEST(JwtTest, RfcExampleKeyAndKnownSignature) {
  // The HS256 example of RFC 7515 appendix A.1 verifies with its key.
  std::string key;
  ASSERT_TRUE(Base64UrlDecode(
      "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow", &key));
  const std::string token =
      "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
      "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
      "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  // Its payload lacks our claims, so it is malformed for us, but the
  // signature check comes first: a wrong key must say bad signature.
  EXPECT_EQ(VerifyToken(token, key, 0).error, TokenError::kMalformed);
  EXPECT_EQ(VerifyToken(token, "wrong key", 0).error, TokenError::kBadSignature);
}

TEST(JwtTest, SignedTokenVerifiesWithItsClaims) {
  const std::string token = SignToken(Claims(1000), kKey);
  VerifiedToken v = VerifyToken(token, kKey, 1000);
  ASSERT_EQ(v.error, TokenError::kNone);
  EXPECT_EQ(v.claims.session_id, "s-1");
  EXPECT_EQ(v.claims.type, TokenType::kAccess);
  EXPECT_EQ(v.claims.subject, "11111111-1111-4111-8111-111111111111");
  EXPECT_EQ(v.claims.expires_at, 1060);
  EXPECT_FALSE(v.claims.admin);
  EXPECT_EQ(v.payload["type"], "access");
}

TEST(JwtTest, AdminAndRefreshClaimsSurvive) {
  TokenClaims c = Claims(0);
  c.type = TokenType::kRefresh;
  c.admin = true;
  VerifiedToken v = VerifyToken(SignToken(c, kKey), kKey, 0);
  ASSERT_EQ(v.error, TokenError::kNone);
  EXPECT_EQ(v.claims.type, TokenType::kRefresh);
  EXPECT_TRUE(v.claims.admin);
}

TEST(JwtTest, ExpiredAtAndAfterExp) {
  const std::string token = SignToken(Claims(1000), kKey);
  EXPECT_EQ(VerifyToken(token, kKey, 1059).error, TokenError::kNone);
  EXPECT_EQ(VerifyToken(token, kKey, 1060).error, TokenError::kExpired);
  EXPECT_EQ(VerifyToken(token, kKey, 5000).error, TokenError::kExpired);
}

TEST(JwtTest, OtherAlgorithmsAreRefused) {
  const std::string token = SignToken(Claims(0), kKey);
  const std::string rest = token.substr(token.find('.'));
  for (const char* header : {R"({"alg":"none","typ":"JWT"})", R"({"alg":"HS512","typ":"JWT"})",
                             R"({"alg":"RS256"})", R"({"alg":"hs256"})", R"({"typ":"JWT"})", R"({"alg":null})"}) {
    EXPECT_EQ(VerifyToken(Base64UrlEncode(header) + rest, kKey, 0).error, TokenError::kBadAlgorithm) << header;
  }
  // alg none with an empty signature, the classic attack.
  const std::string payload = token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1);
  EXPECT_EQ(VerifyToken(Base64UrlEncode(R"({"alg":"none"})") + "." + payload + ".", kKey, 0).error,
            TokenError::kBadAlgorithm);
}

TEST(JwtTest, TamperingBreaksTheSignature) {
  const std::string token = SignToken(Claims(0), kKey);
  std::string bad_sig = token;
  bad_sig.back() = bad_sig.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(VerifyToken(bad_sig, kKey, 0).error, TokenError::kBadSignature);
  EXPECT_EQ(VerifyToken(token, "another key entirely", 0).error, TokenError::kBadSignature);

  TokenClaims other = Claims(0);
  other.subject = "22222222-2222-4222-8222-222222222222";
  const std::string forged_payload = SignToken(other, kKey);
  const auto p1 = forged_payload.find('.'), p2 = forged_payload.rfind('.');
  std::string spliced = token.substr(0, token.find('.')) + forged_payload.substr(p1, p2 - p1) +
                        token.substr(token.rfind('.'));
  EXPECT_EQ(VerifyToken(spliced, kKey, 0).error, TokenError::kBadSignature);
}

TEST(JwtTest, MalformedTokens) {
  for (const char* t : {"", "abc", "a.b", "a.b.c.d", "!!!.???.***", "e30.e30.", "e30.e30.e30"}) {
    EXPECT_NE(VerifyToken(t, kKey, 0).error, TokenError::kNone) << t;
  }
}

}  // namespace
}  // namespace truthbyte
