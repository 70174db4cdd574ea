// The Store conformance suite: the contract of store/store.h, written only
// against the Store interface, run once per engine of store_factories.h.
//
// Not covered here: a failed UpsertQuestions batch being all-or-nothing. No
// input accepted by the interface makes a write fail, so the failure is
// injected engine-side instead (see sqlite_store_test.cc).
#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/civil_date.h"
#include "core/daily_challenge.h"
#include "core/question.h"
#include "core/records.h"
#include "core/text.h"
#include "service/daily_challenges.h"
#include "service/moderation.h"
#include "store/store.h"
#include "store/store_factories.h"
#include "store/store_test_helpers.h"
#include "support/test_support.h"

namespace truthbyte::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::FieldsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

constexpr int kThreads = 8;

class StoreConformanceTest : public ::testing::TestWithParam<StoreEngine> {
 protected:
  void SetUp() override { store_ = OpenHandle(); }

  // Another handle on the same data (a second server instance).
  std::unique_ptr<Store> OpenHandle() { return Must(GetParam().open(dir_.path())); }

  Store& store() { return *store_; }

  UpsertCounts Upsert(const std::vector<Question>& questions) {
    UpsertCounts counts;
    Must(store().UpsertQuestions(questions, &counts));
    return counts;
  }

  std::optional<Question> GetQuestion(const std::string& id) {
    const std::vector<std::string> ids{id};
    auto found = Must(store().GetQuestions(ids));
    if (found.empty()) return std::nullopt;
    return found.front();
  }

  std::uint64_t Version() { return Must(store().QuestionsVersion()); }

  std::vector<std::string> Index(const std::string& category, std::optional<int> difficulty = std::nullopt) {
    auto ids = Must(store().QueryCategoryIndex(category, difficulty)).ids;
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  // (name, display name, count) in the order ListCategories gives.
  std::vector<std::tuple<std::string, std::string, std::int64_t>> Categories() {
    std::vector<std::tuple<std::string, std::string, std::int64_t>> out;
    for (const CategoryCount& c : Must(store().ListCategories())) out.emplace_back(c.name, c.display_name, c.count);
    return out;
  }

  // Everything the category index and counts say, for comparing states.
  std::map<std::string, std::vector<std::string>> IndexSnapshot(const std::set<std::string>& extra_categories) {
    std::map<std::string, std::vector<std::string>> snap;
    std::set<std::string> names = extra_categories;
    for (const auto& [name, display, count] : Categories()) {
      snap["count/" + name] = {display, std::to_string(count)};
      names.insert(name);
    }
    for (const std::string& name : names) {
      snap["index/" + name] = Index(name);
      for (int d = kMinDifficulty; d <= kMaxDifficulty; ++d)
        snap["index/" + name + "/" + std::to_string(d)] = Index(name, d);
    }
    return snap;
  }

  std::optional<User> GetUser(const std::string& user_id) { return Must(store().GetUser(user_id)); }

  TempDir dir_;
  std::unique_ptr<Store> store_;  // declared after dir_: closed before it is removed
};

void ExpectSameContentAndSource(const Question& got, const Question& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.question, want.question);
  EXPECT_EQ(got.title, want.title);
  EXPECT_EQ(got.passage, want.passage);
  EXPECT_EQ(got.answer, want.answer);
  EXPECT_EQ(got.categories, want.categories);
  EXPECT_EQ(got.difficulty, want.difficulty);
  EXPECT_EQ(got.tags, want.tags);
  EXPECT_EQ(got.source, want.source);
}

std::vector<std::string> Ids(const std::vector<Question>& questions) {
  std::vector<std::string> ids;
  for (const Question& q : questions) ids.push_back(q.id);
  return ids;
}

std::vector<std::string> SubmissionIds(const std::vector<Submission>& subs) {
  std::vector<std::string> ids;
  for (const Submission& s : subs) ids.push_back(s.id);
  return ids;
}

// ---- Questions ------------------------------------------------------------

TEST_P(StoreConformanceTest, EmptyStoreHasNothing) {
  EXPECT_EQ(Must(store().CountQuestions()), 0);
  EXPECT_THAT(Must(store().ListQuestionIds(kMinDifficulty, kMaxDifficulty)), IsEmpty());
  EXPECT_THAT(Must(store().ListCategories()), IsEmpty());
  EXPECT_THAT(Index("general"), IsEmpty());
}

TEST_P(StoreConformanceTest, UpsertInsertsAndStoresEveryField) {
  Question a = MakeQuestion("qa", {"science"}, 2);
  a.tags = {"Legacy Tag", "another"};  // the legacy copy is stored as given
  a.answer = true;
  a.created_at = "2023-05-06T07:08:09.010Z";
  Question b = MakeQuestion("qb", {"history"}, 4);
  b.answer = false;

  const UpsertCounts counts = Upsert({a, b});
  EXPECT_EQ(counts.inserted, 2u);
  EXPECT_EQ(counts.updated, 0u);
  EXPECT_EQ(counts.unchanged, 0u);
  EXPECT_EQ(Must(store().CountQuestions()), 2);

  auto got_a = GetQuestion("qa");
  ASSERT_TRUE(got_a);
  ExpectSameContentAndSource(*got_a, a);
  EXPECT_EQ(got_a->created_at, "2023-05-06T07:08:09.010Z");  // a given created_at is kept
  auto got_b = GetQuestion("qb");
  ASSERT_TRUE(got_b);
  ExpectSameContentAndSource(*got_b, b);
}

TEST_P(StoreConformanceTest, UpsertFillsAnEmptyCreatedAt) {
  Question q = MakeQuestion("q1");
  ASSERT_TRUE(q.created_at.empty());
  Upsert({q});
  auto got = GetQuestion("q1");
  ASSERT_TRUE(got);
  ASSERT_GE(got->created_at.size(), 10u) << got->created_at;
  EXPECT_TRUE(CivilDate::Parse(got->created_at.substr(0, 10))) << got->created_at;
  EXPECT_EQ(got->created_at[10], 'T') << got->created_at;
}

TEST_P(StoreConformanceTest, ReUpsertingIdenticalContentChangesNothing) {
  const std::vector<Question> batch{MakeQuestion("q1", {"science"}, 2), MakeQuestion("q2", {"history"}, 3)};
  Upsert(batch);
  const std::string created_at = GetQuestion("q1")->created_at;
  const std::uint64_t version = Version();

  // Same content; bookkeeping fields differ and must not count as a change.
  std::vector<Question> again = batch;
  again[0].created_at = "1999-01-01T00:00:00.000Z";
  again[1].source = "other-file.jsonl";
  const UpsertCounts counts = Upsert(again);
  EXPECT_EQ(counts.inserted, 0u);
  EXPECT_EQ(counts.updated, 0u);
  EXPECT_EQ(counts.unchanged, 2u);
  EXPECT_EQ(Version(), version);
  EXPECT_EQ(GetQuestion("q1")->created_at, created_at);
  EXPECT_EQ(GetQuestion("q2")->source, "test.jsonl");
  EXPECT_EQ(Must(store().CountQuestions()), 2);
}

TEST_P(StoreConformanceTest, UpdateWithDifferentTextCountsUpdatedAndKeepsCreatedAt) {
  Question q = MakeQuestion("q1", {"science"}, 2, "Is water wet?");
  q.created_at = "2022-02-02T02:02:02.000Z";
  Upsert({q});

  Question changed = q;
  changed.question = "Is water dry?";
  changed.created_at = "";  // as an import file would send it
  const UpsertCounts counts = Upsert({changed, MakeQuestion("q2")});
  EXPECT_EQ(counts.inserted, 1u);
  EXPECT_EQ(counts.updated, 1u);
  EXPECT_EQ(counts.unchanged, 0u);

  auto got = GetQuestion("q1");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->question, "Is water dry?");
  EXPECT_EQ(got->created_at, "2022-02-02T02:02:02.000Z");
  EXPECT_EQ(Must(store().CountQuestions()), 2);

  // A different created_at in the update does not replace the stored one.
  Question again = changed;
  again.passage = "A new passage.";
  again.created_at = "2030-01-01T00:00:00.000Z";
  EXPECT_EQ(Upsert({again}).updated, 1u);
  EXPECT_EQ(GetQuestion("q1")->created_at, "2022-02-02T02:02:02.000Z");
  EXPECT_EQ(GetQuestion("q1")->passage, "A new passage.");
}

TEST_P(StoreConformanceTest, EachContentFieldCountsAsAChange) {
  const Question base = MakeQuestion("q1", {"science"}, 2);
  Upsert({base});
  std::vector<Question> variants(6, base);
  variants[0].title = "Other title";
  variants[1].passage = "Other passage";
  variants[2].answer = !base.answer;
  variants[3].categories = {"history", "general"};
  variants[4].difficulty = 5;
  variants[5].tags = {"x"};
  for (const Question& v : variants) {
    const std::uint64_t before = Version();
    const UpsertCounts counts = Upsert({v});
    EXPECT_EQ(counts.updated, 1u);
    EXPECT_NE(Version(), before);
    auto got = GetQuestion("q1");
    ASSERT_TRUE(got);
    ExpectSameContentAndSource(*got, v);
  }
}

TEST_P(StoreConformanceTest, GetQuestionsReturnsFoundOnesInTheOrderAsked) {
  Upsert({MakeQuestion("a"), MakeQuestion("b"), MakeQuestion("c")});
  const std::vector<std::string> ids{"c", "missing", "a", "b", "also-missing"};
  EXPECT_THAT(Ids(Must(store().GetQuestions(ids))), ElementsAre("c", "a", "b"));

  const std::vector<std::string> none{"x", "y"};
  EXPECT_THAT(Must(store().GetQuestions(none)), IsEmpty());
  EXPECT_THAT(Must(store().GetQuestions({})), IsEmpty());
}

TEST_P(StoreConformanceTest, ScanQuestionsVisitsInIdByteOrder) {
  // Inserted out of order; byte order puts upper case before lower case,
  // "q10" before "q9" and multi-byte UTF-8 after ASCII.
  const std::vector<std::string> inserted{"b", "q9", "\xC3\xA9t\xC3\xA9", "a", "q10", "B", "A1", "z"};
  std::vector<Question> batch;
  for (const auto& id : inserted) batch.push_back(MakeQuestion(id));
  Upsert(batch);

  std::vector<std::string> seen;
  ASSERT_THAT(store().ScanQuestions([&](const Question& q) {
    seen.push_back(q.id);
    EXPECT_EQ(q.question, "is " + q.id + " true?");
    return Status::Ok();
  }),
              IsOk());
  EXPECT_THAT(seen, ElementsAre("A1", "B", "a", "b", "q10", "q9", "z", "\xC3\xA9t\xC3\xA9"));
}

TEST_P(StoreConformanceTest, ScanQuestionsStopsAtTheFirstVisitorError) {
  Upsert({MakeQuestion("a"), MakeQuestion("b"), MakeQuestion("c"), MakeQuestion("d")});
  std::vector<std::string> seen;
  const Status s = store().ScanQuestions([&](const Question& q) {
    seen.push_back(q.id);
    return q.id == "b" ? Status::InvalidArgument("stop at b") : Status::Ok();
  });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "stop at b");
  EXPECT_THAT(seen, ElementsAre("a", "b"));
}

