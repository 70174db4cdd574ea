#include "http/metrics.h"

#include <fmt/core.h>

namespace truthbyte {

Metrics::Metrics(std::vector<std::string> endpoints)
    : endpoints_(std::move(endpoints)), per_endpoint_(endpoints_.size()) {}

void Metrics::Record(std::size_t endpoint, int http_status, double seconds) {
  if (endpoint >= per_endpoint_.size()) return;
  PerEndpoint& e = per_endpoint_[endpoint];
  std::size_t s = 0;
  while (s < kStatuses.size() && kStatuses[s] != http_status) ++s;
  e.by_status[s].fetch_add(1, std::memory_order_relaxed);
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  e.latency[b].fetch_add(1, std::memory_order_relaxed);
  e.latency_sum_us.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Metrics::CountJudgments(const std::array<int, kJudgmentKinds>& by_kind) {
  for (std::size_t i = 0; i < by_kind.size(); ++i)
    if (by_kind[i]) judgments_[i].fetch_add(static_cast<std::uint64_t>(by_kind[i]), std::memory_order_relaxed);
}

void Metrics::CountFetch(const std::string& strategy) {
  auto& counter = strategy == "catalog" ? catalog_fetches_ : strategy == "scan" ? scan_fetches_ : index_fetches_;
  counter.fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::Render(const std::vector<std::pair<std::string, double>>& gauges) const {
  std::string out;
  out += "# HELP truthbyte_requests_total HTTP requests by endpoint and status code.\n";
  out += "# TYPE truthbyte_requests_total counter\n";
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    for (std::size_t s = 0; s <= kStatuses.size(); ++s) {
      const std::uint64_t n = per_endpoint_[i].by_status[s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      const std::string code = s < kStatuses.size() ? std::to_string(kStatuses[s]) : "other";
      out += fmt::format("truthbyte_requests_total{{endpoint=\"{}\",code=\"{}\"}} {}\n", endpoints_[i], code, n);
    }
  }
  out += "# HELP truthbyte_request_duration_seconds Time to handle a request, by endpoint.\n";
  out += "# TYPE truthbyte_request_duration_seconds histogram\n";
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    const PerEndpoint& e = per_endpoint_[i];
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += e.latency[b].load(std::memory_order_relaxed);
      const std::string le = b < kBuckets.size() ? fmt::format("{}", kBuckets[b]) : "+Inf";
      out += fmt::format("truthbyte_request_duration_seconds_bucket{{endpoint=\"{}\",le=\"{}\"}} {}\n",
                         endpoints_[i], le, cumulative);
    }
    out += fmt::format("truthbyte_request_duration_seconds_sum{{endpoint=\"{}\"}} {}\n", endpoints_[i],
                       static_cast<double>(e.latency_sum_us.load(std::memory_order_relaxed)) / 1e6);
    out += fmt::format("truthbyte_request_duration_seconds_count{{endpoint=\"{}\"}} {}\n", endpoints_[i],
                       cumulative);
  }
  out += "# HELP truthbyte_question_fetches_total Question fetches by the strategy that served them.\n";
  out += "# TYPE truthbyte_question_fetches_total counter\n";
  out += fmt::format("truthbyte_question_fetches_total{{strategy=\"catalog\"}} {}\n",
                     catalog_fetches_.load(std::memory_order_relaxed));
  out += fmt::format("truthbyte_question_fetches_total{{strategy=\"category_index\"}} {}\n",
                     index_fetches_.load(std::memory_order_relaxed));
  out += fmt::format("truthbyte_question_fetches_total{{strategy=\"scan\"}} {}\n",
                     scan_fetches_.load(std::memory_order_relaxed));
  out += "# HELP truthbyte_answers_submitted_total Answers to known questions by their judgment kind (docs/CROWD.md).\n";
  out += "# TYPE truthbyte_answers_submitted_total counter\n";
  for (int i = 0; i < kJudgmentKinds; ++i)
    out += fmt::format("truthbyte_answers_submitted_total{{judgment=\"{}\"}} {}\n", JudgmentName(static_cast<Judgment>(i)),
                       judgments_[static_cast<std::size_t>(i)].load(std::memory_order_relaxed));
  for (const auto& [name, value] : gauges) {
    out += fmt::format("# TYPE {} gauge\n{} {}\n", name, name, value);
  }
  return out;
}

}  // namespace truthbyte
