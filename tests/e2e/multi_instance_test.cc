// End-to-end: several `truthbyte serve` processes on one DynamoDB store
// behave as one service (daily submissions race to exactly one winner,
// approved questions reach every instance, rate limits are shared), and a
// server survives its store going away and coming back.
//
// Every test starts a dynalite of its own (persistent, so it can be stopped
// and restarted with its data), whatever engine the rest of the suite runs
// on (TRUTHBYTE_E2E_ENGINE).

#include <array>
#include <atomic>
#include <latch>
#include <optional>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "e2e/e2e_support.h"

namespace truthbyte::e2e {
namespace {

using ::testing::Contains;

// Every request of these tests must be answered within this time: a store
// that hangs must not hang the server's clients.
constexpr std::chrono::milliseconds kCallTimeout = std::chrono::seconds(10);

// A dynalite of the test's own with TruthByte's tables (one --env), and the
// options to point truthbyte processes at it.
class OwnStore {
 public:
  OwnStore() : dynalite_({.persist = true, .path = {}}) {
    args_ = {"--store", "dynamodb:", "--endpoint", dynalite_.endpoint(), "--env", "multi"};
    env_ = {{"AWS_ACCESS_KEY_ID", "e2e"}, {"AWS_SECRET_ACCESS_KEY", "e2e"}};
    const CommandOutcome init = Cli({"init"});
    if (init.exit_code != 0) {
      throw std::runtime_error("truthbyte init on the test's dynalite failed (exit " +
                               (init.exit_code ? std::to_string(*init.exit_code) : std::string("<hung>")) +
                               "): " + init.err);
    }
  }

  // A server configuration on this store.
  ServerConfig Config(std::vector<std::string> serve_args = {}) const {
    ServerConfig config;
    config.serve_args = std::move(serve_args);
    config.env = env_;
    config.store_args = args_;
    return config;
  }

  // Runs `truthbyte <store options> args...` (killed after 60 s).
  CommandOutcome Cli(const std::vector<std::string>& args) const {
    std::vector<std::string> all = args_;
    all.insert(all.end(), args.begin(), args.end());
    return RunWithTimeout(all, env_, std::chrono::seconds(60));
  }

  // An admin token minted by the CLI with the store's secret.
  std::string AdminToken() const {
    const CommandOutcome token = Cli({"token", "--admin"});
    if (token.exit_code != 0) throw std::runtime_error("truthbyte token --admin failed: " + token.err);
    return truthbyte::testing::SplitLines(token.out).at(0);
  }

  truthbyte::testing::Dynalite& dynalite() { return dynalite_; }

 private:
  truthbyte::testing::Dynalite dynalite_;
  std::vector<std::string> args_;
  std::map<std::string, std::string> env_;
};

// The label ServerProcess reports as store_path() (the store comes from
// ServerConfig::store_args).
constexpr char kOwnStore[] = "own-dynalite";

// Sends one request; nullopt (and a test failure naming `what`) when no
// response came within the client's timeout or the connection failed.
std::optional<HttpResult> Call(HttpClient& client, const std::string& method, const std::string& target,
                               const Headers& headers, const std::optional<std::string>& body,
                               const std::string& what) {
  try {
    Headers all = headers;
    if (body) all.emplace_back("Content-Type", "application/json");
    return client.Request(method, target, all, body);
  } catch (const std::exception& e) {
    ADD_FAILURE() << what << ": no response (" << e.what() << ")";
    return std::nullopt;
  }
}

// Answers (the canonical ones) to `questions`.
json Answers(const json& questions) {
  json answers = json::array();
  for (const auto& q : questions)
    answers.push_back({{"question_id", q.at("id")}, {"answer", q.at("answer")}, {"timestamp", NowSeconds()}});
  return answers;
}

// ---- Two instances, one service -------------------------------------------------------

class MultiInstanceTest : public ::testing::Test {
 protected:
  // Starts the two servers (one after the other, so only the first imports
  // the demo questions).
  void StartServers(const std::vector<std::string>& serve_args = {}) {
    first_ = std::make_unique<ServerProcess>(kOwnStore, store_.Config(serve_args));
    second_ = std::make_unique<ServerProcess>(kOwnStore, store_.Config(serve_args));
    ports_ = {first_->port(), second_->port()};
  }
  void TearDown() override {
    if (second_ && second_->running()) second_->Stop();
    if (first_ && first_->running()) first_->Stop();
  }

