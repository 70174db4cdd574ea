// End-to-end: player-proposed questions and their moderation over HTTP
// (SPEC sections 4 and 5): validation, limits, duplicates, listing, the
// admin queue and decisions, and approval publishing at once.

#include <chrono>
#include <latch>
#include <random>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "e2e/e2e_support.h"

namespace truthbyte::e2e {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using truthbyte::testing::SplitLines;

// A word of lower-case letters, unique enough for one test run.
std::string UniqueWord() {
  static std::mt19937_64 rng{std::random_device{}()};
  std::string w;
  for (int i = 0; i < 10; ++i) w.push_back(static_cast<char>('a' + rng() % 26));
  return w;
}

// A valid proposal with a unique question text.
json Proposal(const std::string& category = "science") {
  return {{"question", "Is the word " + UniqueWord() + " a made-up test word?"},
          {"title", "A made-up word"},
          {"passage", "This question was written by the end-to-end tests."},
          {"answer", true},
          {"categories", json::array({category})},
          {"difficulty", 2}};
}

class ProposalsTest : public SharedServerTest<ProposalsTest> {
 public:
  static constexpr const char* kStoreFile = "proposals.db";

 protected:
  static void SetUpTestSuite() {
    SharedServerTest::SetUpTestSuite();
    auto token = RunCli(server_->store_path(), {"token", "--admin"});
    if (token.exit_code != 0) throw std::runtime_error("truthbyte token --admin failed: " + token.err);
    admin_token_ = new std::string(SplitLines(token.out).at(0));
  }
  static void TearDownTestSuite() {
    SharedServerTest::TearDownTestSuite();
    delete admin_token_;
  }
  static Headers Admin() { return {{"Authorization", "Bearer " + *admin_token_}}; }

  // Proposes and expects 201; returns data.
  static json ProposeOk(Player& p, const json& body) {
    HttpResult r = p.PostJson("/v1/propose-question", body);
    EXPECT_EQ(201, r.status) << r.body;
    return r.Json()["data"];
  }
  static HttpResult Decide(const std::string& id, const std::string& action) {
    HttpClient client(port());
    return client.PostJson("/v1/approve-question", {{"question_id", id}, {"action", action}}, Admin());
  }

