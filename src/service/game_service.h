// The game: random questions, answers with trust scoring, the daily
// challenge with scores, ranks and streaks, and player profiles. Reads come
// from the QuestionCatalog; writes go to the Store. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/civil_date.h"
#include "core/daily_challenge.h"
#include "core/records.h"
#include "core/scoring.h"
#include "service/adaptive_choice.h"
#include "service/answered_questions.h"
#include "service/judgment_hygiene.h"
#include "service/question_catalog.h"
#include "service/served_questions.h"
#include "service/service_error.h"
#include "store/store.h"

namespace truthbyte {

inline constexpr int kMaxFetchQuestions = 20;
inline constexpr int kDefaultFetchQuestions = 7;
inline constexpr std::size_t kMaxAnswersPerRequest = 100;

struct FetchedQuestions {
  std::vector<std::string_view> question_json;  // serialised Question objects
  std::shared_ptr<const QuestionCatalog::Snapshot> snapshot;  // keeps catalog entries alive
  std::vector<std::string> owned_json;  // for questions read from the store
  // "catalog" (the hot path), or, for a category the catalog does not know
  // yet, how the store answered: "category_index" or "scan".
  std::string strategy = "catalog";
};

// How fetch-questions chooses: at random (the deployed client's shape, the
// answer included), or for the labels (AdaptiveChoice; no answer sent).
enum class FetchMode { kRandom, kLabel };

struct FetchRequest {
  std::string category = "general";
  int difficulty = 0;  // 0: any
  int count = kDefaultFetchQuestions;
  FetchMode mode = FetchMode::kRandom;
};

struct AnswerInput {
  std::string question_id;
  bool answer = false;
  double timestamp = 0;
  std::optional<std::int64_t> response_time_ms;
  bool timestamp_given = false;  // by the client (else the server's time)
};

// One answer's outcome, for a client that did not have the label.
struct AnswerOutcome {
  std::string question_id;
  bool correct = false;
  bool label = false;
};

struct AnswerSubmissionResult {
  std::vector<AnswerOutcome> results;  // the known questions', in the order given
  std::array<int, kJudgmentKinds> judgments{};  // the known answers by Judgment (duplicates included)
  int recorded = 0;
  int duplicates = 0;
  int unknown_questions = 0;
  std::int64_t correct_answers = 0;  // the user's totals afterwards
  std::int64_t total_answers = 0;
  double trust_score = 0.5;
};

// The optional parts of a daily question. The default reply leaves out the
// passage and the tags: the deployed client parses it into a 16 KB buffer,
// and it never shows them.
struct DailyQuestionParts {
  bool passage = false;
  bool tags = false;
  int Key() const { return (passage ? 1 : 0) | (tags ? 2 : 0); }
};

struct DailyView {
  std::string date;
  // The day's Question objects, in order, as one JSON array; shared with
  // every reply of this day, these parts and this catalog snapshot.
  std::shared_ptr<const std::string> questions_json;
  std::size_t total_questions = 0;
  std::optional<DailyProgress> progress;   // when completed
  int current_streak = 0;
  int best_streak = 0;
  bool streak_eligible = false;  // completing this date can still extend the streak
};

// A player's profile as shown to them: the stored user (a new one with no
// history when unknown) and what follows from it today.
struct PlayerProfile {
  User user;
  double trust_score = 0.5;
  int current_streak = 0;  // 0 once a day was missed
  int best_streak = 0;
};

struct DailySubmissionResult {
  std::string date;
  DailyScore score;
  StreakUpdate streak;
};

// Daily answers are accepted only for today's UTC date.
ServiceError DailySubmissionDateError(const CivilDate& today);

class GameService {
 public:
  // Past days are frozen (stored) only within `daily_window_days` of today
  // (ClassifyUnstoredDay); a day before the first stored challenge is 400.
  // `crowd` (may be null) orders mode=label; `label_prior` is its model's.
  // `hygiene` (may be null: every answer counts) keeps implausible answers
  // out of the crowd model; `served` (may be null: every question counts as
  // served) notes what fetch-questions serves and keeps answers to
  // questions never served out of it.
  GameService(Store& store, QuestionCatalog& catalog, int daily_window_days = kDefaultDailyWindowDays,
              const CrowdTruth* crowd = nullptr, double label_prior = 0.9, const JudgmentHygiene* hygiene = nullptr,
              ServedQuestions* served = nullptr)
      : store_(store),
        catalog_(catalog),
        daily_window_days_(daily_window_days),
        hygiene_(hygiene),
        served_(served),
        answered_(store),
        adaptive_(crowd, label_prior) {}