  OwnStore store_;
  std::unique_ptr<ServerProcess> first_, second_;
  std::array<std::uint16_t, 2> ports_{};
};

TEST_F(MultiInstanceTest, RacingDailySubmissionsAcrossInstancesCompleteOnce) {
  StartServers();
  constexpr int kThreads = 10;
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("user " + std::to_string(round));
    Player player(ports_[0]);
    const json daily = player.GetOk("/v1/fetch-daily-questions");
    ASSERT_TRUE(daily["questions"].is_array() && !daily["questions"].empty()) << daily;
    const std::string date = daily["date"];
    const std::size_t total = daily["questions"].size();
    const std::string payload = json{{"answers", DailyAnswers(daily["questions"], 1)}}.dump();

    std::vector<int> statuses(kThreads, 0);
    std::vector<std::string> bodies(kThreads), codes(kThreads), failures(kThreads);
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        HttpClient client(ports_[i % 2], kCallTimeout);
        try {
          client.Get("/health");  // connect before the race
        } catch (const std::exception&) {
        }
        start.arrive_and_wait();
        try {
          const HttpResult r = client.Post("/v1/submit-daily-answers", payload, player.Auth());
          statuses[i] = r.status;
          bodies[i] = r.body;
          const json j = r.Json();
          if (j.is_object()) codes[i] = j.value("error_code", "");
        } catch (const std::exception& e) {
          failures[i] = e.what();
        }
      });
    }
    for (auto& t : threads) t.join();

    int ok = 0, conflicts = 0;
    std::array<int, 2> ok_by_server{};
    for (int i = 0; i < kThreads; ++i) {
      EXPECT_TRUE(failures[i].empty()) << "request " << i << " (server " << i % 2 + 1 << "): " << failures[i];
      if (statuses[i] == 200) {
        ++ok;
        ++ok_by_server[i % 2];
      } else if (statuses[i] == 409 && codes[i] == "already_completed") {
        ++conflicts;
      } else if (failures[i].empty()) {
        ADD_FAILURE() << "request " << i << " (server " << i % 2 + 1 << "): " << statuses[i] << " " << bodies[i];
      }
    }
    EXPECT_EQ(1, ok) << "exactly one submission wins (server 1: " << ok_by_server[0]
                     << ", server 2: " << ok_by_server[1] << ")";
    EXPECT_EQ(kThreads - 1, conflicts);

    // Both servers see the one completed day, scored once.
    Player on_second(ports_[1], player.user_id(), player.access_token());
    const json other_daily = on_second.GetOk("/v1/fetch-daily-questions");
    EXPECT_EQ(QuestionIds(daily["questions"]), QuestionIds(other_daily["questions"])) << "one frozen set";
    EXPECT_EQ(true, other_daily["daily_progress"]["completed"]) << other_daily["daily_progress"];
    for (HttpClient* client : {&player.client(), &on_second.client()}) {
      const HttpResult r = client->Get("/v1/user", player.Auth());
      ASSERT_EQ(200, r.status) << r.body;
      const json user = r.Json();
      EXPECT_EQ(true, user["daily_progress"][date]["completed"]) << user;
      EXPECT_EQ(total, user["total_answers"]) << user;
      EXPECT_EQ(total - 1, user["correct_answers"]) << user;
    }
  }
}