TEST_P(StoreConformanceTest, CountQuestions) {
  EXPECT_EQ(Must(store().CountQuestions()), 0);
  Upsert({MakeQuestion("a"), MakeQuestion("b"), MakeQuestion("c")});
  EXPECT_EQ(Must(store().CountQuestions()), 3);
  Upsert({MakeQuestion("a"), MakeQuestion("d")});
  EXPECT_EQ(Must(store().CountQuestions()), 4);
}

TEST_P(StoreConformanceTest, ListQuestionIdsFiltersDifficultyAndSorts) {
  Upsert({MakeQuestion("q9", {}, 1), MakeQuestion("q10", {}, 2), MakeQuestion("b", {}, 3), MakeQuestion("B", {}, 4),
          MakeQuestion("a", {}, 5), MakeQuestion("c", {}, 2)});
  EXPECT_THAT(Must(store().ListQuestionIds(1, 5)), ElementsAre("B", "a", "b", "c", "q10", "q9"));
  EXPECT_THAT(Must(store().ListQuestionIds(2, 3)), ElementsAre("b", "c", "q10"));
  EXPECT_THAT(Must(store().ListQuestionIds(1, 4)), ElementsAre("B", "b", "c", "q10", "q9"));
  EXPECT_THAT(Must(store().ListQuestionIds(5, 5)), ElementsAre("a"));
  EXPECT_THAT(Must(store().ListQuestionIds(4, 3)), IsEmpty());

  // A difficulty change moves the question between ranges.
  Upsert({MakeQuestion("a", {}, 2)});
  EXPECT_THAT(Must(store().ListQuestionIds(5, 5)), IsEmpty());
  EXPECT_THAT(Must(store().ListQuestionIds(2, 2)), ElementsAre("a", "c", "q10"));
}

// ---- Category index and counts --------------------------------------------

std::vector<Question> CategoryBatch() {
  return {MakeQuestion("a", {"science"}, 2), MakeQuestion("b", {"science", "history"}, 3),
          MakeQuestion("c", {"history"}, 2), MakeQuestion("d", {}, 5), MakeQuestion("e", {"sports"}, 2)};
}

TEST_P(StoreConformanceTest, InsertBuildsTheCategoryIndexAndCounts) {
  Upsert(CategoryBatch());

  EXPECT_THAT(Index("science"), ElementsAre("a", "b"));
  EXPECT_THAT(Index("history"), ElementsAre("b", "c"));
  EXPECT_THAT(Index("sports"), ElementsAre("e"));
  EXPECT_THAT(Index("general"), ElementsAre("a", "b", "c", "d", "e"));
  EXPECT_THAT(Index("unknown"), IsEmpty());

  EXPECT_THAT(Index("science", 2), ElementsAre("a"));
  EXPECT_THAT(Index("science", 3), ElementsAre("b"));
  EXPECT_THAT(Index("science", 5), IsEmpty());
  EXPECT_THAT(Index("general", 2), ElementsAre("a", "c", "e"));
  EXPECT_THAT(Index("general", 5), ElementsAre("d"));
  EXPECT_THAT(Index("general", 1), IsEmpty());

  // Largest first, then by name.
  EXPECT_THAT(Categories(), ElementsAre(FieldsAre("general", "General", 5), FieldsAre("history", "History", 2),
                                        FieldsAre("science", "Science", 2), FieldsAre("sports", "Sports", 1)));
}

TEST_P(StoreConformanceTest, UpdatingCategoriesMovesIndexRowsAndCounts) {
  Upsert(CategoryBatch());

  // "a" leaves science for sports and becomes difficulty 4.
  EXPECT_EQ(Upsert({MakeQuestion("a", {"sports"}, 4)}).updated, 1u);
  EXPECT_THAT(Index("science"), ElementsAre("b"));
  EXPECT_THAT(Index("sports"), ElementsAre("a", "e"));
  EXPECT_THAT(Index("sports", 4), ElementsAre("a"));
  EXPECT_THAT(Index("sports", 2), ElementsAre("e"));
  EXPECT_THAT(Index("general", 2), ElementsAre("c", "e"));
  EXPECT_THAT(Index("general", 4), ElementsAre("a"));
  EXPECT_THAT(Index("general"), ElementsAre("a", "b", "c", "d", "e"));
  EXPECT_THAT(Categories(), ElementsAre(FieldsAre("general", "General", 5), FieldsAre("history", "History", 2),
                                        FieldsAre("sports", "Sports", 2), FieldsAre("science", "Science", 1)));

  // "b" leaves science too: the emptied category disappears; a new one appears.
  EXPECT_EQ(Upsert({MakeQuestion("b", {"history", "pop-culture"}, 3)}).updated, 1u);
  EXPECT_THAT(Index("science"), IsEmpty());
  EXPECT_THAT(Index("pop-culture"), ElementsAre("b"));
  EXPECT_THAT(Index("pop-culture", 3), ElementsAre("b"));
  EXPECT_THAT(Categories(), ElementsAre(FieldsAre("general", "General", 5), FieldsAre("history", "History", 2),
                                        FieldsAre("sports", "Sports", 2),
                                        FieldsAre("pop-culture", "Pop-Culture", 1)));
}

TEST_P(StoreConformanceTest, ChangingOnlyTheDifficultyMovesTheDifficultyFilter) {
  Upsert(CategoryBatch());
  EXPECT_EQ(Upsert({MakeQuestion("c", {"history"}, 1)}).updated, 1u);
  EXPECT_THAT(Index("history", 2), IsEmpty());
  EXPECT_THAT(Index("history", 1), ElementsAre("c"));
  EXPECT_THAT(Index("general", 1), ElementsAre("c"));
  EXPECT_THAT(Index("general", 2), ElementsAre("a", "e"));
  EXPECT_THAT(Index("history"), ElementsAre("b", "c"));
  EXPECT_THAT(Categories(), ElementsAre(FieldsAre("general", "General", 5), FieldsAre("history", "History", 2),
                                        FieldsAre("science", "Science", 2), FieldsAre("sports", "Sports", 1)));
}

TEST_P(StoreConformanceTest, ReUpsertingTheSameBatchLeavesCountsIdentical) {
  Upsert(CategoryBatch());
  const auto before = IndexSnapshot({"science", "history", "sports", "general"});
  for (int i = 0; i < 2; ++i) {
    const UpsertCounts counts = Upsert(CategoryBatch());
    EXPECT_EQ(counts.unchanged, 5u);
    EXPECT_EQ(IndexSnapshot({"science", "history", "sports", "general"}), before);
  }
}

TEST_P(StoreConformanceTest, ABatchRepeatingAnIdEndsWithTheLastVersion) {
  const UpsertCounts counts =
      Upsert({MakeQuestion("a", {"science"}, 2), MakeQuestion("a", {"history"}, 3), MakeQuestion("b")});
  EXPECT_EQ(counts.inserted + counts.updated, 3u);
  EXPECT_EQ(Must(store().CountQuestions()), 2);
  EXPECT_EQ(GetQuestion("a")->categories, (std::vector<std::string>{"history", "general"}));
  EXPECT_THAT(Index("science"), IsEmpty());
  EXPECT_THAT(Index("history", 3), ElementsAre("a"));
  EXPECT_THAT(Categories(), ElementsAre(FieldsAre("general", "General", 2), FieldsAre("history", "History", 1)));
}

TEST_P(StoreConformanceTest, RebuildCategoryIndexYieldsTheSameIndexAndCounts) {
  Upsert(CategoryBatch());
  Upsert({MakeQuestion("a", {"sports"}, 4), MakeQuestion("b", {"history"}, 3)});  // some churn first
  const std::set<std::string> names{"science", "history", "sports", "general"};
  const auto before = IndexSnapshot(names);
  const std::uint64_t version = Version();

  ASSERT_THAT(store().RebuildCategoryIndex(), IsOk());
  EXPECT_EQ(IndexSnapshot(names), before);
  EXPECT_NE(Version(), version);
  EXPECT_THAT(Categories(), ElementsAre(FieldsAre("general", "General", 5), FieldsAre("history", "History", 2),
                                        FieldsAre("sports", "Sports", 2)));
}

TEST_P(StoreConformanceTest, QuestionsVersionChangesOnInsertUpdateAndRebuildOnly) {
  const std::uint64_t v0 = Version();
  Upsert({MakeQuestion("a", {"science"})});
  const std::uint64_t v1 = Version();
  EXPECT_NE(v1, v0);

  Upsert({MakeQuestion("a", {"science"})});  // identical
  EXPECT_EQ(Version(), v1);
  EXPECT_EQ(Version(), v1);  // reading does not change it either

  Upsert({MakeQuestion("a", {"history"})});
  const std::uint64_t v2 = Version();
  EXPECT_NE(v2, v1);
  EXPECT_NE(v2, v0);

  ASSERT_THAT(store().RebuildCategoryIndex(), IsOk());
  const std::uint64_t v3 = Version();
  EXPECT_NE(v3, v2);
  EXPECT_NE(v3, v1);

  // Writes that are not questions leave it alone.
  const std::vector<Answer> answers{{"u1", "a", true, true, 1.0, std::nullopt}};
  Must(store().RecordAnswers(answers, "2024-01-01T00:00:00.000Z"));
  Must(store().PutSettingIfAbsent("some-setting", "x"));
  Must(store().FreezeDailyChallenge({"2024-01-01", {"a"}, "2024-01-01T00:00:00.000Z"}));
  EXPECT_EQ(Version(), v3);
}

TEST_P(StoreConformanceTest, QuestionsVersionIsSharedBetweenHandles) {
  auto other = OpenHandle();
  const std::uint64_t before = Must(other->QuestionsVersion());
  Upsert({MakeQuestion("a")});
  EXPECT_NE(Must(other->QuestionsVersion()), before);
  EXPECT_EQ(Must(other->QuestionsVersion()), Version());
}

// ---- Daily challenges -----------------------------------------------------

TEST_P(StoreConformanceTest, UnknownDailyChallengeIsEmpty) {
  EXPECT_FALSE(Must(store().GetDailyChallenge("2024-03-01")));
}

TEST_P(StoreConformanceTest, FirstDailyChallengeDateIsTheEarliestFrozen) {
  EXPECT_EQ(Must(store().FirstDailyChallengeDate()), std::nullopt);
  Must(store().FreezeDailyChallenge({"2024-03-05", {"a"}, "2024-03-05T00:00:00.000Z"}));
  Must(store().FreezeDailyChallenge({"2025-01-01", {"a"}, "2025-01-01T00:00:00.000Z"}));
  Must(store().FreezeDailyChallenge({"2024-02-29", {"a"}, "2024-02-29T00:00:00.000Z"}));
  EXPECT_EQ(Must(store().FirstDailyChallengeDate()), std::optional<std::string>("2024-02-29"));
}

