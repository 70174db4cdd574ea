// Choosing a day's challenge: once per date per process (the result is
// frozen in the store), so it is off the per-request path, but it runs over
// the whole eligible pool.

#include <benchmark/benchmark.h>

#include <cstdio>

#include "core/daily_challenge.h"

namespace truthbyte::bench {
namespace {

std::vector<std::string> EligibleIds(std::size_t n) {
  std::vector<std::string> ids;
  ids.reserve(n);
  char id[32];
  for (std::size_t i = 0; i < n; ++i) {
    std::snprintf(id, sizeof id, "gen-%07zu", i);
    ids.emplace_back(id);
  }
  return ids;
}

// As GameService calls it: the catalog's pool is copied into the call.
void BM_SelectDailyQuestions(benchmark::State& state) {
  const std::vector<std::string> pool = EligibleIds(static_cast<std::size_t>(state.range(0)));
  const CivilDate date{2025, 6, 1};
  for (auto _ : state) {
    auto chosen = SelectDailyQuestions(pool, date);
    benchmark::DoNotOptimize(chosen.data());
  }
}
BENCHMARK(BM_SelectDailyQuestions)->ArgName("pool")->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);

// The same selection without the copy of the pool (the store path moves
// its freshly listed ids in), to separate the copy from the shuffle.
void BM_SelectDailyQuestionsMovedPool(benchmark::State& state) {
  const std::vector<std::string> pool = EligibleIds(static_cast<std::size_t>(state.range(0)));
  const CivilDate date{2025, 6, 1};
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<std::string> copy = pool;
    state.ResumeTiming();
    auto chosen = SelectDailyQuestions(std::move(copy), date);
    benchmark::DoNotOptimize(chosen.data());
    state.PauseTiming();
    chosen = {};
    state.ResumeTiming();
  }
}
BENCHMARK(BM_SelectDailyQuestionsMovedPool)->ArgName("pool")->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace truthbyte::bench
