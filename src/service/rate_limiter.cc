#include "service/rate_limiter.h"

#include <algorithm>
#include <functional>
#include <limits>

namespace truthbyte {

RateDecision MemoryRateLimiter::Hit(const std::string& key, std::int64_t limit, std::int64_t window, std::int64_t now) {
  return Apply(key, limit, window, now, 1);
}

RateDecision MemoryRateLimiter::Peek(const std::string& key, std::int64_t limit, std::int64_t window, std::int64_t now) {
  return Apply(key, limit, window, now, 0);
}

RateDecision MemoryRateLimiter::Apply(const std::string& key, std::int64_t limit, std::int64_t window, std::int64_t now,
                                std::int64_t amount) {
  Shard& shard = shards_[std::hash<std::string>{}(key) % shards_.size()];
  std::lock_guard lock(shard.mu);
  if (now >= shard.next_sweep) {
    // Forget windows that have ended, at most once a minute per shard.
    std::erase_if(shard.windows, [&](const auto& kv) { return kv.second.reset <= now; });
    shard.next_sweep = now + 60;
  }
  Window& w = shard.windows[key];
  if (w.reset <= now) w = Window{0, now + window};
  RateDecision d;
  d.limit = limit;
  d.reset = w.reset;
  d.allowed = w.count + amount <= limit;
  if (d.allowed) w.count += amount;
  d.remaining = std::max<std::int64_t>(0, limit - w.count);
  return d;
}

std::int64_t MemoryRateLimiter::Count(const std::string& key, std::int64_t amount, std::int64_t window,
                                     std::int64_t now) {
  // A limit nothing reaches: Apply always adds, and what remains of it
  // gives the count.
  constexpr std::int64_t kNoLimit = std::numeric_limits<std::int64_t>::max();
  return kNoLimit - Apply(key, kNoLimit, window, now, amount).remaining;
}

void MemoryRateLimiter::Remember(const std::string& key, std::int64_t count, std::int64_t reset) {
  Shard& shard = shards_[std::hash<std::string>{}(key) % shards_.size()];
  std::lock_guard lock(shard.mu);
  shard.windows[key] = Window{count, reset};
}

RateDecision StoreRateLimiter::Hit(const std::string& key, std::int64_t limit, std::int64_t window, std::int64_t now) {
  auto counter = store_.AddToCounter("limit:" + key, 1, window, now);
  if (!counter.ok()) return RateDecision{true, limit, limit, now + window};
  last_seen_.Remember(key, counter->count, counter->resets_at);
  RateDecision d;
  d.limit = limit;
  d.reset = counter->resets_at;
  d.allowed = counter->count <= limit;
  d.remaining = std::max<std::int64_t>(0, limit - counter->count);
  return d;
}

std::int64_t StoreRateLimiter::Count(const std::string& key, std::int64_t amount, std::int64_t window,
                                    std::int64_t now) {
  auto counter = store_.AddToCounter("count:" + key, amount, window, now);
  return counter.ok() ? counter->count : amount;
}

RateDecision StoreRateLimiter::Peek(const std::string& key, std::int64_t limit, std::int64_t window,
                                    std::int64_t now) {
  return last_seen_.Peek(key, limit, window, now);
}

}  // namespace truthbyte
