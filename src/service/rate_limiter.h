// Fixed-window request limits. Two implementations: in memory (one process,
// the SQLite engine) and in the store (shared by every instance on one
// DynamoDB). Both are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "store/store.h"

namespace truthbyte {

struct RateDecision {
  bool allowed = true;
  std::int64_t limit = 0;
  std::int64_t remaining = 0;
  std::int64_t reset = 0;  // unix seconds when the window ends
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Counts one request for `key` against `limit` per `window` seconds.
  virtual RateDecision Hit(const std::string& key, std::int64_t limit, std::int64_t window, std::int64_t now) = 0;
  // The state of `key` without counting (may be approximate).
  virtual RateDecision Peek(const std::string& key, std::int64_t limit, std::int64_t window, std::int64_t now) = 0;
  // Adds `amount` to `key`'s count of this `window` and returns the count
  // after, whatever it is (a tally, not a limit). When the store cannot be
  // reached: `amount`.
  virtual std::int64_t Count(const std::string& key, std::int64_t amount, std::int64_t window, std::int64_t now) = 0;
  // Whether Hit may wait (on the store), as Store::MayBlock; Peek never does.
  virtual bool MayBlock() const = 0;
};

// Counters in this process's memory; keys are spread over locked shards.
class MemoryRateLimiter final : public RateLimiter {
 public:
  RateDecision Hit(const std::string& key, std::int64_t limit, std::int64_t window, std::int64_t now) override;
  RateDecision Peek(const std::string& key, std::int64_t limit, std::int64_t window, std::int64_t now) override;
  std::int64_t Count(const std::string& key, std::int64_t amount, std::int64_t window, std::int64_t now) override;
  bool MayBlock() const override { return false; }
  // Records a count learned elsewhere (the store) so Peek can report it.
  void Remember(const std::string& key, std::int64_t count, std::int64_t reset);

 private:
  struct Window {
    std::int64_t count = 0;
    std::int64_t reset = 0;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Window> windows;
    std::int64_t next_sweep = 0;
  };
  RateDecision Apply(const std::string& key, std::int64_t limit, std::int64_t window, std::int64_t now,
                     std::int64_t amount);
  std::array<Shard, 16> shards_;
};

}  // namespace truthbyte

namespace truthbyte {

// Counters in the store's rate-limits table, so every instance sharing the
// store shares the limits. Peek answers from the last count this process
// saw (no store call). When the store cannot be reached the request is
// allowed: the handler's own store call then reports the outage.
class StoreRateLimiter final : public RateLimiter {
 public:
  explicit StoreRateLimiter(Store& store) : store_(store) {}
  RateDecision Hit(const std::string& key, std::int64_t limit, std::int64_t window, std::int64_t now) override;
  RateDecision Peek(const std::string& key, std::int64_t limit, std::int64_t window, std::int64_t now) override;
  std::int64_t Count(const std::string& key, std::int64_t amount, std::int64_t window, std::int64_t now) override;
  bool MayBlock() const override { return store_.MayBlock(Store::Call::kWrite); }

 private:
  Store& store_;
  MemoryRateLimiter last_seen_;
};

}  // namespace truthbyte