  static std::string* admin_token_;
};

std::string* ProposalsTest::admin_token_ = nullptr;

TEST_F(ProposalsTest, AValidProposalIsPending) {
  Player p(port());
  const json body = Proposal("History");
  HttpResult r = p.PostJson("/v1/propose-question", body);
  ASSERT_EQ(201, r.status) << r.body;
  json j = r.Json();
  EXPECT_EQ(true, j["success"]);
  const json& data = j["data"];
  ASSERT_TRUE(data["id"].is_string()) << r.body;
  EXPECT_EQ(0u, data["id"].get<std::string>().rfind("sub_", 0)) << data["id"];
  EXPECT_EQ(body["question"], data["question"]);
  EXPECT_EQ(true, data["answer"]);
  EXPECT_EQ(body["title"], data["title"]);
  EXPECT_EQ(body["passage"], data["passage"]);
  EXPECT_THAT(data["categories"], Contains(json("history")));
  EXPECT_EQ(2, data["difficulty"]);
  EXPECT_EQ("pending", data["status"]);
  EXPECT_EQ(false, data["accepted"]);
  EXPECT_EQ(p.user_id(), data["author"]);
  EXPECT_TRUE(data["submitted_at"].is_string());
}

TEST_F(ProposalsTest, TheDeployedClientsProposalsAreAccepted) {
  // Its exact body (game.zig): empty title and passage, the fallback tag; the
  // original backend took these, without a final mark or with few letters.
  Player p(port());
  for (const char* text : {"The Great Wall of China is visible from space", "Is pi > 3?"}) {
    const std::string question = std::string(text) + " " + UniqueWord();
    HttpResult r = p.PostJson("/v1/propose-question", {{"question", question}, {"answer", false}, {"title", ""},
                                                        {"passage", ""}, {"categories", {"user-submitted"}}});
    ASSERT_EQ(201, r.status) << text << ": " << r.body;
    EXPECT_EQ(question, r.Json()["data"]["question"]);
  }
}

TEST_F(ProposalsTest, EveryProblemIsReportedAtOnce) {
  Player p(port());
  HttpResult r = p.PostJson("/v1/propose-question", {{"question", "Is it?"}, {"answer", true}, {"difficulty", 9}});
  json body = ExpectError(r, 400, "validation_failed");
  EXPECT_EQ("Input validation failed", body["error"]);
  EXPECT_EQ(false, body["success"]);
  ASSERT_TRUE(body["details"].is_array()) << r.body;
  EXPECT_GE(body["details"].size(), 3u) << r.body;
  const std::string details = body["details"].dump();
  EXPECT_THAT(details, HasSubstr("question"));
  EXPECT_THAT(details, HasSubstr("categories"));
  EXPECT_THAT(details, HasSubstr("difficulty"));

  // Other single problems, each a 400 with details.
  const std::vector<json> bad = {
      {{"question", "Is this <script>alert(1)</script> safe?"}, {"answer", true}, {"categories", {"science"}}},
      {{"question", "Is this\u202equestion fine?"}, {"answer", true}, {"categories", {"science"}}},  // control
      {{"question", "Is thiiiiiis fine at all?"}, {"answer", true}, {"categories", {"science"}}},  // long run
      {{"question", "Is this a fine question?"}, {"answer", "yes"}, {"categories", {"science"}}},
      {{"question", "Is this a fine question?"}, {"answer", true}, {"categories", json::array()}},
      {{"question", "Is this a fine question?"}, {"answer", true}, {"categories", {"bad/category"}}},
      {{"question", "Is this a fine question?"}, {"answer", true}, {"categories", "science"}},
      {{"question", "Is this a fine question?"}, {"answer", true}, {"categories", {"a", "b", "c", "d", "e", "f"}}},
      {{"question", "Is this a fine question?"}, {"answer", true}, {"categories", {"science"}}, {"difficulty", 0}},
      {{"question", std::string(201, 'a') + "?"}, {"answer", true}, {"categories", {"science"}}},
      {{"question", "Is this a fine question?"}, {"answer", true}, {"categories", {"science"}}, {"title", std::string(101, 't')}},
      {{"question", "Is this\x07 a fine question?"}, {"answer", true}, {"categories", {"science"}}},
      {{"question", 12345}, {"answer", true}, {"categories", {"science"}}},
      json::array(),
      "just a string",
  };
  for (const auto& b : bad) {
    json e = ExpectError(p.PostJson("/v1/propose-question", b), 400, "validation_failed", b.dump());
    EXPECT_TRUE(e["details"].is_array() && !e["details"].empty()) << b.dump();
  }
  // None of them was stored.
  EXPECT_EQ(0, p.GetOk("/v1/user-submissions")["count"]);
}

TEST_F(ProposalsTest, LegacyFieldNamesAreAccepted) {
  Player p(port());
  json body = {{"question", "Was the word " + UniqueWord() + " invented by a test?"},
               {"suggested_answer", false},
               {"tags", json::array({"history"})}};
  json data = ProposeOk(p, body);
  EXPECT_EQ(false, data["answer"]);
  EXPECT_THAT(data["categories"], Contains(json("history")));
  EXPECT_EQ(3, data["difficulty"]) << "difficulty defaults to 3";
  EXPECT_EQ("pending", data["status"]);
}

TEST_F(ProposalsTest, FourthAcceptedProposalInAnHourIsRateLimited) {
  Player p(port());
  // Invalid proposals do not count.
  for (int i = 0; i < 5; ++i)
    ExpectError(p.PostJson("/v1/propose-question", {{"question", "Bad"}}), 400, "validation_failed");
  for (int i = 0; i < 3; ++i) ProposeOk(p, Proposal());
  HttpResult r = p.PostJson("/v1/propose-question", Proposal());
  ExpectError(r, 429, "rate_limited", "fourth proposal");
  ASSERT_TRUE(r.HasHeader("Retry-After")) << r.body;
  EXPECT_GT(std::stoll(r.Header("Retry-After")), 0);
  EXPECT_LE(std::stoll(r.Header("Retry-After")), 3600);
  // The headers show the proposal limit that applied.
  EXPECT_EQ("3", r.Header("X-RateLimit-Limit"));
  EXPECT_EQ("0", r.Header("X-RateLimit-Remaining"));
  EXPECT_GT(std::stoll(r.Header("X-RateLimit-Reset")), NowSeconds());
  // Another player is not limited.
  Player other(port());
  ProposeOk(other, Proposal());
  EXPECT_EQ(3, p.GetOk("/v1/user-submissions")["count"]);
}

TEST_F(ProposalsTest, DuplicatesAreRefused) {
  Player p(port()), q(port());
  json body = Proposal();
  ProposeOk(p, body);
  ExpectError(q.PostJson("/v1/propose-question", body), 409, "duplicate", "same text, another player");

  // The same text with other case, spacing and end punctuation.
  std::string text = body["question"];
  std::string shouted;
  for (char c : text) shouted.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  json variant = body;
  variant["question"] = "  " + shouted.substr(0, shouted.size() - 1) + " !";
  ExpectError(q.PostJson("/v1/propose-question", variant), 409, "duplicate", "variant of a pending question");

  // A live starter question: "Does pure water boil at 100 degrees Celsius at sea level?"
  json starter = {{"question", "does PURE water  boil at 100 degrees   celsius at sea level!"},
                  {"answer", true},
                  {"categories", {"science"}}};
  ExpectError(q.PostJson("/v1/propose-question", starter), 409, "duplicate", "starter question");
  // Unicode folding: full-width letters, a no-break space (zero-width ones
  // are refused as control characters before the duplicate check).
  starter["question"] =
      "\xef\xbc\xa4oes pure\xc2\xa0" "water boil at 100 degrees \xef\xbc\xa3" "elsius at sea level\xef\xbc\x9f";
  ExpectError(q.PostJson("/v1/propose-question", starter), 409, "duplicate", "folded starter question");
  EXPECT_EQ(0, q.GetOk("/v1/user-submissions")["count"]);
}

TEST_F(ProposalsTest, ARejectedTextCanBeProposedAgain) {
  Player p(port()), q(port());
  json body = Proposal();
  const std::string id = ProposeOk(p, body)["id"];
  ASSERT_EQ(200, Decide(id, "reject").status);
  HttpResult again = q.PostJson("/v1/propose-question", body);
  EXPECT_EQ(201, again.status) << again.body;
}

TEST_F(ProposalsTest, UserSubmissionsListsOwnNewestFirst) {
  Player p(port());
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(ProposeOk(p, Proposal())["id"]);
    std::this_thread::sleep_for(std::chrono::milliseconds(15));  // distinct submitted_at
  }
  json list = p.GetOk("/v1/user-submissions");
  ASSERT_TRUE(list["submissions"].is_array()) << list;
  ASSERT_EQ(3u, list["submissions"].size());
  EXPECT_EQ(3, list["count"]);
  EXPECT_EQ(ids[2], list["submissions"][0]["id"]);
  EXPECT_EQ(ids[1], list["submissions"][1]["id"]);
  EXPECT_EQ(ids[0], list["submissions"][2]["id"]);
  for (const auto& s : list["submissions"]) {
    EXPECT_EQ("pending", s["status"]);
    EXPECT_EQ(p.user_id(), s["author"]);
  }

