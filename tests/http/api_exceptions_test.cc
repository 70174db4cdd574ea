// No exception ends the server: whatever a store (or anything below the
// API) throws becomes a 500 internal_error with nothing internal in the
// body, and the Api goes on serving.
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/api.h"

#pragma GCC diagnostic ignored "-Wunused-parameter"

namespace truthbyte::testing {
namespace {

// Every call throws, as a store with a bug, or a library below it, would.
class ThrowingStore final : public Store {
 public:
  Status Init() override { throw std::runtime_error("the store threw"); }
  std::string Describe() const override { throw std::runtime_error("the store threw"); }
  Status UpsertQuestions(std::span<const Question> questions, UpsertCounts* counts) override { throw std::runtime_error("the store threw"); }
  Result<std::vector<Question>> GetQuestions(std::span<const std::string> ids) override { throw std::runtime_error("the store threw"); }
  Status ScanQuestions(const Visitor<Question>& visit) override { throw std::runtime_error("the store threw"); }
  Result<std::int64_t> CountQuestions() override { throw std::runtime_error("the store threw"); }
  Result<std::vector<std::string>> ListQuestionIds(int min_difficulty, int max_difficulty) override { throw std::runtime_error("the store threw"); }
  Result<CategoryIds> QueryCategoryIndex(const std::string& category, std::optional<int> difficulty) override { throw std::runtime_error("the store threw"); }
  Result<std::vector<CategoryCount>> ListCategories() override { throw std::runtime_error("the store threw"); }
  Status RebuildCategoryIndex() override { throw std::runtime_error("the store threw"); }
  Result<std::uint64_t> QuestionsVersion() override { throw std::runtime_error("the store threw"); }
  Result<std::optional<DailyChallenge>> GetDailyChallenge(const std::string& date) override { throw std::runtime_error("the store threw"); }
  Result<DailyChallenge> FreezeDailyChallenge(const DailyChallenge& challenge) override { throw std::runtime_error("the store threw"); }
  Result<std::optional<std::string>> FirstDailyChallengeDate() override { throw std::runtime_error("the store threw"); }
  Result<AnswerBatchResult> RecordAnswers(std::span<const Answer> answers, const std::string& now_iso) override { throw std::runtime_error("the store threw"); }
  Status ScanAnswers(const Visitor<Answer>& visit) override { throw std::runtime_error("the store threw"); }
  Result<std::vector<Answer>> AnswersForQuestion(const std::string& question_id) override { throw std::runtime_error("the store threw"); }
  Result<std::vector<std::string>> AnsweredQuestionIds(const std::string& user_id) override { throw std::runtime_error("the store threw"); }
  Result<std::optional<User>> GetUser(const std::string& user_id) override { throw std::runtime_error("the store threw"); }
  Status CompleteDailyChallenge(const std::string& user_id, const DailyProgress& progress, const StreakState& streak, std::span<const Answer> answers, const std::string& now_iso) override { throw std::runtime_error("the store threw"); }
  Status ScanUsers(const Visitor<User>& visit) override { throw std::runtime_error("the store threw"); }
  Status CreateSession(const Session& session) override { throw std::runtime_error("the store threw"); }
  Result<std::optional<Session>> GetSession(const std::string& session_id) override { throw std::runtime_error("the store threw"); }
  Result<std::string> BindSession(const std::string& session_id, const std::string& user_id) override { throw std::runtime_error("the store threw"); }
  Status CreateSubmission(const Submission& submission) override { throw std::runtime_error("the store threw"); }
  Result<std::optional<Submission>> GetSubmission(const std::string& id) override { throw std::runtime_error("the store threw"); }
  Result<std::vector<Submission>> ListSubmissionsByStatus(SubmissionStatus status, int limit) override { throw std::runtime_error("the store threw"); }
  Result<std::vector<Submission>> ListSubmissionsByAuthor(const std::string& author, std::optional<SubmissionStatus> status, int limit) override { throw std::runtime_error("the store threw"); }
  Status DecideSubmission(const SubmissionDecision& decision) override { throw std::runtime_error("the store threw"); }
  Status ScanSubmissions(const Visitor<Submission>& visit) override { throw std::runtime_error("the store threw"); }
  Result<bool> PendingSubmissionWithText(const std::string& normalised_question) override { throw std::runtime_error("the store threw"); }
  Result<RateCounter> AddToCounter(const std::string& key, std::int64_t amount, std::int64_t window_seconds, std::int64_t now) override { throw std::runtime_error("the store threw"); }
  Result<std::optional<std::string>> GetSetting(const std::string& key) override { throw std::runtime_error("the store threw"); }
  Result<std::string> PutSettingIfAbsent(const std::string& key, const std::string& value) override { throw std::runtime_error("the store threw"); }
  Status RecordServed(std::span<const ServedQuestion> served) override { throw std::runtime_error("the store threw"); }
  Result<std::vector<std::string>> ServedAmong(const std::string& user_id, std::span<const std::string> question_ids) override { throw std::runtime_error("the store threw"); }
  Status RecordResolution(const Resolution& resolution) override { throw std::runtime_error("the store threw"); }
  Status ScanResolutions(const Visitor<Resolution>& visit) override { throw std::runtime_error("the store threw"); }
  Status PutCrowdFit(const std::string& document) override { throw std::runtime_error("the store threw"); }
  Result<std::optional<std::string>> GetCrowdFit() override { throw std::runtime_error("the store threw"); }
};

TEST(ApiExceptionsTest, AThrowingStoreIsA500AndTheApiGoesOn) {
  ThrowingStore store;
  MemoryRateLimiter limiter;
  Api api(ApiOptions{}, Api::Services{&store, nullptr, nullptr, nullptr, nullptr, &limiter}, [] { return 0; });
  for (int i = 0; i < 2; ++i) {
    HttpRequest request{http::verb::get, "/ready", 11};
    HttpResponse response = api.Handle(request, "127.0.0.1");
    EXPECT_EQ(500, response.result_int());
    const auto body = nlohmann::json::parse(response.body());
    EXPECT_EQ("internal_error", body["error_code"]);
    EXPECT_TRUE(body["request_id"].is_string());
    EXPECT_EQ(std::string::npos, response.body().find("threw")) << response.body();
    EXPECT_EQ("application/json", response[http::field::content_type]);
  }
}

}  // namespace
}  // namespace truthbyte::testing
