// Fixed-window request limits kept in memory (one process; the DynamoDB
// engine will count in the store so that instances share the limits).
// Thread-safe: keys are spread over shards, each with its own lock.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace truthbyte {

struct RateDecision {
  bool allowed = true;
  std::int64_t limit = 0;
  std::int64_t remaining = 0;
  std::int64_t reset = 0;  // unix seconds when the window ends
};

class RateLimiter {
 public:
  // Counts one request for `key` against `limit` per `window` seconds.
  RateDecision Hit(const std::string& key, std::int64_t limit, std::int64_t window, std::int64_t now);
  // The state of `key` without counting.
  RateDecision Peek(const std::string& key, std::int64_t limit, std::int64_t window, std::int64_t now);

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