TEST_F(MultiInstanceTest, QuestionApprovedOnOneIsServedByTheOther) {
  StartServers({"--catalog-refresh", "0.3"});
  const std::string category = "multi-instance";
  Player author(ports_[0]);
  ExpectError(author.Get("/v1/fetch-questions?category=" + category), 404, "not_found", "before the proposal");

  const json proposal = {{"question", "Is a question approved on one server served by the other one?"},
                         {"title", "Shared catalog"},
                         {"passage", "Every instance refreshes its catalog from the shared store."},
                         {"answer", true},
                         {"categories", json::array({category})},
                         {"difficulty", 2}};
  HttpResult r = author.PostJson("/v1/propose-question", proposal);
  ASSERT_EQ(201, r.status) << r.body;
  const std::string submission_id = r.Json()["data"]["id"];

  const std::string admin = store_.AdminToken();
  HttpClient admin_client(ports_[1], kCallTimeout);
  r = admin_client.PostJson("/v1/approve-question", {{"question_id", submission_id}, {"action", "approve"}},
                            {{"Authorization", "Bearer " + admin}});
  ASSERT_EQ(200, r.status) << r.body;
  const json approved = r.Json();
  ASSERT_TRUE(approved["question_id"].is_string()) << r.body;
  const std::string question_id = approved["question_id"];

  // The approving server serves it at once.
  Player author_on_second(ports_[1], author.user_id(), author.access_token());
  r = author_on_second.Get("/v1/fetch-questions?category=" + category);
  ASSERT_EQ(200, r.status) << "the approving server: " << r.body;
  EXPECT_THAT(QuestionIds(r.Json()["questions"]), Contains(question_id));

  // The other one within its refresh period (0.3 s; 5 s allowed).
  HttpClient public_client(ports_[0], kCallTimeout);
  json fetched, categories;
  auto category_count = [&](const json& list) -> std::int64_t {
    if (!list.is_object() || !list["categories"].is_array()) return -1;
    for (const auto& c : list["categories"])
      if (c["name"] == category) return c["count"].get<std::int64_t>();
    return -1;
  };
  const bool visible = Eventually(
      [&] {
        try {
          HttpResult f = author.Get("/v1/fetch-questions?category=" + category);
          fetched = f.Json();
          if (f.status != 200) return false;
          categories = public_client.Get("/v1/categories").Json();
        } catch (const std::exception&) {
          return false;
        }
        const auto ids = QuestionIds(fetched["questions"]);
        return std::find(ids.begin(), ids.end(), question_id) != ids.end() && category_count(categories) == 1;
      },
      std::chrono::seconds(5));
  EXPECT_TRUE(visible) << "server 1 did not serve " << question_id << " within 5 s; last fetch: " << fetched
                       << "\nlast categories: " << categories;
}

TEST_F(MultiInstanceTest, RateLimitsCountAcrossInstances) {
  StartServers({"--user-rate-limit", "6", "--session-rate-limit", "3"});
  HttpClient first(ports_[0], kCallTimeout), second(ports_[1], kCallTimeout);
  const std::array<HttpClient*, 2> clients{&first, &second};

  // Sessions per client IP: 3 an hour, counted by both servers together.
  std::vector<json> sessions;
  for (int i = 0; i < 3; ++i) {
    const HttpResult r = clients[i % 2]->Get("/v1/session", {{"X-User-ID", NewUserId()}});
    ASSERT_EQ(200, r.status) << "session " << i + 1 << " on server " << i % 2 + 1 << ": " << r.body;
    EXPECT_EQ("3", r.Header("X-RateLimit-Limit"));
    EXPECT_EQ(std::to_string(2 - i), r.Header("X-RateLimit-Remaining")) << "session " << i + 1;
    sessions.push_back(r.Json());
  }
  for (int i = 3; i < 5; ++i) {
    const HttpResult r = clients[i % 2]->Get("/v1/session", {{"X-User-ID", NewUserId()}});
    ExpectError(r, 429, "rate_limited", "session " + std::to_string(i + 1) + " on server " + std::to_string(i % 2 + 1));
    EXPECT_TRUE(r.HasHeader("Retry-After"));
  }

  // Protected calls per user: 6 an hour, counted by both servers together.
  const Headers auth = {{"Authorization", "Bearer " + sessions[0]["access_token"].get<std::string>()},
                        {"X-User-ID", sessions[0]["user_id"].get<std::string>()}};
  for (int i = 0; i < 6; ++i) {
    const HttpResult r = clients[i % 2]->Get("/v1/user", auth);
    ASSERT_EQ(200, r.status) << "call " << i + 1 << " on server " << i % 2 + 1 << ": " << r.body;
    EXPECT_EQ("6", r.Header("X-RateLimit-Limit"));
    EXPECT_EQ(std::to_string(5 - i), r.Header("X-RateLimit-Remaining"))
        << "call " << i + 1 << " on server " << i % 2 + 1;
  }
  for (int i = 6; i < 8; ++i) {
    const HttpResult r = clients[i % 2]->Get("/v1/user", auth);
    ExpectError(r, 429, "rate_limited", "call " + std::to_string(i + 1) + " on server " + std::to_string(i % 2 + 1));
    EXPECT_TRUE(r.HasHeader("Retry-After"));
  }

  // Another user has a budget of their own, on both servers.
  const Headers other = {{"Authorization", "Bearer " + sessions[1]["access_token"].get<std::string>()},
                         {"X-User-ID", sessions[1]["user_id"].get<std::string>()}};
  for (int i = 0; i < 2; ++i) {
    const HttpResult r = clients[(i + 1) % 2]->Get("/v1/user", other);
    ASSERT_EQ(200, r.status) << r.body;
    EXPECT_EQ(std::to_string(5 - i), r.Header("X-RateLimit-Remaining"));
  }
}

