#include "service/crowd_truth.h"

namespace truthbyte {

std::optional<double> CrowdSnapshot::Reliability(const std::string& user_id) const {
  auto it = player_index.find(user_id);
  if (it == player_index.end()) return std::nullopt;
  return analysis.players[it->second].reliability;
}

std::shared_ptr<const CrowdSnapshot> CrowdTruth::Current() const {
  std::lock_guard lock(mu_);
  return current_;
}

Status CrowdTruth::RefitNow() {
  std::lock_guard refit(refit_mu_);
  // Answers noted from here on are not necessarily in this fit: they keep
  // the next one due.
  const std::int64_t seen = pending_.load(std::memory_order_relaxed);
  auto analysis = AnalyzeCrowd(store_, options_);
  if (!analysis.ok()) {
    failed_refits_.fetch_add(1, std::memory_order_relaxed);
    return analysis.status();
  }
  auto snapshot = std::make_shared<CrowdSnapshot>();
  snapshot->analysis = std::move(*analysis);
  for (std::size_t i = 0; i < snapshot->analysis.players.size(); ++i)
    snapshot->player_index.emplace(snapshot->analysis.players[i].user_id, i);
  {
    std::lock_guard lock(mu_);
    current_ = std::move(snapshot);
  }
  pending_.fetch_sub(seen, std::memory_order_relaxed);
  refits_.fetch_add(1, std::memory_order_relaxed);
  return Status::Ok();
}

}  // namespace truthbyte