  json one = p.GetOk("/v1/user-submissions?limit=1");
  ASSERT_EQ(1u, one["submissions"].size());
  EXPECT_EQ(ids[2], one["submissions"][0]["id"]);
  EXPECT_EQ(3u, p.GetOk("/v1/user-submissions?limit=100")["submissions"].size());
  EXPECT_EQ(3u, p.GetOk("/v1/user-submissions?status=pending")["submissions"].size());
  EXPECT_EQ(0u, p.GetOk("/v1/user-submissions?status=approved")["submissions"].size());
  for (const std::string bad : {"limit=0", "limit=101", "limit=abc", "limit=-5", "status=bogus"})
    ExpectError(p.Get("/v1/user-submissions?" + bad), 400, "invalid_parameter", bad);

  // Decisions show up in the filters.
  ASSERT_EQ(200, Decide(ids[0], "reject").status);
  json rejected = p.GetOk("/v1/user-submissions?status=rejected");
  ASSERT_EQ(1u, rejected["submissions"].size());
  EXPECT_EQ(ids[0], rejected["submissions"][0]["id"]);
  EXPECT_EQ(2u, p.GetOk("/v1/user-submissions?status=pending")["submissions"].size());

  // Another player sees none of them.
  Player other(port());
  EXPECT_EQ(0, other.GetOk("/v1/user-submissions")["count"]);
}

