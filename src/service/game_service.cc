#include "service/game_service.h"

#include <algorithm>
#include <random>
#include <set>

#include "core/daily_challenge.h"
#include "core/question_format.h"
#include "service/daily_challenges.h"

namespace truthbyte {
namespace {

thread_local SplitMix64 tls_rng([] {
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}());

// 404 for a fetch that found nothing to serve: none in the category, or
// (mode label) none the player has not answered.
ServiceError NoQuestions(bool all_answered, const std::string& category, int difficulty) {
  return ServiceError::NotFound(std::string(all_answered ? "you have answered every question" : "no questions") +
                                " in category \"" + category + "\"" +
                                (difficulty ? " with difficulty " + std::to_string(difficulty) : ""));
}

}  // namespace

ServiceError DailySubmissionDateError(const CivilDate& today) {
  return ServiceError::InvalidParameter("daily answers can only be submitted for today (" + today.ToString() + ")");
}

Outcome<FetchedQuestions> GameService::FetchQuestions(const std::string& user_id, const FetchRequest& request) {
  const std::string& category = request.category;
  const int difficulty = request.difficulty;
  const auto count = static_cast<std::size_t>(request.count);
  const bool label_mode = request.mode == FetchMode::kLabel;
  std::unique_lock<std::mutex> seeded_lock;
  SplitMix64* rng = &tls_rng;
  if (seeded_rng_) {
    seeded_lock = std::unique_lock(seeded_mu_);
    rng = &*seeded_rng_;
  }
  FetchedQuestions result;
  result.snapshot = catalog_.Current();
  // Mode random keeps playing through a store outage, from the catalog,
  // without knowing what the player answered; mode label cannot promise
  // unanswered questions then and fails.
  const QuestionCatalog::Snapshot& snapshot = *result.snapshot;
  auto answered = answered_.SeenIn(user_id, snapshot, /*fresh=*/label_mode);
  if (!answered.ok()) {
    if (label_mode) return ServiceError::FromStatus(answered.status());
    answered = std::make_shared<const std::vector<std::uint32_t>>();
  }
  const std::vector<std::uint32_t>& seen = **answered;
  std::vector<std::string> served_ids;
  auto note_served = [&] {
    if (served_) served_->Note(user_id, served_ids);
  };
  if (const std::vector<std::uint32_t>* pool = snapshot.Pool(category, difficulty); pool && !pool->empty()) {
    if (label_mode) {
      for (const auto* entry : adaptive_.Choose(result.snapshot, *pool, seen, count, *rng)) {
        result.owned_json.push_back(QuestionJsonWithoutAnswer(entry->json));
        served_ids.push_back(entry->id);
      }
      for (const std::string& j : result.owned_json) result.question_json.emplace_back(j);
      if (result.question_json.empty()) return NoQuestions(/*all_answered=*/true, category, difficulty);
      note_served();
      return result;
    }
    for (const auto* entry : snapshot.Sample(category, difficulty, count, *rng, seen)) {
      result.question_json.emplace_back(entry->json);
      served_ids.push_back(entry->id);
    }
    note_served();
    return result;
  }

  auto found = store_.QueryCategoryIndex(category, difficulty ? std::optional<int>(difficulty) : std::nullopt);
  if (!found.ok()) return ServiceError::FromStatus(found.status());
  result.strategy = found->strategy == QueryStrategy::kScanFallback ? "scan" : "category_index";
  // Unanswered first (the answered ones only in mode random, at the end).
  std::vector<std::string>& pool = found->ids;
  std::erase_if(pool, [&](const std::string& id) { return snapshot.IsRetired(id); });
  auto answered_ids = store_.AnsweredQuestionIds(user_id);
  if (!answered_ids.ok()) return ServiceError::FromStatus(answered_ids.status());
  auto unanswered_end = std::stable_partition(pool.begin(), pool.end(), [&](const std::string& id) {
    return !std::binary_search(answered_ids->begin(), answered_ids->end(), id);
  });
  const std::size_t unanswered = static_cast<std::size_t>(unanswered_end - pool.begin());
  if (label_mode) pool.resize(unanswered);
  const std::size_t n = std::min(pool.size(), count);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t part_end = i < unanswered ? unanswered : pool.size();
    std::swap(pool[i], pool[i + rng->Below(part_end - i)]);
  }
  pool.resize(n);
  auto questions = store_.GetQuestions(pool);
  if (!questions.ok()) return ServiceError::FromStatus(questions.status());
  for (const Question& q : *questions) {
    result.owned_json.push_back(label_mode ? QuestionJsonWithoutAnswer(QuestionToJsonText(q)) : QuestionToJsonText(q));
    served_ids.push_back(q.id);
  }
  for (const std::string& j : result.owned_json) result.question_json.emplace_back(j);
  if (result.question_json.empty()) return NoQuestions(label_mode && !found->ids.empty(), category, difficulty);
  note_served();
  return result;
}

