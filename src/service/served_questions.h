// Which questions were served to which player, so that an answer to a
// question never served to its player is no judgment (Judgment::kUnserved):
// the deployed client pads a failed fetch with hard-coded offline questions
// whose ids (q001-q010) collide with real ones, and a script can post any
// id. fetch-questions notes what it serves (Note: memory only, on the
// request path); a background flush writes the notes to the store in
// batches (Flush), where every instance finds them. Classify looks in this
// process's recent notes first and asks the store only about the rest,
// after a flush of its own. Thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/records.h"
#include "core/status.h"
#include "store/store.h"

namespace truthbyte {

class ServedQuestions {
 public:
  using Clock = std::chrono::steady_clock;

  // Notes are kept in memory for `ttl`, for at most `max_players` players;
  // at most `max_pending` wait for the store (beyond, the oldest are
  // dropped and counted: an answer to one of them is then unserved unless
  // another note of it reached the store).
  explicit ServedQuestions(Store& store, std::chrono::seconds ttl = std::chrono::hours(1),
                           std::size_t max_players = 200000, std::size_t max_pending = 1000000)
      : store_(store), ttl_(ttl), max_per_shard_(max_players / kShards + 1), max_pending_(max_pending) {}

  // `question_ids` were served to `user_id`.
  void Note(const std::string& user_id, std::span<const std::string> question_ids);
  // Writes the notes waiting for the store; on failure they wait for the
  // next flush.
  Status Flush();
  // Marks the counted answers among `answers` (one player's) to questions
  // never served to `user_id` as kUnserved.
  Status Classify(const std::string& user_id, std::span<Answer> answers);

  // For /metrics.
  std::size_t pending() const;
  std::uint64_t dropped() const;

 private:
  struct Entry {
    std::unordered_set<std::string> ids;
    Clock::time_point noted;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Entry> players;
  };
  static constexpr std::size_t kShards = 16;
  static constexpr std::size_t kMaxIdsPerPlayer = 5000;
  Shard& ShardOf(const std::string& user_id) { return shards_[std::hash<std::string>{}(user_id) % kShards]; }
  // Whether this process noted `id` for `user_id` within the ttl.
  bool NotedHere(const std::string& user_id, const std::string& id);

  Store& store_;
  const std::chrono::seconds ttl_;
  const std::size_t max_per_shard_;
  const std::size_t max_pending_;
  std::array<Shard, kShards> shards_;
  std::mutex flush_mu_;  // one flush at a time
  mutable std::mutex pending_mu_;
  std::vector<ServedQuestion> pending_;  // under pending_mu_
  std::uint64_t dropped_ = 0;            // under pending_mu_
};

}  // namespace truthbyte