TEST_F(ProposalsTest, ModerationQueueIsPendingOldestFirst) {
  Player a(port()), b(port());
  std::vector<std::string> ids;
  for (Player* p : {&a, &b, &a}) {
    ids.push_back(ProposeOk(*p, Proposal())["id"]);
    std::this_thread::sleep_for(std::chrono::milliseconds(15));
  }
  HttpClient client(port());
  HttpResult r = client.Get("/v1/moderation-queue?limit=100", Admin());
  ASSERT_EQ(200, r.status) << r.body;
  json queue = r.Json()["submissions"];
  ASSERT_TRUE(queue.is_array());
  std::vector<std::string> ours;
  std::string previous;
  for (const auto& s : queue) {
    EXPECT_EQ("pending", s["status"]) << s;
    const std::string at = s["submitted_at"];
    EXPECT_LE(previous, at) << "the queue is not oldest first";
    previous = at;
    if (std::find(ids.begin(), ids.end(), s["id"].get<std::string>()) != ids.end()) ours.push_back(s["id"]);
  }
  EXPECT_EQ(ids, ours);

  // Decided submissions leave the queue.
  ASSERT_EQ(200, Decide(ids[1], "reject").status);
  r = client.Get("/v1/moderation-queue?limit=100", Admin());
  const json after = r.Json();
  for (const auto& s : after["submissions"]) EXPECT_NE(ids[1], s["id"]);
  ExpectError(client.Get("/v1/moderation-queue?limit=0", Admin()), 400, "invalid_parameter");
}

TEST_F(ProposalsTest, ApprovalPublishesAtOnce) {
  HttpClient client(port());
  const int total_before = client.Get("/v1/categories").Json()["total_questions"];
  Player p(port());
  const std::string category = "e2e" + UniqueWord();
  json body = Proposal(category);
  body["answer"] = false;
  body["difficulty"] = 4;
  json data = ProposeOk(p, body);
  const std::string id = data["id"];

  // Not published while pending.
  ExpectError(p.Get("/v1/fetch-questions?category=" + category), 404, "not_found", "pending");

  HttpResult r = Decide(id, "approve");
  ASSERT_EQ(200, r.status) << r.body;
  json decided = r.Json();
  EXPECT_EQ(true, decided["success"]);
  EXPECT_EQ("approved", decided["submission"]["status"]);
  EXPECT_EQ("admin", decided["submission"]["reviewer_id"]);
  ASSERT_TRUE(decided["question_id"].is_string()) << r.body;
  const std::string question_id = decided["question_id"];
  EXPECT_EQ("uq_" + id.substr(4), question_id);
  EXPECT_EQ(question_id, decided["submission"]["approved_question_id"]);

  json fetched = p.GetOk("/v1/fetch-questions?category=" + category + "&num_questions=20");
  ASSERT_EQ(1u, fetched["questions"].size()) << fetched;
  const json& q = fetched["questions"][0];
  EXPECT_EQ(question_id, q["id"]);
  EXPECT_EQ(body["question"], q["question"]);
  EXPECT_EQ(false, q["answer"]);
  EXPECT_EQ(4, q["difficulty"]);
  EXPECT_THAT(q["categories"], Contains(json(category)));
  EXPECT_EQ(1u, p.GetOk("/v1/fetch-questions?category=" + category + "&difficulty=4")["questions"].size());

  json cats = client.Get("/v1/categories").Json();
  EXPECT_EQ(total_before + 1, cats["total_questions"]);
  bool listed = false;
  for (const auto& c : cats["categories"]) {
    if (c["name"] == category) {
      listed = true;
      EXPECT_EQ(1, c["count"]);
    }
    if (c["name"] == "general") {
      EXPECT_EQ(total_before + 1, c["count"]);
    }
  }
  EXPECT_TRUE(listed) << cats;

  // Answers to the new question are scored against its answer.
  HttpResult answered = p.PostJson("/v1/submit-answers", json::array({{{"question_id", question_id}, {"answer", false}}}));
  ASSERT_EQ(200, answered.status) << answered.body;
  EXPECT_EQ(1, answered.Json()["recorded"]);
  EXPECT_EQ(1, answered.Json()["correct_answers"]);

  // The author sees it approved; the text is now a live duplicate.
  json mine = p.GetOk("/v1/user-submissions?status=approved");
  ASSERT_EQ(1u, mine["submissions"].size());
  EXPECT_EQ(id, mine["submissions"][0]["id"]);
  Player q2(port());
  ExpectError(q2.PostJson("/v1/propose-question", body), 409, "duplicate", "approved text");

  // A submission is decided once.
  EXPECT_EQ(409, Decide(id, "approve").status);
  EXPECT_EQ(409, Decide(id, "reject").status);
}