TEST_P(StoreConformanceTest, FreezeStoresAndTheFirstFreezeWins) {
  const DailyChallenge first{"2024-03-01", {"q3", "q1", "q2"}, "2024-03-01T00:00:01.000Z"};
  const DailyChallenge stored = Must(store().FreezeDailyChallenge(first));
  EXPECT_EQ(stored.date, "2024-03-01");
  EXPECT_THAT(stored.question_ids, ElementsAre("q3", "q1", "q2"));  // challenge order, not sorted
  EXPECT_EQ(stored.created_at, "2024-03-01T00:00:01.000Z");

  auto read = Must(store().GetDailyChallenge("2024-03-01"));
  ASSERT_TRUE(read);
  EXPECT_THAT(read->question_ids, ElementsAre("q3", "q1", "q2"));
  EXPECT_EQ(read->created_at, "2024-03-01T00:00:01.000Z");

  const DailyChallenge second{"2024-03-01", {"q9", "q8"}, "2024-03-01T05:00:00.000Z"};
  const DailyChallenge again = Must(store().FreezeDailyChallenge(second));
  EXPECT_THAT(again.question_ids, ElementsAre("q3", "q1", "q2"));
  EXPECT_EQ(again.created_at, "2024-03-01T00:00:01.000Z");
  EXPECT_THAT(Must(store().GetDailyChallenge("2024-03-01"))->question_ids, ElementsAre("q3", "q1", "q2"));

  // Other dates are independent.
  EXPECT_FALSE(Must(store().GetDailyChallenge("2024-03-02")));
  EXPECT_THAT(Must(store().FreezeDailyChallenge({"2024-03-02", {"q9"}, "2024-03-02T00:00:00.000Z"})).question_ids,
              ElementsAre("q9"));
}

// Racers on one handle and on a second one (two server instances).
TEST_P(StoreConformanceTest, RacingFreezesAllGetTheSameList) {
  auto other = OpenHandle();
  std::vector<std::optional<Result<DailyChallenge>>> results(kThreads);
  RunTogether(kThreads, [&](int i) {
    Store& target = (i % 2 == 0) ? store() : *other;
    const std::string n = std::to_string(i);
    results[i] = target.FreezeDailyChallenge({"2024-06-01", {"t" + n + "a", "t" + n + "b"}, "2024-06-01T00:00:00Z"});
  });

  auto stored = Must(store().GetDailyChallenge("2024-06-01"));
  ASSERT_TRUE(stored);
  ASSERT_THAT(stored->question_ids, SizeIs(2));
  const std::string winner = stored->question_ids[0].substr(0, stored->question_ids[0].size() - 1);
  EXPECT_THAT(stored->question_ids, ElementsAre(winner + "a", winner + "b"));
  for (int i = 0; i < kThreads; ++i) {
    ASSERT_TRUE(results[i]);
    ASSERT_TRUE(results[i]->ok()) << results[i]->status().ToString();
    EXPECT_EQ((*results[i])->question_ids, stored->question_ids) << "racer " << i;
  }
}

std::vector<Question> DailyPool(int first, int count) {
  std::vector<Question> pool;
  for (int i = first; i < first + count; ++i)
    pool.push_back(MakeQuestion("d" + std::to_string(1000 + i), {"science"}, 1 + i % 4));
  return pool;
}

TEST_P(StoreConformanceTest, ServiceDailyChallengeIsFrozenAndStaysFrozen) {
  const CivilDate date = *CivilDate::Parse("2024-07-15");
  Upsert(DailyPool(0, 15));
  Upsert({MakeQuestion("hard", {}, 5)});  // never in a daily challenge

  const DailyChallengeView first = Must(GetDailyChallenge(store(), date, /*freeze=*/true));
  EXPECT_TRUE(first.frozen);
  EXPECT_EQ(first.challenge.date, "2024-07-15");
  EXPECT_THAT(first.challenge.question_ids, SizeIs(kDailyQuestionCount));
  EXPECT_THAT(first.challenge.question_ids, Not(::testing::Contains("hard")));
  auto stored = Must(store().GetDailyChallenge("2024-07-15"));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->question_ids, first.challenge.question_ids);

  // More questions arrive; computed afresh the day would now look different.
  Upsert(DailyPool(15, 40));
  const std::vector<std::string> recomputed =
      SelectDailyQuestions(Must(store().ListQuestionIds(1, 4)), date);
  ASSERT_NE(recomputed, first.challenge.question_ids) << "the test needs a pool change that alters the selection";

  const DailyChallengeView later = Must(GetDailyChallenge(store(), date, /*freeze=*/true));
  EXPECT_TRUE(later.frozen);
  EXPECT_EQ(later.challenge.question_ids, first.challenge.question_ids);
  const DailyChallengeView preview = Must(GetDailyChallenge(store(), date, /*freeze=*/false));
  EXPECT_TRUE(preview.frozen);
  EXPECT_EQ(preview.challenge.question_ids, first.challenge.question_ids);
}

TEST_P(StoreConformanceTest, ServiceDailyChallengeWithoutFreezeStoresNothing) {
  const CivilDate date = *CivilDate::Parse("2024-07-16");
  Upsert(DailyPool(0, 15));
  const DailyChallengeView preview = Must(GetDailyChallenge(store(), date, /*freeze=*/false));
  EXPECT_FALSE(preview.frozen);
  EXPECT_THAT(preview.challenge.question_ids, SizeIs(kDailyQuestionCount));
  EXPECT_FALSE(Must(store().GetDailyChallenge("2024-07-16")));

  // Freezing later stores exactly what the preview showed (same pool).
  const DailyChallengeView frozen = Must(GetDailyChallenge(store(), date, /*freeze=*/true));
  EXPECT_TRUE(frozen.frozen);
  EXPECT_EQ(frozen.challenge.question_ids, preview.challenge.question_ids);
}

// ---- Answers and users ----------------------------------------------------

Answer MakeAnswer(const std::string& user, const std::string& question, bool answer, std::optional<bool> is_correct,
                  double timestamp, std::optional<std::int64_t> response_ms = std::nullopt) {
  return Answer{user, question, answer, is_correct, timestamp, response_ms};
}

TEST_P(StoreConformanceTest, RecordAnswersKeepsTheFirstAnswerAndCountsOnlyRecordedOnes) {
  const std::vector<Answer> first{
      MakeAnswer("u1", "q1", true, true, 1700000000.25, 1500),
      MakeAnswer("u1", "q2", false, false, 1700000001.5),
      MakeAnswer("u1", "q3", true, std::nullopt, 1700000002.0, 900),  // no canonical answer
      MakeAnswer("u2", "q1", true, true, 1700000003.0),
  };
  const AnswerBatchResult r1 = Must(store().RecordAnswers(first, "2024-01-01T10:00:00.000Z"));
  EXPECT_EQ(r1.recorded, 4);
  EXPECT_EQ(r1.duplicates, 0);
  // Each user's counts after the batch come with it.
  ASSERT_EQ(r1.totals.size(), 2u);
  EXPECT_EQ(r1.totals.at("u1").total_answers, 2);
  EXPECT_EQ(r1.totals.at("u1").correct_answers, 1);
  EXPECT_EQ(r1.totals.at("u2").total_answers, 1);
  EXPECT_EQ(r1.totals.at("u2").correct_answers, 1);

  auto u1 = GetUser("u1");
  ASSERT_TRUE(u1);
  EXPECT_EQ(u1->user_id, "u1");
  EXPECT_EQ(u1->created_at, "2024-01-01T10:00:00.000Z");
  EXPECT_EQ(u1->last_active, "2024-01-01T10:00:00.000Z");
  EXPECT_EQ(u1->total_answers, 2);  // q3 has no is_correct
  EXPECT_EQ(u1->correct_answers, 1);
  auto u2 = GetUser("u2");
  ASSERT_TRUE(u2);
  EXPECT_EQ(u2->total_answers, 1);
  EXPECT_EQ(u2->correct_answers, 1);

  // A second answer to q1 is a duplicate: not stored, not counted.
  const std::vector<Answer> second{
      MakeAnswer("u1", "q1", false, false, 1800000000.0, 10),
      MakeAnswer("u1", "q4", true, true, 1800000001.0),
  };
  const AnswerBatchResult r2 = Must(store().RecordAnswers(second, "2024-01-02T10:00:00.000Z"));
  EXPECT_EQ(r2.recorded, 1);
  EXPECT_EQ(r2.duplicates, 1);
  ASSERT_EQ(r2.totals.size(), 1u);
  EXPECT_EQ(r2.totals.at("u1").total_answers, 3);
  EXPECT_EQ(r2.totals.at("u1").correct_answers, 2);
  // Only a duplicate: the counts are reported unchanged.
  const AnswerBatchResult r3 =
      Must(store().RecordAnswers(std::vector<Answer>{MakeAnswer("u1", "q4", false, false, 1.0)}, "2024-01-02T10:00:00.000Z"));
  EXPECT_EQ(r3.recorded, 0);
  EXPECT_EQ(r3.totals.at("u1").total_answers, 3);
  EXPECT_EQ(r3.totals.at("u1").correct_answers, 2);
  u1 = GetUser("u1");
  ASSERT_TRUE(u1);
  EXPECT_EQ(u1->total_answers, 3);
  EXPECT_EQ(u1->correct_answers, 2);
  EXPECT_EQ(u1->created_at, "2024-01-01T10:00:00.000Z");
  EXPECT_EQ(u1->last_active, "2024-01-02T10:00:00.000Z");

  std::vector<Answer> all;
  ASSERT_THAT(store().ScanAnswers([&](const Answer& a) {
    all.push_back(a);
    return Status::Ok();
  }),
              IsOk());
  EXPECT_THAT(all, UnorderedElementsAre(FieldsAre("u1", "q1", true, std::optional<bool>(true), 1700000000.25,
                                                  std::optional<std::int64_t>(1500), Judgment::kCounted),
                                        FieldsAre("u1", "q2", false, std::optional<bool>(false), 1700000001.5,
                                                  std::optional<std::int64_t>(), Judgment::kCounted),
                                        FieldsAre("u1", "q3", true, std::optional<bool>(), 1700000002.0,
                                                  std::optional<std::int64_t>(900), Judgment::kCounted),
                                        FieldsAre("u1", "q4", true, std::optional<bool>(true), 1800000001.0,
                                                  std::optional<std::int64_t>(), Judgment::kCounted),
                                        FieldsAre("u2", "q1", true, std::optional<bool>(true), 1700000003.0,
                                                  std::optional<std::int64_t>(), Judgment::kCounted)));
}

TEST_P(StoreConformanceTest, ADuplicateWithinOneBatchIsADuplicate) {
  const std::vector<Answer> batch{
      MakeAnswer("u3", "q9", true, true, 100.0),
      MakeAnswer("u3", "q9", false, false, 200.0),
      MakeAnswer("u3", "q9", true, true, 300.0),
  };
  const AnswerBatchResult r = Must(store().RecordAnswers(batch, "2024-01-01T00:00:00.000Z"));
  EXPECT_EQ(r.recorded, 1);
  EXPECT_EQ(r.duplicates, 2);
  auto u3 = GetUser("u3");
  ASSERT_TRUE(u3);
  EXPECT_EQ(u3->total_answers, 1);
  EXPECT_EQ(u3->correct_answers, 1);
  std::vector<Answer> all;
  Must(store().ScanAnswers([&](const Answer& a) {
    all.push_back(a);
    return Status::Ok();
  }));
  ASSERT_THAT(all, SizeIs(1));
  EXPECT_TRUE(all[0].answer);
  EXPECT_EQ(all[0].timestamp, 100.0);
}