// Judgment hygiene across instances: a question served by one instance
// counts when the player answers it on the other; one never served to the
// player does not (it is recorded and scored all the same).
TEST_F(MultiInstanceTest, AQuestionServedByOneCountsWhenAnsweredOnTheOther) {
  StartServers({"--min-answer-ms", "0"});
  const std::string user = NewUserId();
  Player on_first(ports_[0], user);
  const json served = on_first.GetOk("/v1/fetch-questions?category=science&num_questions=5")["questions"];
  ASSERT_EQ(served.size(), 5u);
  std::set<std::string> served_ids;
  for (const json& q : served) served_ids.insert(q["id"].get<std::string>());
  Player other(ports_[0]);
  json never;
  const json all = other.GetOk("/v1/fetch-questions?category=science&num_questions=20")["questions"];
  for (const json& q : all)
    if (!served_ids.count(q["id"].get<std::string>())) never = q;
  ASSERT_TRUE(never.is_object()) << all.dump();
  // A person takes longer than the 0.2 s the note needs to reach the store.
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  Player on_second(ports_[1], user);
  json answers = Answers(served);
  answers.push_back({{"question_id", never["id"]}, {"answer", never["answer"]}, {"timestamp", NowSeconds()}});
  const HttpResult r = on_second.PostJson("/v1/submit-answers", answers);
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_EQ(r.Json()["recorded"], 6);
  EXPECT_EQ(r.Json()["correct_answers"], 6) << "scored as always";
  HttpClient second(ports_[1], kCallTimeout);
  const std::string metrics = second.Get("/metrics").body;
  EXPECT_THAT(metrics, ::testing::HasSubstr("truthbyte_answers_submitted_total{judgment=\"counted\"} 5\n"));
  EXPECT_THAT(metrics, ::testing::HasSubstr("truthbyte_answers_submitted_total{judgment=\"unserved\"} 1\n"));
}

// ---- Store outage ----------------------------------------------------------------------