TEST_F(ProposalsTest, CategoriesWithSpacesAndNonAsciiTextSurviveApproval) {
  Player p(port());
  const std::string word = UniqueWord();
  const std::string question = "Is the caf\u00e9 " + word + " in Z\u00fcrich a made-up place?";
  json body = {{"question", question}, {"answer", true}, {"categories", {"E2E Topic " + word}}, {"difficulty", 1}};
  json data = ProposeOk(p, body);
  EXPECT_EQ(question, data["question"]);
  EXPECT_THAT(data["categories"], Contains(json("e2e topic " + word)));
  ASSERT_EQ(200, Decide(data["id"], "approve").status);
  json fetched = p.GetOk("/v1/fetch-questions?category=E2E+Topic+" + word);
  ASSERT_EQ(1u, fetched["questions"].size()) << fetched;
  EXPECT_EQ(question, fetched["questions"][0]["question"]);
  EXPECT_EQ("e2e topic " + word, fetched["category"]);
  EXPECT_EQ(1u, p.GetOk("/v1/fetch-questions?category=e2e%20topic%20" + word)["questions"].size());
}

TEST_F(ProposalsTest, ConcurrentApprovalsDecideOnce) {
  Player p(port());
  const std::string id = ProposeOk(p, Proposal("e2e" + UniqueWord()))["id"];
  constexpr int kThreads = 5;
  std::latch start(kThreads);
  std::vector<int> status(kThreads, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      HttpClient client(port());
      client.Get("/health");
      start.arrive_and_wait();
      try {
        status[static_cast<std::size_t>(i)] =
            client.PostJson("/v1/approve-question", {{"question_id", id}, {"action", i % 2 ? "reject" : "approve"}}, Admin())
                .status;
      } catch (const std::exception&) {
        status[static_cast<std::size_t>(i)] = -1;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(1, std::count(status.begin(), status.end(), 200));
  EXPECT_EQ(kThreads - 1, std::count(status.begin(), status.end(), 409));
}

TEST_F(ProposalsTest, RejectionAndBadDecisions) {
  Player p(port());
  const std::string category = "e2e" + UniqueWord();
  const std::string id = ProposeOk(p, Proposal(category))["id"];
  HttpClient client(port());
  HttpResult r = client.PostJson("/v1/approve-question",
                                 {{"question_id", id}, {"action", "reject"}, {"reviewer_notes", "not a real fact"}}, Admin());
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_EQ("rejected", r.Json()["submission"]["status"]);
  EXPECT_EQ("not a real fact", r.Json()["submission"]["reviewer_notes"]);
  EXPECT_TRUE(r.Json()["question_id"].is_null()) << r.body;
  ExpectError(p.Get("/v1/fetch-questions?category=" + category), 404, "not_found", "rejected is not published");
  EXPECT_EQ(409, Decide(id, "approve").status);
  EXPECT_EQ(409, Decide(id, "reject").status);

  ExpectError(Decide("sub_doesnotexist0", "approve"), 404, "not_found", "unknown id");
  const std::string pending = ProposeOk(p, Proposal())["id"];
  ExpectError(Decide(pending, "maybe"), 400, "validation_failed", "bad action");
  ExpectError(client.PostJson("/v1/approve-question", {{"action", "approve"}}, Admin()), 400, "validation_failed",
              "no id");
  ExpectError(client.PostJson("/v1/approve-question", {{"question_id", 7}, {"action", "approve"}}, Admin()), 400,
              "validation_failed", "numeric id");
  ExpectError(client.Post("/v1/approve-question", "not json", Admin()), 400, "invalid_json", "not json");
  ExpectError(client.Get("/v1/approve-question", Admin()), 405, "method_not_allowed", "GET approve");
  // Still pending after all that.
  EXPECT_EQ(1u, p.GetOk("/v1/user-submissions?status=pending")["submissions"].size());
}

// ---- Races ---------------------------------------------------------------------
//
// Proposals that arrive together must not get past the per-player limit
// (SPEC section 4: "3 an hour") or the duplicate rule ("a question whose
// normalised text already exists (live or pending) is a duplicate"). A race
// shows only sometimes, so each test plays several rounds against a server
// with many worker threads and fails if any round breaks the rule.

class ProposalRaceTest : public SharedServerTest<ProposalRaceTest> {
 public:
  static constexpr const char* kStoreFile = "races.db";
  static ServerConfig Config() {
    ServerConfig config;
    config.serve_args = {"--threads", "8", "--session-rate-limit", "100000"};
    return config;
  }

 protected:

  // Runs `post(i)` on `n` threads released together; the statuses.
  template <typename F>
  static std::vector<int> Together(int n, F post) {
    std::latch start(n);
    std::vector<int> status(static_cast<std::size_t>(n), 0);
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        try {
          status[static_cast<std::size_t>(i)] = post(i);
        } catch (const std::exception&) {
          status[static_cast<std::size_t>(i)] = -1;
        }
      });
    }
    for (auto& t : threads) t.join();
    return status;
  }

};


