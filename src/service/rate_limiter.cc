#include "service/rate_limiter.h"

#include <algorithm>
#include <functional>

namespace truthbyte {

RateDecision RateLimiter::Hit(const std::string& key, std::int64_t limit, std::int64_t window, std::int64_t now) {
  return Apply(key, limit, window, now, 1);
}

RateDecision RateLimiter::Peek(const std::string& key, std::int64_t limit, std::int64_t window, std::int64_t now) {
  return Apply(key, limit, window, now, 0);
}

RateDecision RateLimiter::Apply(const std::string& key, std::int64_t limit, std::int64_t window, std::int64_t now,
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

}  // namespace truthbyte
