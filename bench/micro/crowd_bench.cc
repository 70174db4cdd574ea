// A full fit of the crowd model (FitCrowdModel) on synthetic crowds of
// 100k, 1M and 10M answers: 10 answers a question, 100 a player, players
// right 30 % to 95 % of the time.
#include <random>

#include <benchmark/benchmark.h>

#include "core/crowd_model.h"

namespace truthbyte {
namespace {

CrowdAnswers SyntheticCrowd(std::size_t n) {
  std::mt19937_64 rng(1);
  CrowdAnswers a;
  a.players = static_cast<std::uint32_t>(n / 100);
  a.questions = static_cast<std::uint32_t>(n / 10);
  a.label.resize(a.questions);
  for (std::uint32_t q = 0; q < a.questions; ++q) a.label[q] = static_cast<std::int8_t>(q % 2);
  std::vector<double> reliability(a.players);
  for (auto& r : reliability) r = std::uniform_real_distribution<>(0.3, 0.95)(rng);
  a.player.reserve(n);
  a.question.reserve(n);
  a.says_true.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto p = static_cast<std::uint32_t>(rng() % a.players);
    const auto q = static_cast<std::uint32_t>(i / 10);
    const bool right = std::uniform_real_distribution<>(0, 1)(rng) < reliability[p];
    a.player.push_back(p);
    a.question.push_back(q);
    a.says_true.push_back((q % 2 == 1) == right ? 1 : 0);
  }
  return a;
}

void BM_FitCrowdModel(benchmark::State& state) {
  const CrowdAnswers crowd = SyntheticCrowd(static_cast<std::size_t>(state.range(0)));
  int iterations = 0;
  for (auto _ : state) {
    CrowdFit fit = FitCrowdModel(crowd);
    iterations = fit.iterations;
    benchmark::DoNotOptimize(fit.p_true.data());
  }
  state.counters["em_iterations"] = iterations;
  state.counters["answers"] = static_cast<double>(crowd.size());
}
BENCHMARK(BM_FitCrowdModel)->ArgName("answers")->Arg(100000)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace truthbyte
