// Which requests the server hands to its blocking pool (Api::Blocks): those
// that may wait on the store, as the route table declares its store calls
// and the store says which calls may wait (Store::MayBlock). A socket
// thread that waited there would stall every other connection it serves; a
// write handled on a socket thread could never share a commit with writes
// from other connections.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/civil_date.h"
#include "http/api.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/sqlite_store.h"
#include "support/test_support.h"

namespace truthbyte::testing {
namespace {

constexpr std::int64_t kNowMs = 1764669600000;  // 2025-12-02T10:00:00Z

HttpRequest Request(http::verb method, const std::string& target) { return HttpRequest{method, target, 11}; }

// The services Blocks asks, over a real store; none is called to serve.
struct Services {
  explicit Services(std::unique_ptr<Store> s, bool shared_limits)
      : store(std::move(s)), catalog(*store), auth(*store, "a-test-secret-of-32-bytes-length", "salt"),
        game(*store, catalog) {
    if (shared_limits) {
      limiter = std::make_unique<StoreRateLimiter>(*store);
    } else {
      limiter = std::make_unique<MemoryRateLimiter>();
    }
    api = std::make_unique<Api>(ApiOptions{}, Api::Services{store.get(), &catalog, &auth, &game, nullptr, limiter.get()},
                                [] { return kNowMs; });
  }
  std::unique_ptr<Store> store;
  QuestionCatalog catalog;
  AuthService auth;
  GameService game;
  std::unique_ptr<RateLimiter> limiter;
  std::unique_ptr<Api> api;
};

TEST(ApiBlocksTest, OnAnEmbeddedStoreWritesBlockAndReadsDoNot) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.File("b.db"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_FALSE((*store)->MayBlock(Store::Call::kRequestRead));
  EXPECT_TRUE((*store)->MayBlock(Store::Call::kWrite));
  Services s(std::move(*store), /*shared_limits=*/false);
  for (const auto& [method, target] : std::vector<std::pair<http::verb, std::string>>{
           {http::verb::get, "/v1/session"},
           {http::verb::post, "/v1/submit-answers"},
           {http::verb::post, "/v1/submit-daily-answers"},
           {http::verb::post, "/v1/propose-question"},
           {http::verb::post, "/v1/approve-question"}})
    EXPECT_TRUE(s.api->Blocks(Request(method, target))) << target;
  // Served from memory or from the thread's own read connection.
  for (const std::string target : {"/health", "/metrics", "/ready", "/v1/fetch-questions?category=science",
                                   "/v1/categories", "/v1/get-categories", "/v1/user", "/v1/auth-ping", "/v1/ping",
                                   "/v1/user-submissions?limit=5", "/v1/moderation-queue", "/nowhere"})
    EXPECT_FALSE(s.api->Blocks(Request(http::verb::get, target))) << target;
  EXPECT_FALSE(s.api->Blocks(Request(http::verb::post, "/v1/refresh")));
  // A preflight is answered from the options alone.
  EXPECT_FALSE(s.api->Blocks(Request(http::verb::options, "/v1/submit-answers")));
}

TEST(ApiBlocksTest, TheDaysFreezeRunsOffTheSocketThreadsOnceThenTheDayIsReadFromMemory) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.File("d.db"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::vector<Question> questions;
  for (int i = 0; i < 12; ++i) {
    Question q;
    q.id = "q" + std::to_string(i);
    q.question = "Is question " + q.id + " true?";
    q.answer = i % 2 == 0;
    q.categories = NormaliseCategories({"science"});
    questions.push_back(q);
  }
  ASSERT_TRUE((*store)->UpsertQuestions(questions, nullptr).ok());
  Services s(std::move(*store), false);
  ASSERT_TRUE(s.catalog.RefreshNow().ok());
  const CivilDate today = CivilDate::FromUnixSeconds(kNowMs / 1000);

  EXPECT_TRUE(s.api->Blocks(Request(http::verb::get, "/v1/fetch-daily-questions")));
  EXPECT_TRUE(s.api->Blocks(Request(http::verb::get, "/v1/fetch-daily-questions?date=" + today.ToString())));
  ASSERT_TRUE(s.game.FetchDaily("0b6c9e1a-2d3f-4a5b-8c7d-6e5f4a3b2c1d", today, today).ok());
  EXPECT_FALSE(s.api->Blocks(Request(http::verb::get, "/v1/fetch-daily-questions")));
  EXPECT_FALSE(s.api->Blocks(Request(http::verb::get, "/v1/fetch-daily-questions?include=passage")));
  EXPECT_FALSE(s.api->Blocks(Request(http::verb::get, "/v1/fetch-daily-questions?date=" + today.ToString())));
  // Another day is not known yet; a bad date is refused before the store.
  EXPECT_TRUE(s.api->Blocks(Request(http::verb::get, "/v1/fetch-daily-questions?date=" + today.AddDays(-1).ToString())));
  EXPECT_FALSE(s.api->Blocks(Request(http::verb::get, "/v1/fetch-daily-questions?date=2025-02-30")));
}

TEST(ApiBlocksTest, AnUnboundTokensFirstUseBindsItOffTheSocketThreadsThenItIsKnown) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.File("a.db"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Services s(std::move(*store), false);
  // A session made without X-User-ID is bound by its first protected call.
  auto grant = s.auth.CreateSession("127.0.0.1", "", kNowMs / 1000);
  ASSERT_TRUE(grant.ok()) << grant.error().message;
  HttpRequest profile = Request(http::verb::get, "/v1/user");
  profile.set(http::field::authorization, "Bearer " + grant->access_token);
  profile.set("X-User-ID", "0b6c9e1a-2d3f-4a5b-8c7d-6e5f4a3b2c1d");
  EXPECT_TRUE(s.api->Blocks(profile));
  ASSERT_TRUE(s.auth.Authenticate("Bearer " + grant->access_token, "0b6c9e1a-2d3f-4a5b-8c7d-6e5f4a3b2c1d",
                                  kNowMs / 1000).ok());
  EXPECT_FALSE(s.api->Blocks(profile));
  // Without a token the request is refused before any store call.
  EXPECT_FALSE(s.api->Blocks(Request(http::verb::get, "/v1/user")));
}

TEST(ApiBlocksTest, EveryStoreCallBlocksOnARemoteStore) {
  DynamoDbOptions options;
  options.env = "blocks";
  options.client.endpoint = "http://127.0.0.1:9";  // never called
  auto store = OpenDynamoDbStore(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_TRUE((*store)->MayBlock(Store::Call::kRequestRead));
  Services s(std::move(*store), /*shared_limits=*/true);
  for (const std::string target : {"/v1/fetch-questions", "/v1/categories", "/v1/fetch-daily-questions", "/v1/user",
                                   "/v1/auth-ping", "/v1/session", "/ready", "/nowhere"})
    EXPECT_TRUE(s.api->Blocks(Request(http::verb::get, target))) << target;
  EXPECT_TRUE(s.api->Blocks(Request(http::verb::post, "/v1/submit-answers")));
  // No store call: the floor and the counters stay on the socket threads.
  EXPECT_FALSE(s.api->Blocks(Request(http::verb::get, "/health")));
  EXPECT_FALSE(s.api->Blocks(Request(http::verb::get, "/metrics")));
}

}  // namespace
}  // namespace truthbyte::testing
