// ParseAnswerRecord: one imported judgment per line.
#include "core/answer_format.h"

#include <gtest/gtest.h>

namespace truthbyte {
namespace {

TEST(AnswerFormatTest, ReadsEveryFieldAndDefaultsTheTimestamp) {
  auto a = ParseAnswerRecord(
      R"({"user_id":"demo-session-123","question_id":"q1","answer":false,"timestamp":12.5,"response_time_ms":800})", 99);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->user_id, "demo-session-123");
  EXPECT_EQ(a->question_id, "q1");
  EXPECT_FALSE(a->answer);
  EXPECT_EQ(a->timestamp, 12.5);
  EXPECT_EQ(a->response_time_ms, 800);
  EXPECT_FALSE(a->is_correct.has_value());
  auto bare = ParseAnswerRecord(R"({"user_id":"u","question_id":"q","answer":true,"timestamp":null})", 99);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->timestamp, 99);
  EXPECT_FALSE(bare->response_time_ms.has_value());
}

TEST(AnswerFormatTest, EachBadFieldHasItsReason) {
  const std::pair<const char*, const char*> cases[] = {
      {"[1]", "not a JSON object"},
      {"{", "not valid JSON"},
      {R"({"question_id":"q","answer":true})", "user_id is required"},
      {R"({"user_id":7,"question_id":"q","answer":true})", "user_id must be a string"},
      {R"({"user_id":"a\tb","question_id":"q","answer":true})", "user_id must not contain control characters"},
      {R"({"user_id":"u","question_id":"","answer":true})", "question_id must be 1 to 128 bytes"},
      {R"({"user_id":"u","question_id":"q","answer":1})", "answer must be true or false"},
      {R"({"user_id":"u","question_id":"q","answer":true,"timestamp":-1})", "timestamp must be a non-negative number of seconds"},
      {R"({"user_id":"u","question_id":"q","answer":true,"response_time_ms":"fast"})",
       "response_time_ms must be a number of milliseconds up to a day"},
  };
  for (const auto& [line, reason] : cases) {
    auto a = ParseAnswerRecord(line, 0);
    ASSERT_FALSE(a.ok()) << line;
    EXPECT_EQ(a.status().message(), reason) << line;
  }
  EXPECT_EQ(ParseAnswerRecord("{\"user_id\":\"\xff\",\"question_id\":\"q\",\"answer\":true}", 0).status().message(),
            "not valid UTF-8");
}

}  // namespace
}  // namespace truthbyte
