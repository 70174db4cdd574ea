#include "service/answered_questions.h"

#include <algorithm>

namespace truthbyte {

Result<AnsweredQuestions::Seen> AnsweredQuestions::SeenIn(const std::string& user_id,
                                                          const QuestionCatalog::Snapshot& catalog, bool fresh) {
  Shard& shard = ShardOf(user_id);
  const Clock::time_point now = Clock::now();
  {
    std::lock_guard lock(shard.mu);
    auto it = shard.players.find(user_id);
    if (!fresh && it != shard.players.end() && now - it->second.loaded < ttl_) {
      Entry& e = it->second;
      if (e.catalog_version != catalog.version || !e.seen) {
        e.seen = std::make_shared<const std::vector<std::uint32_t>>(catalog.IndexesOf(e.ids));
        e.catalog_version = catalog.version;
      }
      return e.seen;
    }
  }
  auto ids = store_.AnsweredQuestionIds(user_id);
  if (!ids.ok()) return ids.status();
  Seen seen = std::make_shared<const std::vector<std::uint32_t>>(catalog.IndexesOf(*ids));
  std::lock_guard lock(shard.mu);
  if (shard.players.size() >= max_per_shard_) {
    // Full: the expired entries go, and if none had expired, all of them
    // (players come back with one store read each).
    std::erase_if(shard.players, [&](const auto& p) { return now - p.second.loaded >= ttl_; });
    if (shard.players.size() >= max_per_shard_) shard.players.clear();
  }
  Entry& e = shard.players[user_id];
  e.ids = std::move(*ids);
  e.loaded = now;
  e.catalog_version = catalog.version;
  e.seen = seen;
  return seen;
}

void AnsweredQuestions::Add(const std::string& user_id, std::span<const Answer> answers,
                            const QuestionCatalog::Snapshot& catalog) {
  Shard& shard = ShardOf(user_id);
  std::lock_guard lock(shard.mu);
  auto it = shard.players.find(user_id);
  if (it == shard.players.end()) return;  // read at the next fetch
  Entry& e = it->second;
  const bool same_catalog = e.seen && e.catalog_version == catalog.version;
  std::vector<std::uint32_t> seen = same_catalog ? *e.seen : std::vector<std::uint32_t>();
  for (const Answer& a : answers) {
    const std::string& id = a.question_id;
    auto at = std::lower_bound(e.ids.begin(), e.ids.end(), id);
    if (at != e.ids.end() && *at == id) continue;
    e.ids.insert(at, id);
    if (const QuestionCatalog::Entry* entry = same_catalog ? catalog.Find(id) : nullptr) {
      const auto index = static_cast<std::uint32_t>(entry - catalog.entries.data());
      seen.insert(std::lower_bound(seen.begin(), seen.end(), index), index);
    }
  }
  if (same_catalog) e.seen = std::make_shared<const std::vector<std::uint32_t>>(std::move(seen));
  else e.seen.reset();  // recomputed at the next fetch
}

}  // namespace truthbyte