  // Questions for `user_id`, those they have not answered first (mode
  // random), or only those (mode label, neediest first: AdaptiveChoice).
  // Served from the catalog; a category (or difficulty) the catalog does not
  // have is asked of the store's category index (with its scan fallback),
  // so questions written by other tools appear before the next catalog
  // refresh. 404 when there are none.
  Outcome<FetchedQuestions> FetchQuestions(const std::string& user_id, const FetchRequest& request);
  // From here on, fetches draw from one generator of this seed (taken in
  // turn) instead of each thread's own, so the same calls in the same order
  // get the same questions: for simulations and tests. REQUIRES: no fetch
  // runs concurrently with this call.
  void SeedQuestionChoice(std::uint64_t seed) { seeded_rng_.emplace(seed); }
  Outcome<AnswerSubmissionResult> SubmitAnswers(const std::string& user_id, const std::vector<AnswerInput>& answers,
                                                std::int64_t now_ms);
  Outcome<DailyView> FetchDaily(const std::string& user_id, const CivilDate& date, const CivilDate& today,
                                DailyQuestionParts parts = {});
  Outcome<DailySubmissionResult> SubmitDaily(const std::string& user_id, const CivilDate& date,
                                             const std::vector<AnswerInput>& answers, const CivilDate& today,
                                             std::int64_t now_ms);
  // Whether the challenge of `date` is known to this service already, so
  // that FetchDaily of that date reads it from memory and freezes nothing.
  bool HasChallengeOf(const CivilDate& date) const;
  // The profile of the stored user, or of a new one with no history (not
  // stored).
  Outcome<PlayerProfile> Profile(const std::string& user_id, const CivilDate& today);

 private:
  // The challenge of `date`: the stored one, or frozen from the catalog's
  // pool at first use (within the window; computed and not stored beyond
  // it). Stored challenges are cached: they never change. 400 for a day
  // before the first challenge the store knows (today when there is none).
  Outcome<std::shared_ptr<const DailyChallenge>> Challenge(const CivilDate& date, const CivilDate& today);
  // The first day with a stored challenge, read once and then kept.
  Outcome<std::optional<std::string>> FirstDay();
  // The JSON array of the day's questions with `parts`, rendered once per
  // catalog snapshot (a question edited or removed shows at the next one).
  Outcome<std::shared_ptr<const std::string>> RenderDaily(const DailyChallenge& challenge, DailyQuestionParts parts,
                                                          std::size_t* count);

  struct Rendered {
    std::uint64_t catalog_version = 0;
    std::shared_ptr<const std::string> json;
    std::size_t count = 0;
  };

  Store& store_;
  QuestionCatalog& catalog_;
  const int daily_window_days_;
  const JudgmentHygiene* const hygiene_;
  ServedQuestions* const served_;
  AnsweredQuestions answered_;
  AdaptiveChoice adaptive_;
  std::optional<SplitMix64> seeded_rng_;  // under seeded_mu_; see SeedQuestionChoice
  std::mutex seeded_mu_;
  mutable std::mutex daily_mu_;
  bool first_day_known_ = false;
  std::optional<std::string> first_day_;  // under daily_mu_, once known
  std::map<std::string, std::shared_ptr<const DailyChallenge>> frozen_;  // by date
  std::map<std::pair<std::string, int>, Rendered> rendered_;            // by date and parts
};

}  // namespace truthbyte
