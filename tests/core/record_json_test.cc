#include "core/record_json.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/records.h"
#include "core/scoring.h"

namespace truthbyte {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

DailyProgress SampleProgress() {
  DailyProgress p;
  p.date = "2024-01-15";
  p.correct_count = 7;
  p.total_questions = 10;
  p.score = 70.0;
  p.rank = "B";
  p.answers = {{"q0376", true, true, 1705322096.5}, {"q0996", false, false, 1705322100.25}};
  p.completed_at = "2024-01-15T12:35:00.000Z";
  return p;
}

TEST(DailyProgressJsonTest, RoundTrip) {
  const DailyProgress p = SampleProgress();
  // Through text, as the store would keep it.
  const json stored = json::parse(DailyProgressToJson(p).dump());
  DailyProgress back;
  ASSERT_TRUE(DailyProgressFromJson("2024-01-15", stored, &back).ok());
  EXPECT_EQ(back.date, p.date);
  EXPECT_EQ(back.correct_count, 7);
  EXPECT_EQ(back.total_questions, 10);
  EXPECT_DOUBLE_EQ(back.score, 70.0);
  EXPECT_EQ(back.rank, "B");
  EXPECT_EQ(back.completed_at, p.completed_at);
  ASSERT_EQ(back.answers.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(back.answers[i].question_id, p.answers[i].question_id);
    EXPECT_EQ(back.answers[i].answer, p.answers[i].answer);
    EXPECT_EQ(back.answers[i].is_correct, p.answers[i].is_correct);
    EXPECT_DOUBLE_EQ(back.answers[i].timestamp, p.answers[i].timestamp);
  }
}

TEST(DailyProgressJsonTest, FixedKeysAndCompletedFlag) {
  const auto j = DailyProgressToJson(SampleProgress());
  EXPECT_EQ(j.dump().rfind(R"({"completed":true,"score":70.0,"rank":"B","correct_count":7,)", 0), 0u) << j.dump();
  EXPECT_EQ(j["answers"].size(), 2u);
}

TEST(DailyProgressJsonTest, EmptyAnswersRoundTrip) {
  DailyProgress p = SampleProgress();
  p.answers.clear();
  DailyProgress back;
  back.answers = {{"stale", true, true, 1}};
  ASSERT_TRUE(DailyProgressFromJson("2024-01-15", json::parse(DailyProgressToJson(p).dump()), &back).ok());
  EXPECT_TRUE(back.answers.empty());  // the old contents are replaced
}

TEST(DailyProgressJsonTest, MalformedDocumentsAreCorruption) {
  const json good = json::parse(DailyProgressToJson(SampleProgress()).dump());
  auto broken = [&](auto mutate) {
    json j = good;
    mutate(j);
    return j;
  };
  const json cases[] = {
      json::array({1, 2}),
      json("text"),
      json(nullptr),
      json::object(),
      broken([](json& j) { j.erase("score"); }),
      broken([](json& j) { j["rank"] = 3; }),
      broken([](json& j) { j["correct_count"] = "seven"; }),
      broken([](json& j) { j.erase("completed_at"); }),
      broken([](json& j) { j["answers"][0].erase("is_correct"); }),
      broken([](json& j) { j["answers"][1]["answer"] = "yes"; }),
      broken([](json& j) { j["answers"] = 5; }),
  };
  for (const json& c : cases) {
    DailyProgress p;
    const Status s = DailyProgressFromJson("2024-01-15", c, &p);
    EXPECT_EQ(s.code(), StatusCode::kCorruption) << c.dump();
    EXPECT_THAT(s.message(), HasSubstr("2024-01-15")) << c.dump();
  }
}

TEST(UserJsonTest, IncludesTrustScoreAndStreak) {
  User u;
  u.user_id = "u1";
  u.created_at = "2024-01-01T00:00:00.000Z";
  u.last_active = "2024-01-15T00:00:00.000Z";
  u.total_answers = 8;
  u.correct_answers = 3;
  u.streak.current = 2;
  u.streak.best = 5;
  u.streak.last_counted = CivilDate{2024, 1, 15};
  u.daily_progress["2024-01-15"] = SampleProgress();

  const json j = json::parse(UserToJson(u).dump());
  EXPECT_EQ(j["user_id"], "u1");
  EXPECT_DOUBLE_EQ(j["trust_score"].get<double>(), 0.4);  // (3 + 1) / (8 + 2)
  EXPECT_DOUBLE_EQ(j["trust_score"].get<double>(), TrustScore(3, 8));
  EXPECT_EQ(j["total_answers"], 8);
  EXPECT_EQ(j["correct_answers"], 3);
  EXPECT_EQ(j["current_daily_streak"], 2);
  EXPECT_EQ(j["best_daily_streak"], 5);
  EXPECT_EQ(j["last_counted_date"], "2024-01-15");
  ASSERT_TRUE(j["daily_progress"].contains("2024-01-15"));
  EXPECT_EQ(j["daily_progress"]["2024-01-15"]["rank"], "B");
}

TEST(UserJsonTest, NewUserHasHalfTrust) {
  User u;
  u.user_id = "fresh";
  const json j = json::parse(UserToJson(u).dump());
  EXPECT_DOUBLE_EQ(j["trust_score"].get<double>(), 0.5);
  EXPECT_EQ(j["current_daily_streak"], 0);
  EXPECT_EQ(j["last_counted_date"], "");
  EXPECT_TRUE(j["daily_progress"].is_object());
  EXPECT_TRUE(j["daily_progress"].empty());
}

TEST(AnswerJsonTest, OptionalFieldsBecomeNull) {
  Answer a;
  a.user_id = "u";
  a.question_id = "q";
  a.answer = true;
  a.timestamp = 12.5;
  json j = json::parse(AnswerToJson(a).dump());
  EXPECT_TRUE(j["is_correct"].is_null());
  EXPECT_TRUE(j["response_time_ms"].is_null());
  EXPECT_EQ(j["answer"], true);
  EXPECT_DOUBLE_EQ(j["timestamp"].get<double>(), 12.5);

  a.is_correct = false;
  a.response_time_ms = 1500;
  j = json::parse(AnswerToJson(a).dump());
  EXPECT_EQ(j["is_correct"], false);
  EXPECT_EQ(j["response_time_ms"], 1500);
}

TEST(SubmissionJsonTest, StatusByName) {
  Submission s;
  s.id = "s1";
  s.question = "Is it?";
  s.categories = {"science", "general"};
  s.status = SubmissionStatus::kApproved;
  s.approved_question_id = "q_abc";
  const json j = json::parse(SubmissionToJson(s).dump());
  EXPECT_EQ(j["status"], "approved");
  EXPECT_EQ(j["approved_question_id"], "q_abc");
  EXPECT_EQ(j["categories"], json::array({"science", "general"}));
  EXPECT_EQ(j["difficulty"], 3);
}

TEST(SubmissionStatusTest, NamesRoundTrip) {
  for (SubmissionStatus s : {SubmissionStatus::kPending, SubmissionStatus::kApproved, SubmissionStatus::kRejected}) {
    EXPECT_EQ(ParseSubmissionStatus(SubmissionStatusName(s)), s);
  }
  EXPECT_STREQ(SubmissionStatusName(SubmissionStatus::kPending), "pending");
  EXPECT_STREQ(SubmissionStatusName(SubmissionStatus::kRejected), "rejected");
  EXPECT_EQ(ParseSubmissionStatus("Approved"), std::nullopt);
  EXPECT_EQ(ParseSubmissionStatus(""), std::nullopt);
}

}  // namespace
}  // namespace truthbyte
