// The latest fit of the crowd model, shared by every request and replaced
// as a whole by each refit (made off the request threads: see
// CrowdTruth::RefitNow). Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "service/crowd_analysis.h"
#include "service/stored_fit.h"

namespace truthbyte {

// The order of the disputed-questions list: by confidence, highest first,
// then by id.
inline bool ListedBefore(double confidence_a, std::string_view id_a, double confidence_b, std::string_view id_b) {
  if (confidence_a != confidence_b) return confidence_a > confidence_b;
  return id_a < id_b;
}

struct CrowdSnapshot {
  CrowdAnalysis analysis;
  // The options of the fit.
  double label_prior = 0.9;
  double dispute_confidence = 0.9;
  int dispute_min_answers = 5;
  // Made by Index():
  std::unordered_map<std::string, std::size_t> player_index;  // user id -> analysis.players
  // The questions with at least dispute_min_answers answers whose posterior
  // is against their label (confidence above 0.5), ListedBefore first: the
  // disputed-questions list.
  std::vector<std::uint32_t> by_confidence;

  // Builds the indexes from `analysis`.
  void Index();

  // The model's estimate of a player's reliability; none for a player who
  // had no answer at the fit.
  std::optional<double> Reliability(const std::string& user_id) const;
};

class CrowdTruth {
 public:
  CrowdTruth(Store& store, CrowdAnalysisOptions options) : store_(store), options_(options) {}

  // The latest fit; null before the first.
  std::shared_ptr<const CrowdSnapshot> Current() const;
  // Fits every answer of the store and swaps the result in.
  Status RefitNow();
  // Starts from a stored fit (LoadFit) until the first refit: false, and
  // nothing changes, when a refit came first or the fit was made with
  // other options (another label prior or dispute rule).
  bool StartFrom(StoredFit fit);
  // Answers this process recorded since the last refit: a refit is due.
  void NoteAnswers(int recorded) { pending_.fetch_add(recorded, std::memory_order_relaxed); }
  bool HasNewAnswers() const { return pending_.load(std::memory_order_relaxed) > 0; }
  // For /metrics: refits that completed and that failed.
  std::uint64_t refits() const { return refits_.load(std::memory_order_relaxed); }
  std::uint64_t failed_refits() const { return failed_refits_.load(std::memory_order_relaxed); }

 private:
  Store& store_;
  const CrowdAnalysisOptions options_;
  std::atomic<std::int64_t> pending_{0};
  std::atomic<std::uint64_t> refits_{0};
  std::atomic<std::uint64_t> failed_refits_{0};
  std::mutex refit_mu_;  // one refit at a time
  mutable std::mutex mu_;
  std::shared_ptr<const CrowdSnapshot> current_;  // under mu_
};

}  // namespace truthbyte
