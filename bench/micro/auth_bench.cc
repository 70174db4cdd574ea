// Authentication on every protected request: the HS256 check, then the
// session's bound user (from the cache once bound).

#include <benchmark/benchmark.h>

#include "bench_fixtures.h"
#include "core/jwt.h"
#include "service/auth_service.h"

namespace truthbyte::bench {
namespace {

constexpr std::int64_t kNow = 1'750'000'000;
// The length LoadJwtSecret generates (32 random bytes as hex).
const std::string kSecret(64, 'k');
constexpr const char* kUserId = "3f2b8c1e-9a4d-4e7f-8b6a-1c2d3e4f5a6b";

std::string AccessToken() {
  TokenClaims claims;
  claims.session_id = "6a1f0c3e-2b4d-4f8a-9c7e-5d3b1a0f2e4c";
  claims.subject = kUserId;
  claims.issued_at = kNow;
  claims.expires_at = kNow + kAccessTokenSeconds;
  return SignToken(claims, kSecret);
}

void BM_VerifyToken(benchmark::State& state) {
  const std::string token = AccessToken();
  for (auto _ : state) {
    VerifiedToken v = VerifyToken(token, kSecret, kNow);
    benchmark::DoNotOptimize(v.error);
  }
  state.counters["token_bytes"] = static_cast<double>(token.size());
}
BENCHMARK(BM_VerifyToken);

void BM_SignToken(benchmark::State& state) {
  TokenClaims claims;
  claims.session_id = "6a1f0c3e-2b4d-4f8a-9c7e-5d3b1a0f2e4c";
  claims.subject = kUserId;
  claims.issued_at = kNow;
  claims.expires_at = kNow + kAccessTokenSeconds;
  for (auto _ : state) benchmark::DoNotOptimize(SignToken(claims, kSecret));
}
BENCHMARK(BM_SignToken);

// AuthService::Authenticate for a session bound at creation, so the bound
// user comes from the cache and the store is not read. Arg 1 sends the
// X-User-ID header too (checked against the binding), 0 leaves it out.
void BM_Authenticate(benchmark::State& state) {
  Store& store = *SqliteStoreWithQuestions(0).store;
  AuthService auth(store, kSecret, "salt");
  auto grant = auth.CreateSession("192.0.2.1", kUserId, kNow);
  CheckSetup(grant.ok(), "cannot create a session");
  const std::string authorization = "Bearer " + grant->access_token;
  const std::string header = state.range(0) ? kUserId : "";
  for (auto _ : state) {
    auto caller = auth.Authenticate(authorization, header, kNow + 1);
    if (!caller.ok()) {
      state.SkipWithError("authentication failed");
      break;
    }
    benchmark::DoNotOptimize(caller->user_id.data());
  }
}
BENCHMARK(BM_Authenticate)->ArgName("with_user_header")->Arg(0)->Arg(1);

}  // namespace
}  // namespace truthbyte::bench