TEST_P(StoreConformanceTest, AUserWithOnlyUnscoredAnswersIsCreatedWithZeroCounts) {
  const std::vector<Answer> batch{MakeAnswer("u5", "q1", true, std::nullopt, 1.0)};
  EXPECT_EQ(Must(store().RecordAnswers(batch, "2024-02-02T00:00:00.000Z")).recorded, 1);
  auto u5 = GetUser("u5");
  ASSERT_TRUE(u5);
  EXPECT_EQ(u5->created_at, "2024-02-02T00:00:00.000Z");
  EXPECT_EQ(u5->total_answers, 0);
  EXPECT_EQ(u5->correct_answers, 0);
}

TEST_P(StoreConformanceTest, UnknownUserIsEmpty) {
  EXPECT_FALSE(GetUser("nobody"));
}

DailyProgress MakeProgress(const std::string& date, int correct, const std::string& completed_at) {
  DailyProgress p;
  p.date = date;
  p.correct_count = correct;
  p.total_questions = 10;
  p.score = correct * 10.0 + 0.25;  // not an integer: must round-trip exactly
  p.rank = correct >= 8 ? "A" : "C";
  p.answers = {{"q1", true, true, 1709251200.5}, {"q2", false, false, 1709251201.125}};
  p.completed_at = completed_at;
  return p;
}

StreakState MakeStreak(int current, int best, const std::string& last) {
  return StreakState{current, best, CivilDate::Parse(last)};
}

TEST_P(StoreConformanceTest, CompleteDailyChallengeStoresProgressAndStreak) {
  Must(store().RecordAnswers(std::vector<Answer>{MakeAnswer("u1", "q1", true, true, 1.0)},
                             "2024-03-01T08:00:00.000Z"));
  ASSERT_THAT(store().CompleteDailyChallenge("u1", MakeProgress("2024-03-01", 8, "2024-03-01T09:00:00.000Z"),
                                             MakeStreak(3, 5, "2024-03-01"), "2024-03-01T09:00:00.000Z"),
              IsOk());

  auto u = GetUser("u1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->created_at, "2024-03-01T08:00:00.000Z");
  EXPECT_EQ(u->last_active, "2024-03-01T09:00:00.000Z");
  EXPECT_EQ(u->total_answers, 1);  // answer counts untouched
  EXPECT_EQ(u->correct_answers, 1);
  EXPECT_EQ(u->streak.current, 3);
  EXPECT_EQ(u->streak.best, 5);
  EXPECT_EQ(u->streak.last_counted, CivilDate::Parse("2024-03-01"));
  ASSERT_EQ(u->daily_progress.size(), 1u);
  ASSERT_TRUE(u->daily_progress.count("2024-03-01"));
  const DailyProgress& p = u->daily_progress.at("2024-03-01");
  EXPECT_EQ(p.date, "2024-03-01");
  EXPECT_EQ(p.correct_count, 8);
  EXPECT_EQ(p.total_questions, 10);
  EXPECT_EQ(p.score, 80.25);
  EXPECT_EQ(p.rank, "A");
  EXPECT_EQ(p.completed_at, "2024-03-01T09:00:00.000Z");
  EXPECT_THAT(p.answers, ElementsAre(FieldsAre("q1", true, true, 1709251200.5),
                                     FieldsAre("q2", false, false, 1709251201.125)));
}

TEST_P(StoreConformanceTest, CompleteDailyChallengeCreatesAnUnknownUser) {
  ASSERT_THAT(store().CompleteDailyChallenge("fresh", MakeProgress("2024-03-01", 7, "2024-03-01T09:00:00.000Z"),
                                             MakeStreak(1, 1, "2024-03-01"), "2024-03-01T09:00:00.000Z"),
              IsOk());
  auto u = GetUser("fresh");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->created_at, "2024-03-01T09:00:00.000Z");
  EXPECT_EQ(u->streak.current, 1);
  EXPECT_EQ(u->daily_progress.at("2024-03-01").correct_count, 7);
}

