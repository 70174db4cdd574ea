#include "service/served_questions.h"

#include <algorithm>

namespace truthbyte {

void ServedQuestions::Note(const std::string& user_id, std::span<const std::string> question_ids) {
  if (question_ids.empty()) return;
  const Clock::time_point now = Clock::now();
  // Only what this process has not noted for the player already goes to
  // the store: a question served again (mode random fills up with answered
  // ones) costs no write.
  std::vector<std::string_view> fresh;
  {
    Shard& shard = ShardOf(user_id);
    std::lock_guard lock(shard.mu);
    if (shard.players.size() >= max_per_shard_ && !shard.players.count(user_id)) {
      // Full: the expired entries go, and if none had expired, all of them
      // (their notes are in the store, or on their way).
      std::erase_if(shard.players, [&](const auto& p) { return now - p.second.noted >= ttl_; });
      if (shard.players.size() >= max_per_shard_) shard.players.clear();
    }
    Entry& e = shard.players[user_id];
    if (now - e.noted >= ttl_ || e.ids.size() >= kMaxIdsPerPlayer) e.ids.clear();
    e.noted = now;
    for (const std::string& id : question_ids)
      if (e.ids.insert(id).second) fresh.push_back(id);
  }
  if (fresh.empty()) return;
  std::lock_guard lock(pending_mu_);
  for (std::string_view id : fresh) pending_.push_back({user_id, std::string(id)});
  if (pending_.size() > max_pending_) {
    const std::size_t excess = pending_.size() - max_pending_;
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(excess));
    dropped_ += excess;
  }
}

Status ServedQuestions::Flush() {
  std::lock_guard flushing(flush_mu_);
  std::vector<ServedQuestion> batch;
  {
    std::lock_guard lock(pending_mu_);
    batch.swap(pending_);
  }
  if (batch.empty()) return Status::Ok();
  Status s = store_.RecordServed(batch);
  if (!s.ok()) {
    // Back in front of what arrived meanwhile, within the bound.
    std::lock_guard lock(pending_mu_);
    batch.insert(batch.end(), pending_.begin(), pending_.end());
    pending_.swap(batch);
    if (pending_.size() > max_pending_) {
      const std::size_t excess = pending_.size() - max_pending_;
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(excess));
      dropped_ += excess;
    }
  }
  return s;
}

bool ServedQuestions::NotedHere(const std::string& user_id, const std::string& id) {
  Shard& shard = ShardOf(user_id);
  std::lock_guard lock(shard.mu);
  auto it = shard.players.find(user_id);
  if (it == shard.players.end() || Clock::now() - it->second.noted >= ttl_) return false;
  return it->second.ids.count(id) > 0;
}

Status ServedQuestions::Classify(const std::string& user_id, std::span<Answer> answers) {
  std::vector<std::string> ask;
  for (const Answer& a : answers)
    if (a.judgment == Judgment::kCounted && !NotedHere(user_id, a.question_id)) ask.push_back(a.question_id);
  if (ask.empty()) return Status::Ok();
  // Served by another instance, or noted here longer ago: the store knows,
  // once this process's own notes are in it. A failed flush misses only
  // notes this process no longer keeps in memory; the store read decides.
  (void)Flush();
  auto served = store_.ServedAmong(user_id, ask);
  if (!served.ok()) return served.status();
  for (Answer& a : answers)
    if (a.judgment == Judgment::kCounted && !NotedHere(user_id, a.question_id) &&
        !std::binary_search(served->begin(), served->end(), a.question_id))
      a.judgment = Judgment::kUnserved;
  return Status::Ok();
}

std::size_t ServedQuestions::pending() const {
  std::lock_guard lock(pending_mu_);
  return pending_.size();
}

std::uint64_t ServedQuestions::dropped() const {
  std::lock_guard lock(pending_mu_);
  return dropped_;
}

}  // namespace truthbyte
