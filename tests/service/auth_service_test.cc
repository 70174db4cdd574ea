// AuthService over a real SQLite store: what the verified-token cache must
// not change.

#include "service/auth_service.h"

#include <gtest/gtest.h>

#include "store/sqlite_store.h"
#include "support/test_support.h"

namespace truthbyte {
namespace {

constexpr std::int64_t kNow = 1'795'600'000;
constexpr const char* kUser = "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
constexpr const char* kOther = "0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d";

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_.File("a.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    auth_ = std::make_unique<AuthService>(*store_, "a-test-secret-of-32-characters!!", "salt");
  }

  std::string Bearer(const std::string& token) { return "Bearer " + token; }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<AuthService> auth_;
};

TEST_F(AuthServiceTest, ACachedTokenStillExpires) {
  auto grant = auth_->CreateSession("127.0.0.1", kUser, kNow);
  ASSERT_TRUE(grant.ok());
  // Verified once (and remembered) while valid...
  auto first = auth_->Authenticate(Bearer(grant->access_token), kUser, kNow);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->user_id, kUser);
  ASSERT_NE(first->token_payload, nullptr);
  EXPECT_EQ((*first->token_payload)["session_id"], grant->session_id);
  // ...then refused once its lifetime is over, from the cache as at first.
  auto late = auth_->Authenticate(Bearer(grant->access_token), kUser, kNow + kAccessTokenSeconds);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kTokenExpired);
  auto again = auth_->Authenticate(Bearer(grant->access_token), kUser, kNow + 60);
  EXPECT_TRUE(again.ok()) << "the clock going back makes it valid again: expiry is checked, not cached";
}

TEST_F(AuthServiceTest, ACachedTokenIsStillBoundToItsUser) {
  auto grant = auth_->CreateSession("127.0.0.1", kUser, kNow);
  ASSERT_TRUE(grant.ok());
  ASSERT_TRUE(auth_->Authenticate(Bearer(grant->access_token), kUser, kNow).ok());
  auto other = auth_->Authenticate(Bearer(grant->access_token), kOther, kNow);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kUserMismatch);
}

TEST_F(AuthServiceTest, OnlyTheVerifiedTextHitsTheCache) {
  auto grant = auth_->CreateSession("127.0.0.1", kUser, kNow);
  ASSERT_TRUE(grant.ok());
  ASSERT_TRUE(auth_->Authenticate(Bearer(grant->access_token), kUser, kNow).ok());
  // The same token with a signature character changed is checked afresh
  // and refused. (Not the last one: its low two bits carry no data, so
  // some changes there decode to the same signature.)
  std::string forged = grant->access_token;
  char& c = forged[forged.size() - 5];
  c = c == 'A' ? 'Q' : 'A';
  auto r = auth_->Authenticate(Bearer(forged), kUser, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidToken);
  // A refresh token is never taken for an access token, cached or not.
  auto refresh = auth_->Authenticate(Bearer(grant->refresh_token), kUser, kNow);
  ASSERT_FALSE(refresh.ok());
  EXPECT_EQ(refresh.error().code, ErrorCode::kInvalidToken);
}

}  // namespace
}  // namespace truthbyte