// What a crash between the two writes of a DynamoDB completion leaves (the
// answers recorded, the day not) is completed by the retry: the day stored,
// each answer counted once. A completion that carries answers is refused
// as a whole the second time.
TEST_P(StoreConformanceTest, ACompletionAfterItsAnswersWereRecordedCountsThemOnce) {
  const std::vector<Answer> answers = {MakeAnswer("u1", "q1", true, true, 1709251200.5),
                                       MakeAnswer("u1", "q2", false, false, 1709251201.125)};
  Must(store().RecordAnswers(answers, "2024-03-01T09:00:00.000Z"));  // the half a crash left
  ASSERT_THAT(store().CompleteDailyChallenge("u1", MakeProgress("2024-03-01", 8, "2024-03-01T09:00:00.000Z"),
                                             MakeStreak(1, 1, "2024-03-01"), answers, "2024-03-01T09:00:01.000Z"),
              IsOk());
  auto u = GetUser("u1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->total_answers, 2);
  EXPECT_EQ(u->correct_answers, 1);
  EXPECT_EQ(u->streak.current, 1);
  ASSERT_TRUE(u->daily_progress.count("2024-03-01"));

  EXPECT_THAT(store().CompleteDailyChallenge("u1", MakeProgress("2024-03-01", 2, "2024-03-01T10:00:00.000Z"),
                                             MakeStreak(0, 9, ""), answers, "2024-03-01T10:00:00.000Z"),
              HasCode(StatusCode::kConditionFailed));
  u = GetUser("u1");
  EXPECT_EQ(u->total_answers, 2);
  EXPECT_EQ(u->daily_progress.at("2024-03-01").correct_count, 8);
}

TEST_P(StoreConformanceTest, ASecondCompletionOfADateFailsAndChangesNothing) {
  ASSERT_THAT(store().CompleteDailyChallenge("u1", MakeProgress("2024-03-01", 8, "2024-03-01T09:00:00.000Z"),
                                             MakeStreak(3, 5, "2024-03-01"), "2024-03-01T09:00:00.000Z"),
              IsOk());
  const Status again = store().CompleteDailyChallenge("u1", MakeProgress("2024-03-01", 2, "2024-03-01T11:00:00.000Z"),
                                                      MakeStreak(0, 9, ""), "2024-03-01T11:00:00.000Z");
  EXPECT_THAT(again, HasCode(StatusCode::kConditionFailed));

  auto u = GetUser("u1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->last_active, "2024-03-01T09:00:00.000Z");
  EXPECT_EQ(u->streak.current, 3);
  EXPECT_EQ(u->streak.best, 5);
  EXPECT_EQ(u->streak.last_counted, CivilDate::Parse("2024-03-01"));
  ASSERT_EQ(u->daily_progress.size(), 1u);
  EXPECT_EQ(u->daily_progress.at("2024-03-01").correct_count, 8);
  EXPECT_EQ(u->daily_progress.at("2024-03-01").completed_at, "2024-03-01T09:00:00.000Z");

  // Another date works and keeps the first.
  ASSERT_THAT(store().CompleteDailyChallenge("u1", MakeProgress("2024-03-02", 9, "2024-03-02T09:00:00.000Z"),
                                             MakeStreak(4, 5, "2024-03-02"), "2024-03-02T09:00:00.000Z"),
              IsOk());
  u = GetUser("u1");
  ASSERT_TRUE(u);
  ASSERT_EQ(u->daily_progress.size(), 2u);
  EXPECT_EQ(u->daily_progress.at("2024-03-01").correct_count, 8);
  EXPECT_EQ(u->daily_progress.at("2024-03-02").correct_count, 9);
  EXPECT_EQ(u->streak.current, 4);
  EXPECT_EQ(u->streak.last_counted, CivilDate::Parse("2024-03-02"));
  EXPECT_EQ(u->last_active, "2024-03-02T09:00:00.000Z");

  // Another user's same date is independent.
  EXPECT_THAT(store().CompleteDailyChallenge("u2", MakeProgress("2024-03-01", 1, "2024-03-01T12:00:00.000Z"),
                                             MakeStreak(0, 0, ""), "2024-03-01T12:00:00.000Z"),
              IsOk());
  EXPECT_EQ(GetUser("u2")->daily_progress.at("2024-03-01").correct_count, 1);
  EXPECT_FALSE(GetUser("u2")->streak.last_counted);
}

// One day of a user (what the daily screen reads): the streak and that
// date's result, the same as GetUser shows, on any handle.
TEST_P(StoreConformanceTest, GetUserDayIsTheStreakAndThatDaysResult) {
  EXPECT_FALSE(Must(store().GetUserDay("nobody", "2024-03-01")).exists);
  Must(store().RecordAnswers(std::vector<Answer>{MakeAnswer("u1", "q1", true, true, 1.0)},
                             "2024-03-01T08:00:00.000Z"));
  UserDay before = Must(store().GetUserDay("u1", "2024-03-01"));
  EXPECT_TRUE(before.exists);
  EXPECT_FALSE(before.progress);
  EXPECT_EQ(before.streak.current, 0);
  EXPECT_FALSE(before.streak.last_counted);

  ASSERT_THAT(store().CompleteDailyChallenge("u1", MakeProgress("2024-03-01", 8, "2024-03-01T09:00:00.000Z"),
                                             MakeStreak(3, 5, "2024-03-01"), "2024-03-01T09:00:00.000Z"),
              IsOk());
  ASSERT_THAT(store().CompleteDailyChallenge("u1", MakeProgress("2024-03-02", 9, "2024-03-02T09:00:00.000Z"),
                                             MakeStreak(4, 5, "2024-03-02"), "2024-03-02T09:00:00.000Z"),
              IsOk());
  auto other = OpenHandle();
  for (Store* s : {&store(), other.get()}) {
    const UserDay day = Must(s->GetUserDay("u1", "2024-03-01"));
    EXPECT_TRUE(day.exists);
    EXPECT_EQ(day.streak.current, 4);
    EXPECT_EQ(day.streak.best, 5);
    EXPECT_EQ(day.streak.last_counted, CivilDate::Parse("2024-03-02"));
    ASSERT_TRUE(day.progress);
    EXPECT_EQ(day.progress->date, "2024-03-01");
    EXPECT_EQ(day.progress->correct_count, 8);
    EXPECT_EQ(day.progress->score, 80.25);
    EXPECT_EQ(day.progress->rank, "A");
    EXPECT_EQ(day.progress->completed_at, "2024-03-01T09:00:00.000Z");
    EXPECT_THAT(day.progress->answers, ElementsAre(FieldsAre("q1", true, true, 1709251200.5),
                                                   FieldsAre("q2", false, false, 1709251201.125)));
    EXPECT_EQ(Must(s->GetUserDay("u1", "2024-03-02")).progress->correct_count, 9);
    EXPECT_FALSE(Must(s->GetUserDay("u1", "2024-03-03")).progress);
  }
  // A second completion of a date changes neither view of it.
  EXPECT_THAT(store().CompleteDailyChallenge("u1", MakeProgress("2024-03-02", 1, "2024-03-02T10:00:00.000Z"),
                                             MakeStreak(0, 0, ""), "2024-03-02T10:00:00.000Z"),
              HasCode(StatusCode::kConditionFailed));
  EXPECT_EQ(Must(store().GetUserDay("u1", "2024-03-02")).progress->correct_count, 9);
  EXPECT_EQ(GetUser("u1")->daily_progress.at("2024-03-02").correct_count, 9);

  // A player none of whose days counted for the streak (no last counted
  // day): the day is there all the same.
  ASSERT_THAT(store().CompleteDailyChallenge("u3", MakeProgress("2024-03-01", 2, "2024-03-01T09:00:00.000Z"),
                                             MakeStreak(0, 0, ""), "2024-03-01T09:00:00.000Z"),
              IsOk());
  const UserDay uncounted = Must(store().GetUserDay("u3", "2024-03-01"));
  EXPECT_TRUE(uncounted.exists);
  ASSERT_TRUE(uncounted.progress);
  EXPECT_EQ(uncounted.progress->correct_count, 2);
  EXPECT_FALSE(uncounted.streak.last_counted);
  EXPECT_EQ(uncounted.streak.current, 0);
}

// Each kind of judgment is kept with its answer (NULL/absent is "counted").
TEST_P(StoreConformanceTest, AnAnswerKeepsItsJudgment) {
  std::vector<Answer> batch;
  for (int i = 0; i < kJudgmentKinds; ++i) {
    Answer a = MakeAnswer("u7", "q" + std::to_string(i), true, true, 10.0 + i);
    a.judgment = static_cast<Judgment>(i);
    batch.push_back(a);
  }
  EXPECT_EQ(Must(store().RecordAnswers(batch, "2024-01-01T00:00:00.000Z")).recorded, kJudgmentKinds);
  auto other = OpenHandle();
  std::vector<Judgment> seen;
  Must(other->ScanAnswers([&](const Answer& a) {
    seen.push_back(a.judgment);
    return Status::Ok();
  }));
  EXPECT_THAT(seen, ElementsAre(Judgment::kCounted, Judgment::kImported, Judgment::kDaily, Judgment::kUnserved,
                                Judgment::kTooFast, Judgment::kOverRate));
  EXPECT_EQ(Must(other->AnswersForQuestion("q2"))[0].judgment, Judgment::kDaily);
}

// The crowd model's refit reads every answer once, in any order.
TEST_P(StoreConformanceTest, ScanAnswersUnorderedVisitsEveryAnswerOnce) {
  std::vector<Answer> batch;
  for (int i = 0; i < 30; ++i)
    batch.push_back(MakeAnswer("u" + std::to_string(i % 7), "q" + std::to_string(i), i % 2 == 0, true, 1.0 + i));
  Must(store().RecordAnswers(batch, "2024-01-01T00:00:00.000Z"));
  auto other = OpenHandle();
  std::multiset<std::tuple<std::string, std::string, bool>> seen, expected;
  for (const Answer& a : batch) expected.emplace(a.user_id, a.question_id, a.answer);
  Must(other->ScanAnswersUnordered([&](const Answer& a) {
    seen.emplace(a.user_id, a.question_id, a.answer);
    return Status::Ok();
  }));
  EXPECT_EQ(seen, expected);
  // A visit that fails stops the scan with its status.
  int visits = 0;
  const Status stopped = other->ScanAnswersUnordered([&](const Answer&) {
    ++visits;
    return Status::Internal("stop");
  });
  EXPECT_EQ(stopped.code(), StatusCode::kInternal);
  EXPECT_EQ(visits, 1);
}

// Served questions, as judgment hygiene asks about them on any instance.
TEST_P(StoreConformanceTest, ServedQuestionsAreFoundByPlayerAndQuestion) {
  const std::vector<ServedQuestion> served{{"u1", "q2"}, {"u1", "q10"}, {"u2", "q3"}, {"u1", "q2"}};
  Must(store().RecordServed(served));
  Must(store().RecordServed(std::vector<ServedQuestion>{{"u1", "q2"}}));  // again: nothing changes
  Must(store().RecordServed({}));
  auto other = OpenHandle();
  for (Store* s : {&store(), other.get()}) {
    EXPECT_THAT(Must(s->ServedAmong("u1", std::vector<std::string>{"q3", "q2", "q10", "q2", "nope"})),
                ElementsAre("q10", "q2"));
    EXPECT_THAT(Must(s->ServedAmong("u2", std::vector<std::string>{"q2", "q3"})), ElementsAre("q3"));
    EXPECT_THAT(Must(s->ServedAmong("nobody", std::vector<std::string>{"q2"})), IsEmpty());
    EXPECT_THAT(Must(s->ServedAmong("u1", std::vector<std::string>{})), IsEmpty());
  }
  // More than one batch of each kind (25 writes, 100 reads on DynamoDB).
  std::vector<ServedQuestion> many;
  std::vector<std::string> ids;
  for (int i = 0; i < 130; ++i) {
    many.push_back({"u3", "m" + std::to_string(1000 + i)});
    ids.push_back("m" + std::to_string(1000 + i));
  }
  Must(store().RecordServed(many));
  ids.push_back("m9999");
  EXPECT_THAT(Must(other->ServedAmong("u3", ids)), SizeIs(130));
}

// The stored crowd fit: none, then one, then a larger one replacing it
// (several DynamoDB items, cut between UTF-8 sequences), on any handle.
TEST_P(StoreConformanceTest, TheStoredCrowdFitIsReplacedWhole) {
  EXPECT_FALSE(Must(store().GetCrowdFit()));
  Must(store().PutCrowdFit(R"({"format":1})"));
  EXPECT_EQ(*Must(OpenHandle()->GetCrowdFit()), R"({"format":1})");
  std::string big;
  for (int i = 0; big.size() < 900 * 1000; ++i) big += "Überprüfung " + std::to_string(i) + " ✓ ";
  Must(store().PutCrowdFit(big));
  auto other = OpenHandle();
  EXPECT_EQ(*Must(other->GetCrowdFit()), big);
  Must(other->PutCrowdFit("small again"));
  EXPECT_EQ(*Must(store().GetCrowdFit()), "small again");
}

Resolution MakeResolution(const std::string& id, ResolutionAction action, const std::string& at, bool before) {
  Resolution r;
  r.question_id = id;
  r.action = action;
  r.resolved_at = at;
  r.reviewer = "admin";
  r.notes = "checked the passage: \"wet\" ü";
  r.label_before = before;
  r.label_after = action == ResolutionAction::kFlip ? !before : before;
  return r;
}

// Resolutions: kept by question and time, a flip sets the label, every
// resolution moves the questions version.
TEST_P(StoreConformanceTest, ResolutionsAreKeptByQuestionAndTime) {
  Upsert({MakeQuestion("q1", {"science"}, 2), MakeQuestion("q2", {"history"}, 3)});
  ASSERT_TRUE(GetQuestion("q1")->answer);
  const std::uint64_t v0 = Version();
  Must(store().RecordResolution(MakeResolution("q2", ResolutionAction::kRetire, "2024-01-02T00:00:00.000Z", true)));
  EXPECT_GT(Version(), v0);
  const std::uint64_t v1 = Version();
  Must(store().RecordResolution(MakeResolution("q1", ResolutionAction::kFlip, "2024-01-03T00:00:00.000Z", true)));
  EXPECT_GT(Version(), v1);
  EXPECT_FALSE(GetQuestion("q1")->answer);
  // A repeated flip sets the label again (to label_after): no flip back.
  Must(store().RecordResolution(MakeResolution("q1", ResolutionAction::kFlip, "2024-01-03T00:00:00.000Z", true)));
  EXPECT_FALSE(GetQuestion("q1")->answer);
  Must(store().RecordResolution(MakeResolution("q1", ResolutionAction::kKeep, "2024-01-01T00:00:00.000Z", true)));
  // Keep and retire leave the label alone.
  EXPECT_FALSE(GetQuestion("q1")->answer);
  EXPECT_TRUE(GetQuestion("q2")->answer);

  auto other = OpenHandle();
  std::vector<Resolution> seen;
  Must(other->ScanResolutions([&](const Resolution& r) {
    seen.push_back(r);
    return Status::Ok();
  }));
  ASSERT_EQ(seen.size(), 3u);  // the repeated flip replaced the first
  EXPECT_EQ(seen[0].question_id, "q1");
  EXPECT_EQ(seen[0].action, ResolutionAction::kKeep);
  EXPECT_EQ(seen[1].action, ResolutionAction::kFlip);
  EXPECT_EQ(seen[1].resolved_at, "2024-01-03T00:00:00.000Z");
  EXPECT_TRUE(seen[1].label_before);
  EXPECT_FALSE(seen[1].label_after);
  EXPECT_EQ(seen[1].reviewer, "admin");
  EXPECT_EQ(seen[1].notes, "checked the passage: \"wet\" ü");
  EXPECT_EQ(seen[2].question_id, "q2");
  EXPECT_EQ(seen[2].action, ResolutionAction::kRetire);

  // A flip of a question that is not stored records nothing.
  const Status missing =
      store().RecordResolution(MakeResolution("nope", ResolutionAction::kFlip, "2024-01-04T00:00:00.000Z", true));
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  int count = 0;
  Must(store().ScanResolutions([&](const Resolution&) {
    ++count;
    return Status::Ok();
  }));
  EXPECT_EQ(count, 3);
}

// What fetch-questions needs to serve unanswered questions first.
TEST_P(StoreConformanceTest, AnsweredQuestionIdsAreThePlayersOwnInByteOrder) {
  Must(store().RecordAnswers(std::vector<Answer>{MakeAnswer("u8", "q2", true, true, 1.0),
                                                 MakeAnswer("u8", "q10", false, false, 2.0),
                                                 MakeAnswer("u9", "q3", true, true, 3.0)},
                             "2024-01-01T00:00:00.000Z"));
  auto other = OpenHandle();
  for (Store* s : {&store(), other.get()}) {
    EXPECT_THAT(Must(s->AnsweredQuestionIds("u8")), ElementsAre("q10", "q2"));
    EXPECT_THAT(Must(s->AnsweredQuestionIds("u9")), ElementsAre("q3"));
    EXPECT_THAT(Must(s->AnsweredQuestionIds("nobody")), IsEmpty());
  }
}

// The question_id index: a question's answers, by user, on any handle.
TEST_P(StoreConformanceTest, AnswersForQuestionFindsEveryAnswerToIt) {
  Must(store().RecordAnswers(std::vector<Answer>{MakeAnswer("u2", "q1", true, true, 1.5, 700),
                                                 MakeAnswer("u2", "q2", false, false, 2.0),
                                                 MakeAnswer("u1", "q1", false, std::nullopt, 3.0)},
                             "2024-01-01T00:00:00.000Z"));
  Must(store().RecordAnswers(std::vector<Answer>{MakeAnswer("u3", "q1", true, true, 4.0)}, "2024-01-01T00:00:00.000Z"));
  auto other = OpenHandle();
  for (Store* s : {&store(), other.get()}) {
    EXPECT_THAT(Must(s->AnswersForQuestion("q1")),
                ElementsAre(FieldsAre("u1", "q1", false, std::optional<bool>(), 3.0, std::optional<std::int64_t>(), Judgment::kCounted),
                            FieldsAre("u2", "q1", true, std::optional<bool>(true), 1.5,
                                      std::optional<std::int64_t>(700), Judgment::kCounted),
                            FieldsAre("u3", "q1", true, std::optional<bool>(true), 4.0,
                                      std::optional<std::int64_t>(), Judgment::kCounted)));
    EXPECT_THAT(Must(s->AnswersForQuestion("q2")), SizeIs(1));
    EXPECT_THAT(Must(s->AnswersForQuestion("q9")), IsEmpty());
  }
}

// Many writers at once (a busy server): each write lands whole, or fails
// alone, and each caller gets its own outcome. The SQLite engine commits
// such writes together (group commit); a failing one must not undo the
// others, and the counts must be exact.
TEST_P(StoreConformanceTest, ConcurrentWritersEachGetTheirOwnOutcome) {
  constexpr int kWriters = 16;
  constexpr int kRounds = 6;
  std::vector<int> recorded(kWriters, 0), duplicates(kWriters, 0), sessions_won(kWriters, 0);
  std::vector<int> sessions_lost(kWriters, 0), other_failures(kWriters, 0);
  RunTogether(kWriters, [&](int i) {
    const std::string user = "writer" + std::to_string(i);
    for (int round = 0; round < kRounds; ++round) {
      // Two new answers and one repeat of the round before.
      std::vector<Answer> answers{MakeAnswer(user, "q" + std::to_string(2 * round), true, true, round),
                                  MakeAnswer(user, "q" + std::to_string(2 * round + 1), false, false, round)};
      if (round > 0) answers.push_back(MakeAnswer(user, "q" + std::to_string(2 * round - 1), true, true, round));
      auto r = store().RecordAnswers(answers, "2024-05-01T00:00:00.000Z");
      if (r.ok()) {
        recorded[i] += r->recorded;
        duplicates[i] += r->duplicates;
        // The counts that come back are this writer's own, after its batch.
        const auto totals = r->totals.find(user);
        if (totals == r->totals.end() || totals->second.total_answers != 2 * (round + 1) ||
            totals->second.correct_answers != round + 1)
          ++other_failures[i];
      } else {
        ++other_failures[i];
      }
      // Every writer races for the round's shared session id, and creates
      // one of its own.
      const Status shared = store().CreateSession({"shared-" + std::to_string(round), "ip", user, round});
      if (shared.ok()) ++sessions_won[i];
      else if (shared.code() == StatusCode::kAlreadyExists) ++sessions_lost[i];
      else ++other_failures[i];
      if (!store().CreateSession({user + "-" + std::to_string(round), "ip", user, round}).ok()) ++other_failures[i];
    }
  });

  int won = 0;
  for (int i = 0; i < kWriters; ++i) {
    EXPECT_EQ(other_failures[i], 0) << "writer " << i;
    EXPECT_EQ(recorded[i], 2 * kRounds) << "writer " << i;
    EXPECT_EQ(duplicates[i], kRounds - 1) << "writer " << i;
    EXPECT_EQ(sessions_won[i] + sessions_lost[i], kRounds) << "writer " << i;
    won += sessions_won[i];
    auto u = GetUser("writer" + std::to_string(i));
    ASSERT_TRUE(u) << "writer " << i;
    EXPECT_EQ(u->total_answers, 2 * kRounds);
    EXPECT_EQ(u->correct_answers, kRounds);
    for (int round = 0; round < kRounds; ++round) {
      auto own = Must(store().GetSession("writer" + std::to_string(i) + "-" + std::to_string(round)));
      ASSERT_TRUE(own);
      EXPECT_EQ(own->user_id, "writer" + std::to_string(i));
    }
  }
  EXPECT_EQ(won, kRounds) << "each shared session is created exactly once";
  for (int round = 0; round < kRounds; ++round) {
    auto shared = Must(store().GetSession("shared-" + std::to_string(round)));
    ASSERT_TRUE(shared);
    EXPECT_THAT(shared->user_id, ::testing::StartsWith("writer"));
  }
  std::size_t answers = 0;
  ASSERT_THAT(store().ScanAnswers([&](const Answer&) {
    ++answers;
    return Status::Ok();
  }),
              IsOk());
  EXPECT_EQ(answers, static_cast<std::size_t>(kWriters * 2 * kRounds));
}

// Racers on one handle and on a second one (two server instances).
TEST_P(StoreConformanceTest, RacingCompletionsOfOneDateSucceedExactlyOnce) {
  auto other = OpenHandle();
  std::vector<Status> results(kThreads);
  RunTogether(kThreads, [&](int i) {
    Store& target = (i % 2 == 0) ? store() : *other;
    results[i] = target.CompleteDailyChallenge("racer", MakeProgress("2024-04-04", i, "2024-04-04T00:00:00.000Z"),
                                               MakeStreak(i + 1, i + 1, "2024-04-04"), "2024-04-04T00:00:00.000Z");
  });

  int winner = -1;
  for (int i = 0; i < kThreads; ++i) {
    if (results[i].ok()) {
      EXPECT_EQ(winner, -1) << "racers " << winner << " and " << i << " both succeeded";
      winner = i;
    } else {
      EXPECT_THAT(results[i], HasCode(StatusCode::kConditionFailed));
    }
  }
  ASSERT_NE(winner, -1);
  auto u = GetUser("racer");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->daily_progress.at("2024-04-04").correct_count, winner);
  EXPECT_EQ(u->streak.current, winner + 1);
  // The losers, rolled back inside shared commits, left no trace in the
  // day's view either.
  const UserDay day = Must(store().GetUserDay("racer", "2024-04-04"));
  ASSERT_TRUE(day.progress);
  EXPECT_EQ(day.progress->correct_count, winner);
  EXPECT_EQ(day.streak.current, winner + 1);
}

TEST_P(StoreConformanceTest, ScanUsersVisitsEveryUser) {
  Must(store().RecordAnswers(
      std::vector<Answer>{MakeAnswer("u1", "q1", true, true, 1.0), MakeAnswer("u2", "q1", true, false, 2.0)},
      "2024-01-01T00:00:00.000Z"));
  Must(store().CompleteDailyChallenge("u3", MakeProgress("2024-03-01", 8, "2024-03-01T09:00:00.000Z"),
                                      MakeStreak(1, 1, "2024-03-01"), "2024-03-01T09:00:00.000Z"));
  std::map<std::string, User> users;
  ASSERT_THAT(store().ScanUsers([&](const User& u) {
    users.emplace(u.user_id, u);
    return Status::Ok();
  }),
              IsOk());
  ASSERT_EQ(users.size(), 3u);
  EXPECT_EQ(users.at("u1").correct_answers, 1);
  EXPECT_EQ(users.at("u2").total_answers, 1);
  EXPECT_EQ(users.at("u2").correct_answers, 0);
  EXPECT_EQ(users.at("u3").daily_progress.size(), 1u);

  int visits = 0;
  const Status stopped = store().ScanUsers([&](const User&) {
    ++visits;
    return Status::Internal("enough");
  });
  EXPECT_THAT(stopped, HasCode(StatusCode::kInternal));
  EXPECT_EQ(visits, 1);
}

// ---- Sessions -------------------------------------------------------------

TEST_P(StoreConformanceTest, SessionsAreCreatedAndRead) {
  EXPECT_FALSE(Must(store().GetSession("s1")));
  ASSERT_THAT(store().CreateSession({"s1", "iphash-1", "", 1700000000}), IsOk());
  auto s = Must(store().GetSession("s1"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->session_id, "s1");
  EXPECT_EQ(s->ip_hash, "iphash-1");
  EXPECT_EQ(s->user_id, "");
  EXPECT_EQ(s->created_at, 1700000000);

  EXPECT_THAT(store().CreateSession({"s1", "iphash-2", "u9", 1800000000}), HasCode(StatusCode::kAlreadyExists));
  s = Must(store().GetSession("s1"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->ip_hash, "iphash-1");
  EXPECT_EQ(s->user_id, "");
  EXPECT_EQ(s->created_at, 1700000000);
}

TEST_P(StoreConformanceTest, BindSessionBindsOnce) {
  Must(store().CreateSession({"s1", "iphash", "", 1}));
  EXPECT_EQ(Must(store().BindSession("s1", "u1")), "u1");
  EXPECT_EQ(Must(store().GetSession("s1"))->user_id, "u1");
  EXPECT_EQ(Must(store().BindSession("s1", "u2")), "u1");
  EXPECT_EQ(Must(store().GetSession("s1"))->user_id, "u1");
  EXPECT_EQ(Must(store().BindSession("s1", "u1")), "u1");

  // A session created bound stays with its user.
  Must(store().CreateSession({"s2", "iphash", "u7", 2}));
  EXPECT_EQ(Must(store().BindSession("s2", "u8")), "u7");

  auto unknown = store().BindSession("nope", "u1");
  EXPECT_THAT(unknown.status(), HasCode(StatusCode::kNotFound));
  EXPECT_FALSE(Must(store().GetSession("nope")));
}

TEST_P(StoreConformanceTest, RacingBindsAgreeOnOneUser) {
  Must(store().CreateSession({"s1", "iphash", "", 1}));
  auto other = OpenHandle();
  std::vector<std::optional<Result<std::string>>> results(kThreads);
  RunTogether(kThreads, [&](int i) {
    Store& target = (i % 2 == 0) ? store() : *other;
    results[i] = target.BindSession("s1", "user" + std::to_string(i));
  });
  const std::string bound = Must(store().GetSession("s1"))->user_id;
  EXPECT_THAT(bound, ::testing::StartsWith("user"));
  for (int i = 0; i < kThreads; ++i) {
    ASSERT_TRUE(results[i] && results[i]->ok());
    EXPECT_EQ(**results[i], bound) << "racer " << i;
  }
}

// ---- Submitted questions --------------------------------------------------

TEST_P(StoreConformanceTest, SubmissionsAreCreatedAndRead) {
  EXPECT_FALSE(Must(store().GetSubmission("sub_1")));
  Submission sub = MakeSubmission("sub_1", "alice", "2024-01-01T00:00:00.000Z", {"Science", "history"});
  sub.answer = false;
  sub.difficulty = 4;
  ASSERT_THAT(store().CreateSubmission(sub), IsOk());

  auto got = Must(store().GetSubmission("sub_1"));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->id, "sub_1");
  EXPECT_EQ(got->question, sub.question);
  EXPECT_EQ(got->title, sub.title);
  EXPECT_EQ(got->passage, sub.passage);
  EXPECT_FALSE(got->answer);
  EXPECT_EQ(got->categories, (std::vector<std::string>{"Science", "history"}));
  EXPECT_EQ(got->difficulty, 4);
  EXPECT_EQ(got->author, "alice");
  EXPECT_EQ(got->status, SubmissionStatus::kPending);
  EXPECT_EQ(got->submitted_at, "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(got->reviewed_at, "");
  EXPECT_EQ(got->reviewer_id, "");
  EXPECT_EQ(got->approved_question_id, "");

  Submission clash = MakeSubmission("sub_1", "bob", "2024-02-02T00:00:00.000Z");
  EXPECT_THAT(store().CreateSubmission(clash), HasCode(StatusCode::kAlreadyExists));
  EXPECT_EQ(Must(store().GetSubmission("sub_1"))->author, "alice");
}

TEST_P(StoreConformanceTest, ListSubmissionsByStatusIsOldestFirstWithLimit) {
  Must(store().CreateSubmission(MakeSubmission("s_c", "alice", "2024-01-03T00:00:00.000Z")));
  Must(store().CreateSubmission(MakeSubmission("s_a", "bob", "2024-01-01T00:00:00.000Z")));
  Must(store().CreateSubmission(MakeSubmission("s_d", "carol", "2024-01-04T00:00:00.000Z")));
  Must(store().CreateSubmission(MakeSubmission("s_b", "alice", "2024-01-02T00:00:00.000Z")));
  Submission rejected = MakeSubmission("s_r", "bob", "2023-12-31T00:00:00.000Z");
  rejected.status = SubmissionStatus::kRejected;
  Must(store().CreateSubmission(rejected));

  EXPECT_THAT(SubmissionIds(Must(store().ListSubmissionsByStatus(SubmissionStatus::kPending, 10))),
              ElementsAre("s_a", "s_b", "s_c", "s_d"));
  EXPECT_THAT(SubmissionIds(Must(store().ListSubmissionsByStatus(SubmissionStatus::kPending, 2))),
              ElementsAre("s_a", "s_b"));
  EXPECT_THAT(SubmissionIds(Must(store().ListSubmissionsByStatus(SubmissionStatus::kRejected, 10))),
              ElementsAre("s_r"));
  EXPECT_THAT(Must(store().ListSubmissionsByStatus(SubmissionStatus::kApproved, 10)), IsEmpty());
}

TEST_P(StoreConformanceTest, ListSubmissionsByAuthorIsNewestFirstWithFilterAndLimit) {
  Must(store().CreateSubmission(MakeSubmission("s1", "alice", "2024-01-01T00:00:00.000Z")));
  Must(store().CreateSubmission(MakeSubmission("s3", "alice", "2024-01-03T00:00:00.000Z")));
  Must(store().CreateSubmission(MakeSubmission("s2", "alice", "2024-01-02T00:00:00.000Z")));
  Must(store().CreateSubmission(MakeSubmission("s9", "bob", "2024-01-09T00:00:00.000Z")));
  Submission decided = MakeSubmission("s4", "alice", "2024-01-04T00:00:00.000Z");
  decided.status = SubmissionStatus::kRejected;
  Must(store().CreateSubmission(decided));

  EXPECT_THAT(SubmissionIds(Must(store().ListSubmissionsByAuthor("alice", std::nullopt, 10))),
              ElementsAre("s4", "s3", "s2", "s1"));
  EXPECT_THAT(SubmissionIds(Must(store().ListSubmissionsByAuthor("alice", std::nullopt, 2))),
              ElementsAre("s4", "s3"));
  EXPECT_THAT(SubmissionIds(Must(store().ListSubmissionsByAuthor("alice", SubmissionStatus::kPending, 10))),
              ElementsAre("s3", "s2", "s1"));
  EXPECT_THAT(SubmissionIds(Must(store().ListSubmissionsByAuthor("alice", SubmissionStatus::kPending, 1))),
              ElementsAre("s3"));
  EXPECT_THAT(SubmissionIds(Must(store().ListSubmissionsByAuthor("alice", SubmissionStatus::kRejected, 10))),
              ElementsAre("s4"));
  EXPECT_THAT(SubmissionIds(Must(store().ListSubmissionsByAuthor("bob", std::nullopt, 10))), ElementsAre("s9"));
  EXPECT_THAT(Must(store().ListSubmissionsByAuthor("nobody", std::nullopt, 10)), IsEmpty());
}

TEST_P(StoreConformanceTest, ApprovalPublishesTheQuestion) {
  Upsert(CategoryBatch());
  Must(store().CreateSubmission(MakeSubmission("sub_1", "alice", "2024-01-01T00:00:00.000Z", {"science"})));
  const std::uint64_t version = Version();

  Question q = MakeQuestion("uq_1", {"science", "geography"}, 2, "Is the proposal published?");
  q.source = "proposal:sub_1";
  SubmissionDecision d;
  d.submission_id = "sub_1";
  d.status = SubmissionStatus::kApproved;
  d.reviewer_id = "mod1";
  d.reviewer_notes = "looks right";
  d.reviewed_at = "2024-01-05T00:00:00.000Z";
  d.approved_question = q;
  ASSERT_THAT(store().DecideSubmission(d), IsOk());

  auto published = GetQuestion("uq_1");
  ASSERT_TRUE(published);
  ExpectSameContentAndSource(*published, q);
  EXPECT_FALSE(published->created_at.empty());
  EXPECT_NE(Version(), version);
  EXPECT_THAT(Index("science"), ElementsAre("a", "b", "uq_1"));
  EXPECT_THAT(Index("science", 2), ElementsAre("a", "uq_1"));
  EXPECT_THAT(Index("geography"), ElementsAre("uq_1"));
  EXPECT_THAT(Index("general"), ElementsAre("a", "b", "c", "d", "e", "uq_1"));
  EXPECT_THAT(Categories(), ElementsAre(FieldsAre("general", "General", 6), FieldsAre("science", "Science", 3),
                                        FieldsAre("history", "History", 2), FieldsAre("geography", "Geography", 1),
                                        FieldsAre("sports", "Sports", 1)));
  EXPECT_THAT(Must(store().ListQuestionIds(2, 2)), ElementsAre("a", "c", "e", "uq_1"));

  auto sub = Must(store().GetSubmission("sub_1"));
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->status, SubmissionStatus::kApproved);
  EXPECT_EQ(sub->approved_question_id, "uq_1");
  EXPECT_EQ(sub->reviewer_id, "mod1");
  EXPECT_EQ(sub->reviewer_notes, "looks right");
  EXPECT_EQ(sub->reviewed_at, "2024-01-05T00:00:00.000Z");
  EXPECT_THAT(Must(store().ListSubmissionsByStatus(SubmissionStatus::kPending, 10)), IsEmpty());
  EXPECT_THAT(SubmissionIds(Must(store().ListSubmissionsByStatus(SubmissionStatus::kApproved, 10))),
              ElementsAre("sub_1"));

  // Deciding again fails and changes nothing.
  SubmissionDecision again;
  again.submission_id = "sub_1";
  again.status = SubmissionStatus::kRejected;
  again.reviewer_id = "mod2";
  again.reviewed_at = "2024-01-06T00:00:00.000Z";
  EXPECT_THAT(store().DecideSubmission(again), HasCode(StatusCode::kConditionFailed));
  sub = Must(store().GetSubmission("sub_1"));
  EXPECT_EQ(sub->status, SubmissionStatus::kApproved);
  EXPECT_EQ(sub->reviewer_id, "mod1");
  EXPECT_TRUE(GetQuestion("uq_1"));
}

TEST_P(StoreConformanceTest, DecidingAnUnknownSubmissionIsNotFound) {
  SubmissionDecision d;
  d.submission_id = "sub_missing";
  d.status = SubmissionStatus::kApproved;
  d.reviewer_id = "mod1";
  d.approved_question = MakeQuestion("uq_missing");
  EXPECT_THAT(store().DecideSubmission(d), HasCode(StatusCode::kNotFound));
  EXPECT_FALSE(GetQuestion("uq_missing"));
  EXPECT_EQ(Must(store().CountQuestions()), 0);
}

TEST_P(StoreConformanceTest, RejectionDoesNotPublish) {
  Upsert({MakeQuestion("a", {"science"})});
  Must(store().CreateSubmission(MakeSubmission("sub_1", "alice", "2024-01-01T00:00:00.000Z")));
  const std::uint64_t version = Version();
  SubmissionDecision d;
  d.submission_id = "sub_1";
  d.status = SubmissionStatus::kRejected;
  d.reviewer_id = "mod1";
  d.reviewer_notes = "wrong";
  d.reviewed_at = "2024-01-05T00:00:00.000Z";
  ASSERT_THAT(store().DecideSubmission(d), IsOk());

  auto sub = Must(store().GetSubmission("sub_1"));
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->status, SubmissionStatus::kRejected);
  EXPECT_EQ(sub->reviewer_id, "mod1");
  EXPECT_EQ(sub->reviewer_notes, "wrong");
  EXPECT_EQ(sub->reviewed_at, "2024-01-05T00:00:00.000Z");
  EXPECT_EQ(sub->approved_question_id, "");
  EXPECT_EQ(Must(store().CountQuestions()), 1);
  EXPECT_EQ(Version(), version);
  EXPECT_THAT(Categories(), ElementsAre(FieldsAre("general", "General", 1), FieldsAre("science", "Science", 1)));

  // Approving after a rejection is refused.
  SubmissionDecision approve = d;
  approve.status = SubmissionStatus::kApproved;
  approve.approved_question = MakeQuestion("uq_1");
  EXPECT_THAT(store().DecideSubmission(approve), HasCode(StatusCode::kConditionFailed));
  EXPECT_FALSE(GetQuestion("uq_1"));
}

TEST_P(StoreConformanceTest, ARejectionNeverPublishesAnAttachedQuestion) {
  Must(store().CreateSubmission(MakeSubmission("sub_1", "alice", "2024-01-01T00:00:00.000Z")));
  const std::uint64_t version = Version();
  SubmissionDecision d;
  d.submission_id = "sub_1";
  d.status = SubmissionStatus::kRejected;
  d.reviewer_id = "mod1";
  d.reviewed_at = "2024-01-05T00:00:00.000Z";
  d.approved_question = MakeQuestion("uq_1", {"science"});  // only meaningful for an approval
  ASSERT_THAT(store().DecideSubmission(d), IsOk());
  EXPECT_EQ(Must(store().GetSubmission("sub_1"))->status, SubmissionStatus::kRejected);
  EXPECT_EQ(Must(store().GetSubmission("sub_1"))->approved_question_id, "");
  EXPECT_FALSE(GetQuestion("uq_1"));
  EXPECT_THAT(Index("science"), IsEmpty());
  EXPECT_EQ(Version(), version);
}

TEST_P(StoreConformanceTest, ServiceDecideSubmissionApprovesAndPublishes) {
  Must(store().CreateSubmission(
      MakeSubmission("sub_abc123", "alice", "2024-01-01T00:00:00.000Z", {" Science ", "HISTORY", "science"})));
  const std::uint64_t version = Version();

  const Submission after =
      Must(DecideSubmission(store(), "sub_abc123", /*approve=*/true, "mod1", "fine", "2024-01-02T00:00:00.000Z"));
  EXPECT_EQ(after.status, SubmissionStatus::kApproved);
  EXPECT_EQ(after.approved_question_id, "uq_abc123");
  EXPECT_EQ(after.reviewer_id, "mod1");
  EXPECT_EQ(after.reviewer_notes, "fine");
  EXPECT_EQ(after.reviewed_at, "2024-01-02T00:00:00.000Z");

  auto q = GetQuestion("uq_abc123");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->question, "Is proposal sub_abc123 correct?");
  EXPECT_EQ(q->categories, (std::vector<std::string>{"science", "history", "general"}));
  EXPECT_EQ(q->source, "proposal:sub_abc123");
  EXPECT_NE(Version(), version);
  EXPECT_THAT(Index("history", 2), ElementsAre("uq_abc123"));
  EXPECT_THAT(Categories(), ElementsAre(FieldsAre("general", "General", 1), FieldsAre("history", "History", 1),
                                        FieldsAre("science", "Science", 1)));

  auto again = DecideSubmission(store(), "sub_abc123", /*approve=*/false, "mod2", "", "2024-01-03T00:00:00.000Z");
  EXPECT_THAT(again.status(), HasCode(StatusCode::kConditionFailed));
  EXPECT_EQ(Must(store().GetSubmission("sub_abc123"))->reviewer_id, "mod1");

  auto unknown = DecideSubmission(store(), "sub_nope", true, "mod1", "", "2024-01-03T00:00:00.000Z");
  EXPECT_THAT(unknown.status(), HasCode(StatusCode::kNotFound));
}