Outcome<AnswerSubmissionResult> GameService::SubmitAnswers(const std::string& user_id,
                                                           const std::vector<AnswerInput>& answers,
                                                           std::int64_t now_ms) {
  auto snapshot = catalog_.Current();
  AnswerSubmissionResult result;
  std::vector<Answer> known;
  known.reserve(answers.size());
  std::vector<TimedAnswer> timing;  // per known answer
  timing.reserve(answers.size());
  for (const AnswerInput& in : answers) {
    const QuestionCatalog::Entry* entry = snapshot->Find(in.question_id);
    if (!entry) {
      ++result.unknown_questions;
      continue;
    }
    result.results.push_back({in.question_id, in.answer == entry->answer, entry->answer});
    Answer a;
    a.user_id = user_id;
    a.question_id = in.question_id;
    a.answer = in.answer;
    a.is_correct = in.answer == entry->answer;
    a.timestamp = in.timestamp;
    a.response_time_ms = in.response_time_ms;
    known.push_back(std::move(a));
    // A time the server filled in says nothing of the player's pace.
    timing.push_back({in.timestamp_given ? std::optional<double>(in.timestamp) : std::nullopt, in.response_time_ms});
  }
  if (served_) {
    if (Status st = served_->Classify(user_id, known); !st.ok()) return ServiceError::FromStatus(st);
  }
  if (hygiene_) hygiene_->Classify(user_id, timing, known, now_ms / 1000);
  for (const Answer& a : known) ++result.judgments[static_cast<int>(a.judgment)];
  auto recorded = store_.RecordAnswers(known, FormatTimestampMs(now_ms));
  if (!recorded.ok()) return ServiceError::FromStatus(recorded.status());
  if (recorded->recorded > 0) answered_.Add(user_id, known, *snapshot);
  result.recorded = recorded->recorded;
  result.duplicates = recorded->duplicates;
  if (auto it = recorded->totals.find(user_id); it != recorded->totals.end()) {
    result.correct_answers = it->second.correct_answers;
    result.total_answers = it->second.total_answers;
  } else {
    // Nothing was recorded (every question unknown): read the counts.
    auto user = store_.GetUser(user_id);
    if (!user.ok()) return ServiceError::FromStatus(user.status());
    if (*user) {
      result.correct_answers = (*user)->correct_answers;
      result.total_answers = (*user)->total_answers;
    }
  }
  result.trust_score = TrustScore(result.correct_answers, result.total_answers);
  return result;
}

Outcome<std::optional<std::string>> GameService::FirstDay() {
  {
    std::lock_guard lock(daily_mu_);
    if (first_day_known_) return first_day_;
  }
  auto first = store_.FirstDailyChallengeDate();
  if (!first.ok()) return ServiceError::FromStatus(first.status());
  std::lock_guard lock(daily_mu_);
  if (!first_day_known_) {
    first_day_known_ = true;
    first_day_ = std::move(*first);
  }
  return first_day_;
}

bool GameService::HasChallengeOf(const CivilDate& date) const {
  std::lock_guard lock(daily_mu_);
  return frozen_.count(date.ToString()) > 0;
}

