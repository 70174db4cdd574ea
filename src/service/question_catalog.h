// QuestionCatalog: the in-memory view of all questions that serves the hot
// path (SPEC section 3, "Hot path"). Requests sample ids per (category,
// difficulty) and read pre-serialised question JSON; they never touch the
// store. The catalog is replaced as a whole (copy-on-write snapshot), so
// readers never wait for a refresh.
//
// Thread-safe. A refresh reads every question (and every dispute
// resolution: retired questions stay findable but leave play) from the
// store; it runs after
// this process changes questions (RefreshNow) and when the store's version
// stamp moves (CheckForChanges, called by a background timer).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/daily_challenge.h"
#include "store/store.h"

namespace truthbyte {

// Append-only storage for the catalog's serialised questions: large blocks
// instead of one allocation per question. Blocks are 64 MiB, above glibc's
// largest mmap threshold, so each is its own mapping: untouched pages cost
// nothing, and a dropped snapshot's blocks go back to the system at once.
class TextArena {
 public:
  TextArena() = default;
  TextArena(TextArena&&) = default;
  TextArena& operator=(TextArena&&) = default;
  std::string_view Add(std::string_view text);
  std::size_t bytes() const { return bytes_; }

 private:
  static constexpr std::size_t kBlockSize = std::size_t{64} << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t used_ = 0;      // bytes used in the last block
  std::size_t capacity_ = 0;  // of the last block
  std::size_t bytes_ = 0;
};

class QuestionCatalog {
 public:
  struct Entry {
    std::string id;
    std::string_view json;  // the API's Question object, serialised (in the snapshot's arena)
    bool answer = false;
    int difficulty = 3;
  };

  struct Snapshot {
    std::uint64_t version = 0;
    std::vector<Entry> entries;  // in id byte order (Find is a binary search)
    TextArena json_arena;
    // category -> [all, difficulty 1, ..., difficulty 5] -> entry indexes
    std::unordered_map<std::string, std::array<std::vector<std::uint32_t>, 6>> by_category;
    // Hashes of every question's normalised text, sorted: the duplicate
    // check of proposals (a false match needs a 64-bit collision).
    std::vector<std::uint64_t> normalised_text_hashes;
    std::vector<CategoryCount> categories;  // largest first
    // The body of GET /v1/categories, serialised once per snapshot.
    std::string categories_json = R"({"categories":[],"total_categories":0,"total_questions":0})";
    std::vector<std::uint32_t> daily_pool;  // entries of difficulty 1-4, in id byte order
    // Each question's latest dispute resolution (Store::ScanResolutions).
    std::map<std::string, Resolution, std::less<>> resolutions;

    // Appends `q` to the entries and, unless it is retired from play, to
    // every index. REQUIRES: questions are added in id byte order, each id
    // once (a refresh adds them in the store's scan order), then Seal().
    // The category counts (`categories`) come from the store and are left
    // alone.
    void Add(const Question& q, bool retired = false);
    // Sorts the text hashes and gives back what the indexes over-reserved.
    void Seal();
    const Entry* Find(std::string_view id) const;
    // The latest resolution of the question's dispute; null when none.
    const Resolution* ResolutionOf(std::string_view id) const;
    // Whether a reviewer retired the question from play: it is scored when
    // answered but no longer served (nor in the daily pool or the counts).
    bool IsRetired(std::string_view id) const;
    bool HasNormalisedText(std::string_view normalised) const;
    // The ids of the daily pool, as SelectDailyQuestions takes them.
    std::vector<std::string> DailyPoolIds() const;
    // The entry indexes of `category` at `difficulty` (0 for any), in id
    // order; null when the catalog has none.
    const std::vector<std::uint32_t>* Pool(const std::string& category, int difficulty) const;
    // Up to `n` distinct entries of `category` (and `difficulty`, 0 for any),
    // uniformly at random, those not in `seen` (sorted entry indexes: the
    // player's answered questions) first; the seen ones fill up only what
    // the others cannot. Empty when the category has none.
    std::vector<const Entry*> Sample(const std::string& category, int difficulty, std::size_t n, SplitMix64& rng,
                                     std::span<const std::uint32_t> seen = {}) const;
    // The sorted entry indexes of those of `ids` the catalog has.
    std::vector<std::uint32_t> IndexesOf(std::span<const std::string> ids) const;
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