TEST_P(StoreConformanceTest, ServiceDecideSubmissionRejectsWithoutPublishing) {
  Must(store().CreateSubmission(MakeSubmission("sub_x", "alice", "2024-01-01T00:00:00.000Z")));
  const std::uint64_t version = Version();
  const Submission after =
      Must(DecideSubmission(store(), "sub_x", /*approve=*/false, "mod1", "no source", "2024-01-02T00:00:00.000Z"));
  EXPECT_EQ(after.status, SubmissionStatus::kRejected);
  EXPECT_EQ(after.reviewer_notes, "no source");
  EXPECT_EQ(after.approved_question_id, "");
  EXPECT_FALSE(GetQuestion("uq_x"));
  EXPECT_EQ(Must(store().CountQuestions()), 0);
  EXPECT_EQ(Version(), version);
}

TEST_P(StoreConformanceTest, ScanSubmissionsVisitsEverySubmission) {
  Must(store().CreateSubmission(MakeSubmission("s2", "bob", "2024-01-02T00:00:00.000Z")));
  Must(store().CreateSubmission(MakeSubmission("s1", "alice", "2024-01-01T00:00:00.000Z")));
  std::vector<std::string> seen;
  ASSERT_THAT(store().ScanSubmissions([&](const Submission& s) {
    seen.push_back(s.id + "/" + s.author);
    return Status::Ok();
  }),
              IsOk());
  EXPECT_THAT(seen, UnorderedElementsAre("s1/alice", "s2/bob"));
}