TEST(FaultTest, StoreOutageAnswers503ThenRecoversWithoutRestart) {
  OwnStore store;
  ServerProcess server(kOwnStore, store.Config({"--request-timeout", "5"}));
  Player player(server.port());
  HttpClient client(server.port(), kCallTimeout);
  const Headers auth = player.Auth();

  json questions = player.GetOk("/v1/fetch-questions?num_questions=6");
  ASSERT_EQ(6u, questions["questions"].size()) << questions;
  json before_outage = json::array(), during_outage = json::array();
  for (std::size_t i = 0; i < 6; ++i) (i < 3 ? before_outage : during_outage).push_back(questions["questions"][i]);
  const std::string batch_a = json{{"answers", Answers(before_outage)}}.dump();
  const std::string batch_b = json{{"answers", Answers(during_outage)}}.dump();

  HttpResult r = client.Post("/v1/submit-answers", batch_a, auth);
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_EQ(3, r.Json()["recorded"]);
  r = client.Get("/v1/user", auth);
  ASSERT_EQ(200, r.status) << r.body;
  ASSERT_EQ(3, r.Json()["total_answers"]) << r.body;
  ASSERT_EQ(3, r.Json()["correct_answers"]) << r.body;

  // A session created without X-User-ID: the server has not seen whom it
  // belongs to, so using it needs the store.
  HttpResult unbound = client.Get("/v1/session");
  ASSERT_EQ(200, unbound.status) << unbound.body;
  const Headers unbound_auth = {{"Authorization", "Bearer " + unbound.Json()["access_token"].get<std::string>()},
                                {"X-User-ID", NewUserId()}};

  store.dynalite().Stop();
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE("outage round " + std::to_string(round + 1));
    if (auto a = Call(client, "POST", "/v1/submit-answers", auth, batch_b, "submit-answers during the outage")) {
      ExpectError(*a, 503, "store_unavailable", "submit-answers during the outage");
    }
    if (auto a = Call(client, "GET", "/v1/user", auth, std::nullopt, "user during the outage")) {
      ExpectError(*a, 503, "store_unavailable", "user during the outage");
    }
    if (auto a = Call(client, "GET", "/ready", {}, std::nullopt, "ready during the outage")) {
      EXPECT_EQ(503, a->status) << "ready during the outage: " << a->body;
    }
    if (auto a = Call(client, "GET", "/health", {}, std::nullopt, "health during the outage")) {
      EXPECT_EQ(200, a->status) << "health during the outage: " << a->body;
    }
    if (auto a = Call(client, "GET", "/v1/fetch-questions?num_questions=3", auth, std::nullopt,
                      "fetch-questions during the outage")) {
      EXPECT_EQ(200, a->status) << "fetch-questions should be served from the in-memory catalog during a store "
                                   "outage: "
                                << a->body;
    }
    // Neither a new session nor a token the server must look up is refused
    // as invalid: the client should retry, not log in again.
    if (auto a = Call(client, "GET", "/v1/session", {{"X-User-ID", NewUserId()}}, std::nullopt,
                      "session during the outage")) {
      ExpectError(*a, 503, "store_unavailable", "session during the outage");
    }
    if (auto a = Call(client, "GET", "/v1/auth-ping", unbound_auth, std::nullopt,
                      "an uncached session's token during the outage")) {
      ExpectError(*a, 503, "store_unavailable", "an uncached session's token during the outage");
    }
    ASSERT_TRUE(server.running()) << "the server died during the outage; stderr:\n" << server.Stderr();
  }

  store.dynalite().Start();
  HttpResult user;
  const bool recovered = Eventually(
      [&] {
        try {
          user = client.Get("/v1/user", auth);
        } catch (const std::exception& e) {
          ADD_FAILURE() << "user after the outage: no response (" << e.what() << ")";
          return false;
        }
        return user.status == 200;
      },
      std::chrono::seconds(10));
  ASSERT_TRUE(recovered) << "GET /v1/user did not succeed within 10 s of the store's return; last: " << user.status
                         << " " << user.body;
  // What was written before the outage is still there; the refused
  // submission recorded nothing.
  EXPECT_EQ(3, user.Json()["total_answers"]) << user.body;
  EXPECT_EQ(3, user.Json()["correct_answers"]) << user.body;

  r = client.Post("/v1/submit-answers", batch_b, auth);
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_EQ(3, r.Json()["recorded"]) << r.body;
  EXPECT_EQ(6, r.Json()["total_answers"]) << r.body;
  r = client.Get("/ready");
  EXPECT_EQ(200, r.status) << r.body;
  r = client.Get("/v1/fetch-questions?num_questions=3", auth);
  EXPECT_EQ(200, r.status) << r.body;
  ASSERT_TRUE(server.running());
  EXPECT_EQ(0, server.Stop());
}

}  // namespace
}  // namespace truthbyte::e2e
