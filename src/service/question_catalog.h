// QuestionCatalog: the in-memory view of all questions that serves the hot
// path (SPEC section 3, "Hot path"). Requests sample ids per (category,
// difficulty) and read pre-serialised question JSON; they never touch the
// store. The catalog is replaced as a whole (copy-on-write snapshot), so
// readers never wait for a refresh.
//
// Thread-safe. A refresh reads every question from the store; it runs after
// this process changes questions (RefreshNow) and when the store's version
// stamp moves (CheckForChanges, called by a background timer).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/daily_challenge.h"
#include "store/store.h"

namespace truthbyte {

class QuestionCatalog {
 public:
  struct Entry {
    std::string id;
    bool answer = false;
    int difficulty = 3;
    std::string json;  // the API's Question object, serialised
  };

  struct Snapshot {
    std::uint64_t version = 0;
    std::vector<Entry> entries;  // in id byte order
    std::unordered_map<std::string, std::uint32_t> by_id;
    // category -> [all, difficulty 1, ..., difficulty 5] -> entry indexes
    std::unordered_map<std::string, std::array<std::vector<std::uint32_t>, 6>> by_category;
    std::unordered_set<std::string> normalised_texts;
    std::vector<CategoryCount> categories;  // largest first
    std::vector<std::string> daily_pool;    // ids of difficulty 1-4, byte order

    // Appends `q` to the entries and to every index. REQUIRES: questions
    // are added in id byte order, each id once (a refresh adds them in the
    // store's scan order). The category counts (`categories`) come from
    // the store and are left alone.
    void Add(const Question& q);
    const Entry* Find(const std::string& id) const;
    // Up to `n` distinct entries of `category` (and `difficulty`, 0 for any),
    // uniformly at random. Empty when the category has none.
    std::vector<const Entry*> Sample(const std::string& category, int difficulty, std::size_t n,
                                     SplitMix64& rng) const;
  };

  explicit QuestionCatalog(Store& store) : store_(store) {}

  // Loads everything now.
  Status RefreshNow();
  // Reloads when the store's version differs from the snapshot's.
  Status CheckForChanges();
  std::shared_ptr<const Snapshot> Current() const { return std::atomic_load(&snapshot_); }
  std::uint64_t refreshes() const { return refreshes_.load(); }

 private:
  Store& store_;
  std::mutex refresh_mu_;  // one refresh at a time
  std::shared_ptr<const Snapshot> snapshot_ = std::make_shared<Snapshot>();
  std::atomic<std::uint64_t> refreshes_{0};
};

}  // namespace truthbyte