TEST_P(StoreConformanceTest, PendingSubmissionWithTextFindsOnlyPendingOnes) {
  Submission sub = MakeSubmission("sub_1", "alice", "2024-01-01T00:00:00.000Z");
  sub.question = "Is  the Sky blue?";
  Must(store().CreateSubmission(sub));
  Submission other = MakeSubmission("sub_2", "bob", "2024-01-02T00:00:00.000Z");
  other.question = "Is grass green?";
  Must(store().CreateSubmission(other));

  EXPECT_TRUE(Must(store().PendingSubmissionWithText(NormaliseQuestionText("is the sky blue"))));
  EXPECT_TRUE(Must(store().PendingSubmissionWithText(NormaliseQuestionText("IS THE SKY BLUE?"))));
  EXPECT_FALSE(Must(store().PendingSubmissionWithText(NormaliseQuestionText("Is the sea blue?"))));

  // Once decided it no longer counts as pending.
  Must(DecideSubmission(store(), "sub_1", /*approve=*/false, "mod1", "", "2024-01-03T00:00:00.000Z"));
  EXPECT_FALSE(Must(store().PendingSubmissionWithText(NormaliseQuestionText("is the sky blue"))));
  EXPECT_TRUE(Must(store().PendingSubmissionWithText(NormaliseQuestionText("is grass green"))));
}

