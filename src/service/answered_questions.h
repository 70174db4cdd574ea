// Which questions each player has answered, as fetch-questions needs them
// (unanswered ones first): read from the store at a player's first fetch,
// kept for a while and brought up to date by this process's own answers,
// so that a fetch costs no store read. Answers recorded by another process
// (another instance, `import`) show once the entry is older than `ttl`;
// until then such a question may be served again, and answering it again
// is a duplicate, as always. Thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "service/question_catalog.h"
#include "store/store.h"

namespace truthbyte {

class AnsweredQuestions {
 public:
  using Clock = std::chrono::steady_clock;
  using Seen = std::shared_ptr<const std::vector<std::uint32_t>>;

  explicit AnsweredQuestions(Store& store, std::chrono::seconds ttl = std::chrono::seconds(30),
                             std::size_t max_players = 200000)
      : store_(store), ttl_(ttl), max_per_shard_(max_players / kShards + 1) {}

  // The sorted entry indexes in `catalog` of the questions `user_id`
  // answered. `fresh` reads the store whatever is kept (mode label).
  Result<Seen> SeenIn(const std::string& user_id, const QuestionCatalog::Snapshot& catalog, bool fresh = false);
  // This process recorded `answers` of `user_id` (to questions of
  // `catalog`).
  void Add(const std::string& user_id, std::span<const Answer> answers, const QuestionCatalog::Snapshot& catalog);

 private:
  struct Entry {
    std::vector<std::string> ids;  // sorted
    Clock::time_point loaded;
    std::uint64_t catalog_version = 0;
    Seen seen;  // `ids` in that catalog
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Entry> players;
  };
  static constexpr std::size_t kShards = 16;
  Shard& ShardOf(const std::string& user_id) { return shards_[std::hash<std::string>{}(user_id) % kShards]; }

  Store& store_;
  const std::chrono::seconds ttl_;
  const std::size_t max_per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace truthbyte