Outcome<std::shared_ptr<const DailyChallenge>> GameService::Challenge(const CivilDate& date, const CivilDate& today) {
  const std::string key = date.ToString();
  {
    std::lock_guard lock(daily_mu_);
    auto it = frozen_.find(key);
    if (it != frozen_.end()) return it->second;
  }
  auto stored = store_.GetDailyChallenge(key);
  if (!stored.ok()) return ServiceError::FromStatus(stored.status());
  if (*stored) {
    auto shared = std::make_shared<const DailyChallenge>(std::move(**stored));
    std::lock_guard lock(daily_mu_);
    return frozen_.emplace(key, std::move(shared)).first->second;
  }
  auto first = FirstDay();
  if (!first.ok()) return first.error();
  const UnstoredDay kind = ClassifyUnstoredDay(date, today, *first, daily_window_days_);
  if (kind == UnstoredDay::kBeforeFirst) {
    return ServiceError::InvalidParameter("there was no daily challenge on " + key + ": the first was " +
                                          first->value_or(today.ToString()));
  }
  auto snapshot = catalog_.Current();
  if (snapshot->daily_pool.empty()) return ServiceError::NotFound("there are no questions for a daily challenge yet");
  if (kind == UnstoredDay::kPreview)
    return std::make_shared<const DailyChallenge>(ComputeDailyChallenge(snapshot->DailyPoolIds(), date));
  auto frozen = FreezeDailyChallenge(store_, snapshot->DailyPoolIds(), date);
  if (!frozen.ok()) return ServiceError::FromStatus(frozen.status());
  auto shared = std::make_shared<const DailyChallenge>(std::move(*frozen));
  std::lock_guard lock(daily_mu_);
  if (!first_day_ || key < *first_day_) first_day_ = key;
  first_day_known_ = true;
  return frozen_.emplace(key, std::move(shared)).first->second;
}

Outcome<std::shared_ptr<const std::string>> GameService::RenderDaily(const DailyChallenge& challenge,
                                                                     DailyQuestionParts parts, std::size_t* count) {
  auto snapshot = catalog_.Current();
  const auto key = std::make_pair(challenge.date, parts.Key());
  {
    std::lock_guard lock(daily_mu_);
    auto it = rendered_.find(key);
    if (it != rendered_.end() && it->second.catalog_version == snapshot->version) {
      *count = it->second.count;
      return it->second.json;
    }
  }
  // One lookup per question: a binary search over up to millions of ids.
  std::vector<std::string> missing;
  for (const std::string& id : challenge.question_ids)
    if (!snapshot->Find(id)) missing.push_back(id);
  std::map<std::string, std::string> from_store;  // id -> Question JSON
  if (!missing.empty()) {
    // A frozen question no longer in the catalog: read it from the store so
    // the day's set stays whole.
    auto rows = store_.GetQuestions(missing);
    if (!rows.ok()) return ServiceError::FromStatus(rows.status());
    for (const Question& q : *rows) from_store.emplace(q.id, QuestionToJsonText(q));
  }
  auto json = std::make_shared<std::string>("[");
  std::size_t n = 0;
  for (const std::string& id : challenge.question_ids) {
    std::string_view text;
    if (const auto* entry = snapshot->Find(id)) {
      text = entry->json;
    } else if (auto it = from_store.find(id); it != from_store.end()) {
      text = it->second;
    } else {
      continue;  // gone from the store too
    }
    if (n++) *json += ',';
    *json += QuestionJsonWithParts(text, {.passage = parts.passage, .tags = parts.tags});
  }
  *json += ']';
  *count = n;
  std::lock_guard lock(daily_mu_);
  // Only stored days are kept: a day beyond the window is rendered each time,
  // so walking the calendar back cannot grow this map.
  if (frozen_.count(challenge.date)) rendered_[key] = {snapshot->version, json, n};
  return std::shared_ptr<const std::string>(std::move(json));
}

Outcome<DailyView> GameService::FetchDaily(const std::string& user_id, const CivilDate& date,
                                           const CivilDate& today, DailyQuestionParts parts) {
  auto found = Challenge(date, today);
  if (!found.ok()) return found.error();
  const DailyChallenge& challenge = **found;
  DailyView view;
  view.date = challenge.date;
  auto questions = RenderDaily(challenge, parts, &view.total_questions);
  if (!questions.ok()) return questions.error();
  view.questions_json = std::move(*questions);
  // The streak and this day's result only: a player's history grows daily.
  auto day = store_.GetUserDay(user_id, view.date);
  if (!day.ok()) return ServiceError::FromStatus(day.status());
  view.progress = std::move(day->progress);
  view.current_streak = VisibleStreak(day->streak, today);
  view.best_streak = day->streak.best;
  view.streak_eligible = !view.progress && date == today;
  return view;
}