TEST_P(StoreConformanceTest, ApprovingOverAnExistingQuestionMovesItsIndexRows) {
  Upsert({MakeQuestion("uq_1", {"science"}, 2)});
  Must(store().CreateSubmission(MakeSubmission("sub_1", "alice", "2024-01-01T00:00:00.000Z")));
  SubmissionDecision d;
  d.submission_id = "sub_1";
  d.status = SubmissionStatus::kApproved;
  d.reviewer_id = "mod1";
  d.reviewed_at = "2024-01-05T00:00:00.000Z";
  d.approved_question = MakeQuestion("uq_1", {"history"}, 4);
  ASSERT_THAT(store().DecideSubmission(d), IsOk());
  EXPECT_EQ(Must(store().CountQuestions()), 1);
  EXPECT_THAT(Index("science"), IsEmpty());
  EXPECT_THAT(Index("history", 4), ElementsAre("uq_1"));
  EXPECT_THAT(Index("general", 4), ElementsAre("uq_1"));
  EXPECT_THAT(Categories(), ElementsAre(FieldsAre("general", "General", 1), FieldsAre("history", "History", 1)));
}

// Approvals and rejections of one proposal racing on two handles (two
// instances): one decision wins; a rejected proposal is never published;
// however many approvals race, the counts change once and agree with what
// a rebuild computes.
TEST_P(StoreConformanceTest, RacingDecisionsOnOneProposalDecideOnceAndCountOnce) {
  auto other = OpenHandle();
  Upsert({MakeQuestion("base", {"science"}, 2)});
  for (int round = 0; round < 6; ++round) {
    const std::string sub = "sub_r" + std::to_string(round);
    Must(store().CreateSubmission(MakeSubmission(sub, "alice", "2024-01-01T00:00:00.000Z", {"history"})));
    // Rounds alternate which side has more racers.
    const int approvers = round % 2 == 0 ? kThreads / 2 : kThreads - 2;
    std::vector<Status> results(kThreads);
    RunTogether(kThreads, [&](int i) {
      Store& target = (i % 2 == 0) ? store() : *other;
      SubmissionDecision d;
      d.submission_id = sub;
      d.reviewer_id = "mod" + std::to_string(i);
      d.reviewed_at = "2024-01-02T00:00:00.000Z";
      d.status = i < approvers ? SubmissionStatus::kApproved : SubmissionStatus::kRejected;
      if (i < approvers) d.approved_question = MakeQuestion("uq_r" + std::to_string(round), {"history"}, 3);
      results[i] = target.DecideSubmission(d);
    });
    int wins = 0;
    for (int i = 0; i < kThreads; ++i) {
      if (results[i].ok()) {
        ++wins;
      } else {
        EXPECT_EQ(results[i].code(), StatusCode::kConditionFailed) << results[i].ToString();
      }
    }
    EXPECT_EQ(wins, 1) << "round " << round;
    const auto decided = Must(store().GetSubmission(sub));
    ASSERT_TRUE(decided);
    const bool published = GetQuestion("uq_r" + std::to_string(round)).has_value();
    EXPECT_EQ(published, decided->status == SubmissionStatus::kApproved)
        << "round " << round << ": " << SubmissionStatusName(decided->status) << ", published " << published;
  }
  const std::set<std::string> names{"science", "history", "general"};
  const auto counted = IndexSnapshot(names);
  ASSERT_THAT(store().RebuildCategoryIndex(), IsOk());
  EXPECT_EQ(IndexSnapshot(names), counted) << "the counts drifted from the questions";
}

TEST_P(StoreConformanceTest, TenConcurrentApprovalsPublishOnce) {
  auto other = OpenHandle();
  Must(store().CreateSubmission(MakeSubmission("sub_t", "alice", "2024-01-01T00:00:00.000Z", {"history"})));
  std::vector<Status> results(10);
  RunTogether(10, [&](int i) {
    SubmissionDecision d;
    d.submission_id = "sub_t";
    d.reviewer_id = "mod" + std::to_string(i);
    d.reviewed_at = "2024-01-02T00:00:00.000Z";
    d.approved_question = MakeQuestion("uq_t", {"history"}, 3);
    results[i] = ((i % 2 == 0) ? store() : *other).DecideSubmission(d);
  });
  EXPECT_EQ(std::count_if(results.begin(), results.end(), [](const Status& s) { return s.ok(); }), 1);
  EXPECT_THAT(Categories(), ElementsAre(FieldsAre("general", "General", 1), FieldsAre("history", "History", 1)));
  EXPECT_THAT(Index("history", 3), ElementsAre("uq_t"));
  EXPECT_EQ(Must(store().CountQuestions()), 1);
}

// ---- Rate limits ----------------------------------------------------------

TEST_P(StoreConformanceTest, AddToCounterAccumulatesWithinAWindow) {
  auto c = Must(store().AddToCounter("ip:1", 1, 60, 1000));
  EXPECT_EQ(c.count, 1);
  EXPECT_EQ(c.resets_at, 1060);
  c = Must(store().AddToCounter("ip:1", 2, 60, 1030));
  EXPECT_EQ(c.count, 3);
  EXPECT_EQ(c.resets_at, 1060);
  c = Must(store().AddToCounter("ip:1", 1, 60, 1059));
  EXPECT_EQ(c.count, 4);
  EXPECT_EQ(c.resets_at, 1060);

  // now >= resets_at: a fresh window starting now.
  c = Must(store().AddToCounter("ip:1", 5, 60, 1060));
  EXPECT_EQ(c.count, 5);
  EXPECT_EQ(c.resets_at, 1120);
  c = Must(store().AddToCounter("ip:1", 1, 60, 5000));
  EXPECT_EQ(c.count, 1);
  EXPECT_EQ(c.resets_at, 5060);
}

TEST_P(StoreConformanceTest, CountersWithDifferentKeysAreIndependent) {
  EXPECT_EQ(Must(store().AddToCounter("a", 3, 60, 1000)).count, 3);
  auto b = Must(store().AddToCounter("b", 1, 10, 1005));
  EXPECT_EQ(b.count, 1);
  EXPECT_EQ(b.resets_at, 1015);
  auto a = Must(store().AddToCounter("a", 1, 60, 1020));
  EXPECT_EQ(a.count, 4);
  EXPECT_EQ(a.resets_at, 1060);
  // b's window passing does not reset a.
  EXPECT_EQ(Must(store().AddToCounter("b", 1, 10, 1016)).count, 1);
  EXPECT_EQ(Must(store().AddToCounter("a", 1, 60, 1030)).count, 5);
}

TEST_P(StoreConformanceTest, ConcurrentAddsAreNotLost) {
  auto other = OpenHandle();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      Store& target = (i % 2 == 0) ? store() : *other;
      for (int k = 0; k < 10; ++k)
        if (!target.AddToCounter("hot", 1, 3600, 1000).ok()) ++failures;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Must(store().AddToCounter("hot", 0, 3600, 1000)).count, kThreads * 10);
}

// ---- Settings -------------------------------------------------------------

TEST_P(StoreConformanceTest, SettingsArePutOnce) {
  EXPECT_FALSE(Must(store().GetSetting("salt")));
  EXPECT_EQ(Must(store().PutSettingIfAbsent("salt", "first")), "first");
  EXPECT_EQ(Must(store().GetSetting("salt")), std::optional<std::string>("first"));
  EXPECT_EQ(Must(store().PutSettingIfAbsent("salt", "second")), "first");
  EXPECT_EQ(Must(store().GetSetting("salt")), std::optional<std::string>("first"));
  EXPECT_EQ(Must(store().PutSettingIfAbsent("pepper", "other")), "other");
  EXPECT_EQ(Must(OpenHandle()->GetSetting("salt")), std::optional<std::string>("first"));
}

TEST_P(StoreConformanceTest, InitIsIdempotentAndKeepsData) {
  Upsert({MakeQuestion("a", {"science"})});
  ASSERT_THAT(store().Init(), IsOk());
  ASSERT_THAT(store().Init(), IsOk());
  EXPECT_EQ(Must(store().CountQuestions()), 1);
  EXPECT_THAT(Index("science"), ElementsAre("a"));
  EXPECT_THAT(store().Describe(), Not(IsEmpty()));
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreConformanceTest, ::testing::ValuesIn(StoreEngines()), StoreEngineTestName);

}  // namespace
}  // namespace truthbyte::testing
