// The fetch-questions hot path: sampling from the catalog and writing the
// response body from the pre-serialised entries.

#include <benchmark/benchmark.h>

#include "bench_fixtures.h"
#include "core/question_format.h"
#include "core/question_generator.h"
#include "http/api.h"

namespace truthbyte::bench {
namespace {

// A mid-sized category of the generator (about a tenth of all questions)
// and its most common difficulty but one.
constexpr const char* kCategory = "science";
constexpr int kDifficulty = 3;

void SampleFrom(benchmark::State& state, const std::string& category, int difficulty) {
  const auto& snapshot = GeneratedSnapshot(static_cast<std::size_t>(state.range(0)));
  const auto n = static_cast<std::size_t>(state.range(1));
  SplitMix64 rng(7);
  for (auto _ : state) {
    auto picked = snapshot.Sample(category, difficulty, n, rng);
    benchmark::DoNotOptimize(picked.data());
  }
  auto lists = snapshot.by_category.find(category);
  state.counters["pool"] = lists == snapshot.by_category.end()
                               ? 0
                               : static_cast<double>(lists->second[static_cast<std::size_t>(difficulty)].size());
}

void BM_SampleGeneral(benchmark::State& state) { SampleFrom(state, std::string(kGeneralCategory), 0); }
void BM_SampleCategory(benchmark::State& state) { SampleFrom(state, kCategory, 0); }
void BM_SampleCategoryDifficulty(benchmark::State& state) { SampleFrom(state, kCategory, kDifficulty); }

void SamplingSizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"questions", "n"})->ArgsProduct({{1'000, 10'000, 100'000, 1'000'000}, {10, 20}});
}
BENCHMARK(BM_SampleGeneral)->Apply(SamplingSizes);
BENCHMARK(BM_SampleCategory)->Apply(SamplingSizes);
BENCHMARK(BM_SampleCategoryDifficulty)->Apply(SamplingSizes);

// What Api::FetchQuestions writes for `n` sampled questions: the entries'
// JSON spliced in, plus the request's parameters.
void BM_FetchQuestionsBody(benchmark::State& state) {
  const auto& snapshot = GeneratedSnapshot(10'000);
  SplitMix64 rng(7);
  FetchedQuestions fetched;
  for (const auto* entry : snapshot.Sample(std::string(kGeneralCategory), 0, static_cast<std::size_t>(state.range(0)), rng))
    fetched.question_json.emplace_back(entry->json);
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string body = FetchQuestionsBody(fetched, "general", 0, static_cast<int>(state.range(0)), false);
    bytes = body.size();
    benchmark::DoNotOptimize(body.data());
  }
  state.counters["body_bytes"] = static_cast<double>(bytes);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_FetchQuestionsBody)->ArgName("n")->Arg(10)->Arg(20);

// For comparison: serialising one question from scratch, as a catalog
// refresh does once per question (and the store fallback per request).
void BM_QuestionToJsonDump(benchmark::State& state) {
  const Question q = QuestionGenerator(1, "gen-").Generate(0);
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string json = QuestionToJson(q).dump();
    bytes = json.size();
    benchmark::DoNotOptimize(json.data());
  }
  state.counters["json_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_QuestionToJsonDump);

// Looking up an answered question's entry (submit-answers, per answer).
void BM_CatalogFind(benchmark::State& state) {
  const auto& snapshot = GeneratedSnapshot(static_cast<std::size_t>(state.range(0)));
  SplitMix64 rng(7);
  for (auto _ : state) {
    const auto& id = snapshot.entries[rng.Below(snapshot.entries.size())].id;
    benchmark::DoNotOptimize(snapshot.Find(id));
  }
}
BENCHMARK(BM_CatalogFind)->ArgName("questions")->Arg(10'000)->Arg(1'000'000);

}  // namespace
}  // namespace truthbyte::bench
