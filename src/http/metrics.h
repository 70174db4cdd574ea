// Request counters and latency histograms in the Prometheus text format.
// Lock-free: every counter is an atomic, fixed in number at construction.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "core/records.h"

namespace truthbyte {

class Metrics {
 public:
  // `endpoints` are the route names; index them in Record().
  explicit Metrics(std::vector<std::string> endpoints);

  void Record(std::size_t endpoint, int http_status, double seconds);
  // A fetch-questions served by "catalog", "category_index" or "scan".
  void CountFetch(const std::string& strategy);
  // Answers submitted to known questions, by the Judgment they were given.
  void CountJudgments(const std::array<int, kJudgmentKinds>& by_kind);

  // The exposition text; `gauges` are extra "name value" lines.
  std::string Render(const std::vector<std::pair<std::string, double>>& gauges) const;

 private:
  static constexpr std::array<int, 14> kStatuses = {200, 201, 204, 400, 401, 403, 404,
                                                    405, 408, 409, 413, 429, 500, 503};
  static constexpr std::array<double, 10> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                      0.025,  0.05,  0.1,    0.5,   1.0};
  struct PerEndpoint {
    std::array<std::atomic<std::uint64_t>, kStatuses.size() + 1> by_status{};  // last: other
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> latency{};     // last: +Inf
    std::atomic<std::uint64_t> latency_sum_us{0};
  };
  std::vector<std::string> endpoints_;
  std::vector<PerEndpoint> per_endpoint_;
  std::atomic<std::uint64_t> catalog_fetches_{0};
  std::atomic<std::uint64_t> index_fetches_{0};
  std::atomic<std::uint64_t> scan_fetches_{0};
  std::array<std::atomic<std::uint64_t>, kJudgmentKinds> judgments_{};
};

}  // namespace truthbyte
