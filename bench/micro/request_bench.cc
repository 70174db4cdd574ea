// The rest of a fetch-questions request: the per-user rate limit, and the
// whole request through Api::Handle (no sockets) for the total.

#include <benchmark/benchmark.h>

#include <cstdio>

#include "bench_fixtures.h"
#include "http/api.h"
#include "service/auth_service.h"
#include "service/game_service.h"
#include "service/proposal_service.h"
#include "service/rate_limiter.h"

namespace truthbyte::bench {
namespace {

constexpr std::int64_t kNow = 1'750'000'000;
constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kNoLimit = std::int64_t{1} << 62;
constexpr const char* kUserId = "3f2b8c1e-9a4d-4e7f-8b6a-1c2d3e4f5a6b";

// One counted request for one of `users` users (arg), as Api::Dispatch
// counts every protected call ("user:" + id).
void BM_MemoryRateLimiterHit(benchmark::State& state) {
  MemoryRateLimiter limiter;
  const auto users = static_cast<std::size_t>(state.range(0));
  std::vector<std::string> keys;
  char key[64];
  for (std::size_t i = 0; i < users; ++i) {
    std::snprintf(key, sizeof key, "user:%08zx-9a4d-4e7f-8b6a-1c2d3e4f5a6b", i);
    keys.emplace_back(key);
  }
  std::size_t next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(limiter.Hit(keys[next], kNoLimit, kHour, kNow));
    if (++next == users) next = 0;
  }
}
BENCHMARK(BM_MemoryRateLimiterHit)->ArgName("users")->Arg(1)->Arg(10'000);

// GET /v1/fetch-questions?count=N through Api::Handle, with a bound session
// and the catalog of a SQLite store of 10,000 generated questions: routing,
// query parsing, authentication, the rate limit, sampling, the body and the
// response headers. GET /health is the floor of the plumbing.
class ApiFixture {
 public:
  ApiFixture()
      : stored_(SqliteStoreWithQuestions(10'000)),
        auth_(*stored_.store, std::string(64, 'k'), "salt"),
        game_(*stored_.store, *stored_.catalog),
        proposals_(*stored_.store, *stored_.catalog),
        api_(Options(), Api::Services{stored_.store.get(), stored_.catalog.get(), &auth_, &game_, &proposals_, &limiter_},
             [] { return kNow * 1000; }) {
    auto grant = auth_.CreateSession("192.0.2.1", kUserId, kNow);
    CheckSetup(grant.ok(), "cannot create a session");
    access_token_ = grant->access_token;
  }

  HttpRequest Get(const std::string& target) const {
    HttpRequest request{http::verb::get, target, 11};
    request.set(http::field::host, "localhost");
    request.set(http::field::authorization, "Bearer " + access_token_);
    request.set("X-User-ID", kUserId);
    return request;
  }
  Api& api() { return api_; }

 private:
  static ApiOptions Options() {
    ApiOptions options;
    options.user_limit = kNoLimit;
    return options;
  }

  StoreWithCatalog& stored_;
  AuthService auth_;
  GameService game_;
  ProposalService proposals_;
  MemoryRateLimiter limiter_;
  Api api_;
  std::string access_token_;
};

void HandleRequest(benchmark::State& state, const std::string& target) {
  ApiFixture fixture;
  const HttpRequest request = fixture.Get(target);
  const std::string client_ip = "192.0.2.1";
  for (auto _ : state) {
    HttpResponse response = fixture.api().Handle(request, client_ip);
    if (response.result_int() != 200) {
      state.SkipWithError(("status " + std::to_string(response.result_int())).c_str());
      break;
    }
    benchmark::DoNotOptimize(response.body().data());
  }
}

void BM_HandleFetchQuestions(benchmark::State& state) {
  HandleRequest(state, "/v1/fetch-questions?count=" + std::to_string(state.range(0)));
}
BENCHMARK(BM_HandleFetchQuestions)->ArgName("n")->Arg(10)->Arg(20);

void BM_HandleHealth(benchmark::State& state) { HandleRequest(state, "/health"); }
BENCHMARK(BM_HandleHealth);

}  // namespace
}  // namespace truthbyte::bench