Outcome<DailySubmissionResult> GameService::SubmitDaily(const std::string& user_id, const CivilDate& date,
                                                        const std::vector<AnswerInput>& answers,
                                                        const CivilDate& today, std::int64_t now_ms) {
  if (date != today) return DailySubmissionDateError(today);
  auto found = Challenge(date, today);
  if (!found.ok()) return found.error();
  const DailyChallenge* challenge = found->get();

  // Exactly the day's questions, each once.
  const std::set<std::string> expected(challenge->question_ids.begin(), challenge->question_ids.end());
  std::set<std::string> seen;
  std::vector<std::string> problems;
  for (const AnswerInput& a : answers) {
    if (!expected.count(a.question_id)) {
      problems.push_back("question " + a.question_id + " is not in the challenge of " + challenge->date);
    } else if (!seen.insert(a.question_id).second) {
      problems.push_back("question " + a.question_id + " is answered more than once");
    }
  }
  for (const std::string& id : challenge->question_ids)
    if (!seen.count(id)) problems.push_back("question " + id + " is not answered");
  if (!problems.empty()) {
    return ServiceError::Of(ErrorCode::kValidationFailed,
                            "answer each of the " + std::to_string(expected.size()) + " questions of the day once",
                            std::move(problems));
  }

  auto day = store_.GetUserDay(user_id, challenge->date);
  if (!day.ok()) return ServiceError::FromStatus(day.status());
  if (day->progress)
    return ServiceError::Of(ErrorCode::kAlreadyCompleted, "the daily challenge of " + challenge->date + " is already completed");

  auto snapshot = catalog_.Current();
  std::vector<std::string> missing;
  for (const AnswerInput& a : answers)
    if (!snapshot->Find(a.question_id)) missing.push_back(a.question_id);
  std::map<std::string, bool> canonical;
  if (!missing.empty()) {
    auto rows = store_.GetQuestions(missing);
    if (!rows.ok()) return ServiceError::FromStatus(rows.status());
    for (const Question& q : *rows) canonical[q.id] = q.answer;
  }

  DailyProgress progress;
  progress.date = challenge->date;
  std::vector<Answer> dataset;
  for (const AnswerInput& a : answers) {
    const auto* entry = snapshot->Find(a.question_id);
    const bool truth = entry ? entry->answer : canonical[a.question_id];
    const bool correct = a.answer == truth;
    progress.correct_count += correct;
    progress.answers.push_back({a.question_id, a.answer, correct, a.timestamp});
    dataset.push_back({user_id, a.question_id, a.answer, correct, a.timestamp, a.response_time_ms, Judgment::kDaily});
  }
  progress.total_questions = static_cast<int>(answers.size());
  DailySubmissionResult result;
  result.date = challenge->date;
  result.score = ScoreDaily(progress.correct_count, progress.total_questions);
  progress.score = result.score.percentage;
  progress.rank = std::string(1, result.score.rank);
  progress.completed_at = FormatTimestampMs(now_ms);
  result.streak = AdvanceStreak(day->streak, date, result.score.streak_eligible);

  const std::string now_iso = FormatTimestampMs(now_ms);
  // The answers are stored with the day in one call (the day is never kept
  // without them), first answer wins, as "daily": the crowd model leaves
  // them out (docs/CROWD.md).
  Status s = store_.CompleteDailyChallenge(user_id, progress, result.streak.state, dataset, now_iso);
  if (s.code() == StatusCode::kConditionFailed)
    return ServiceError::Of(ErrorCode::kAlreadyCompleted, "the daily challenge of " + challenge->date + " is already completed");
  if (!s.ok()) return ServiceError::FromStatus(s);
  answered_.Add(user_id, dataset, *snapshot);
  return result;
}

Outcome<PlayerProfile> GameService::Profile(const std::string& user_id, const CivilDate& today) {
  auto stored = store_.GetUser(user_id);
  if (!stored.ok()) return ServiceError::FromStatus(stored.status());
  PlayerProfile profile;
  if (*stored) {
    profile.user = std::move(**stored);
  } else {
    profile.user.user_id = user_id;
  }
  const User& u = profile.user;
  profile.trust_score = TrustScore(u.correct_answers, u.total_answers);
  profile.current_streak = VisibleStreak(u.streak, today);
  profile.best_streak = u.streak.best;
  return profile;
}

}  // namespace truthbyte