constexpr int kRaceRounds = 25;

TEST_F(ProposalRaceTest, ConcurrentProposalsOfOnePlayerStayWithinTheHourlyLimit) {
  constexpr int kThreads = 8;
  int bad_rounds = 0, worst = 0;
  for (int round = 0; round < kRaceRounds; ++round) {
    Player owner(port());
    std::vector<std::unique_ptr<Player>> players;
    std::vector<json> bodies;
    for (int i = 0; i < kThreads; ++i) {
      players.push_back(std::make_unique<Player>(port(), owner.user_id(), owner.access_token()));
      ASSERT_EQ(200, players.back()->Get("/v1/auth-ping").status);
      bodies.push_back(Proposal());
    }
    const auto status = Together(kThreads, [&](int i) {
      return players[static_cast<std::size_t>(i)]->PostJson("/v1/propose-question", bodies[static_cast<std::size_t>(i)]).status;
    });
    const int created = static_cast<int>(std::count(status.begin(), status.end(), 201));
    ASSERT_EQ(kThreads - created, std::count(status.begin(), status.end(), 429)) << "round " << round;
    const int stored = owner.GetOk("/v1/user-submissions")["count"];
    EXPECT_EQ(created, stored);
    if (stored > 3) ++bad_rounds;
    worst = std::max(worst, stored);
  }
  EXPECT_EQ(0, bad_rounds) << "in " << bad_rounds << " of " << kRaceRounds
                           << " rounds one player got more than 3 proposals stored at once (up to " << worst << ")";
}

TEST_F(ProposalRaceTest, ConcurrentIdenticalProposalsAreStoredOnce) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 4 * kRaceRounds;
  int bad_rounds = 0, worst = 0;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::unique_ptr<Player>> players;
    // Each player's connection is already open from GET /v1/session.
    for (int i = 0; i < kThreads; ++i) players.push_back(std::make_unique<Player>(port()));
    const json body = Proposal();
    const auto status = Together(kThreads, [&](int i) {
      return players[static_cast<std::size_t>(i)]->PostJson("/v1/propose-question", body).status;
    });
    const int created = static_cast<int>(std::count(status.begin(), status.end(), 201));
    ASSERT_EQ(kThreads - created, std::count(status.begin(), status.end(), 409)) << "round " << round;
    ASSERT_GE(created, 1);
    if (created > 1) ++bad_rounds;
    worst = std::max(worst, created);
  }
  EXPECT_EQ(0, bad_rounds) << "in " << bad_rounds << " of " << kRounds
                           << " rounds the same question text was stored more than once (up to " << worst << " times)";
}

}  // namespace
}  // namespace truthbyte::e2e
