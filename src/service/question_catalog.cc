#include "service/question_catalog.h"

#include <algorithm>
#include <cstring>
#include <functional>

#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/question_format.h"
#include "core/text.h"

namespace truthbyte {

std::string_view TextArena::Add(std::string_view text) {
  if (capacity_ - used_ < text.size()) {
    capacity_ = std::max(kBlockSize, text.size());
    // Not value-initialised: pages are touched only as they are written.
    blocks_.emplace_back(new char[capacity_]);
    used_ = 0;
  }
  char* at = blocks_.back().get() + used_;
  std::memcpy(at, text.data(), text.size());
  used_ += text.size();
  bytes_ += text.size();
  return {at, text.size()};
}

const QuestionCatalog::Entry* QuestionCatalog::Snapshot::Find(std::string_view id) const {
  auto it = std::lower_bound(entries.begin(), entries.end(), id,
                             [](const Entry& e, std::string_view key) { return e.id < key; });
  return it != entries.end() && it->id == id ? &*it : nullptr;
}

namespace {

std::uint64_t TextHash(std::string_view text) { return std::hash<std::string_view>{}(text); }

}  // namespace

bool QuestionCatalog::Snapshot::HasNormalisedText(std::string_view normalised) const {
  return std::binary_search(normalised_text_hashes.begin(), normalised_text_hashes.end(), TextHash(normalised));
}

const Resolution* QuestionCatalog::Snapshot::ResolutionOf(std::string_view id) const {
  auto it = resolutions.find(id);
  return it == resolutions.end() ? nullptr : &it->second;
}

bool QuestionCatalog::Snapshot::IsRetired(std::string_view id) const {
  const Resolution* r = ResolutionOf(id);
  return r && r->action == ResolutionAction::kRetire;
}

void QuestionCatalog::Snapshot::Add(const Question& q, bool retired) {
  const auto index = static_cast<std::uint32_t>(entries.size());
  entries.push_back({q.id, json_arena.Add(QuestionToJsonText(q)), q.answer, q.difficulty});
  normalised_text_hashes.push_back(TextHash(NormaliseQuestionText(q.question)));
  if (retired) return;
  // "general" means every question, whatever the row's categories say.
  auto& general = by_category[std::string(kGeneralCategory)];
  general[0].push_back(index);
  if (q.difficulty >= 1 && q.difficulty <= 5) general[static_cast<std::size_t>(q.difficulty)].push_back(index);
  for (const std::string& category : q.categories) {
    if (category == kGeneralCategory) continue;
    auto& lists = by_category[category];
    lists[0].push_back(index);
    if (q.difficulty >= 1 && q.difficulty <= 5) lists[static_cast<std::size_t>(q.difficulty)].push_back(index);
  }
  if (IsDailyEligible(q.difficulty)) daily_pool.push_back(index);
}

void QuestionCatalog::Snapshot::Seal() {
  std::sort(normalised_text_hashes.begin(), normalised_text_hashes.end());
  entries.shrink_to_fit();
  daily_pool.shrink_to_fit();
  for (auto& [category, lists] : by_category)
    for (auto& list : lists) list.shrink_to_fit();
}

std::vector<std::string> QuestionCatalog::Snapshot::DailyPoolIds() const {
  std::vector<std::string> ids;
  ids.reserve(daily_pool.size());
  for (std::uint32_t i : daily_pool) ids.push_back(entries[i].id);
  return ids;
}

const std::vector<std::uint32_t>* QuestionCatalog::Snapshot::Pool(const std::string& category, int difficulty) const {
  auto it = by_category.find(category);
  if (it == by_category.end() || difficulty < 0 || difficulty > 5) return nullptr;
  return &it->second[static_cast<std::size_t>(difficulty)];
}

std::vector<std::uint32_t> QuestionCatalog::Snapshot::IndexesOf(std::span<const std::string> ids) const {
  std::vector<std::uint32_t> out;
  out.reserve(ids.size());
  for (const std::string& id : ids)
    if (const Entry* e = Find(id)) out.push_back(static_cast<std::uint32_t>(e - entries.data()));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<const QuestionCatalog::Entry*> QuestionCatalog::Snapshot::Sample(const std::string& category,
                                                                             int difficulty, std::size_t n,
                                                                             SplitMix64& rng,
                                                                             std::span<const std::uint32_t> seen) const {
  std::vector<const Entry*> out;
  const std::vector<std::uint32_t>* pool_ptr = Pool(category, difficulty);
  if (!pool_ptr) return out;
  const std::vector<std::uint32_t>& pool = *pool_ptr;
  const std::size_t m = pool.size();
  n = std::min(n, m);
  out.reserve(n);
  auto is_seen = [&](std::uint32_t index) { return std::binary_search(seen.begin(), seen.end(), index); };
  if (n * 4 < m && seen.size() * 2 < m) {
    // Few from many: draw and reject repeats and seen ones (n is at most
    // 20; at most half the pool is seen, so a draw is new at least half
    // the time).
    std::vector<std::uint32_t> picked;
    picked.reserve(n);
    // A pool of every entry (in order, as "general" at any difficulty when
    // nothing is retired): draw the index itself and spare a cache miss on
    // a list of m entries.
    const bool every_entry = m == entries.size();
    while (picked.size() < n) {
      const std::uint64_t draw = rng.Below(m);
      const std::uint32_t index = every_entry ? static_cast<std::uint32_t>(draw) : pool[draw];
      if (std::find(picked.begin(), picked.end(), index) != picked.end() || is_seen(index)) continue;
      picked.push_back(index);
      out.push_back(&entries[index]);
    }
    return out;
  }
  // Many of few, or mostly seen: the unseen ones, then the seen ones, each
  // part shuffled (partial Fisher-Yates) as far as it is needed.
  std::vector<std::uint32_t> order;
  order.reserve(m);
  for (std::uint32_t index : pool)
    if (!is_seen(index)) order.push_back(index);
  const std::size_t unseen = order.size();
  if (unseen < n)
    for (std::uint32_t index : pool)
      if (is_seen(index)) order.push_back(index);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t part_end = i < unseen ? unseen : m;
    std::swap(order[i], order[i + rng.Below(part_end - i)]);
    out.push_back(&entries[order[i]]);
  }
  return out;
}

namespace {

std::string CategoriesJson(const std::vector<CategoryCount>& categories, std::size_t total_questions) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const CategoryCount& c : categories) {
    nlohmann::ordered_json e;
    e["name"] = c.name;
    e["display_name"] = c.display_name;
    e["count"] = c.count;
    list.push_back(std::move(e));
  }
  nlohmann::ordered_json j;
  j["categories"] = std::move(list);
  j["total_categories"] = categories.size();
  j["total_questions"] = total_questions;
  return JsonText(j);
}

}  // namespace

Status QuestionCatalog::RefreshNow() {
  std::lock_guard lock(refresh_mu_);
  auto version = store_.QuestionsVersion();
  if (!version.ok()) return version.status();
  auto categories = store_.ListCategories();
  if (!categories.ok()) return categories.status();

  auto next = std::make_shared<Snapshot>();
  next->version = *version;
  next->categories = std::move(*categories);
  // By question then time: the last one of each question is in force.
  TB_RETURN_IF_ERROR(store_.ScanResolutions([&](const Resolution& r) {
    next->resolutions.insert_or_assign(r.question_id, r);
    return Status::Ok();
  }));
  std::map<std::string, std::int64_t> retired_by_category;
  std::size_t in_play = 0;
  TB_RETURN_IF_ERROR(store_.ScanQuestions([&](const Question& q) -> Status {
    if (!next->entries.empty() && !(next->entries.back().id < q.id))
      return Status::Internal("the store listed questions out of id order (" + q.id + ")");
    const bool retired = next->IsRetired(q.id);
    next->Add(q, retired);
    if (!retired) {
      ++in_play;
    } else {
      for (const std::string& category : q.categories) ++retired_by_category[category];
    }
    return Status::Ok();
  }));
  next->Seal();
  if (!retired_by_category.empty()) {
    for (CategoryCount& c : next->categories)
      if (auto it = retired_by_category.find(c.name); it != retired_by_category.end()) c.count -= it->second;
    std::erase_if(next->categories, [](const CategoryCount& c) { return c.count <= 0; });
    std::stable_sort(next->categories.begin(), next->categories.end(),
                     [](const CategoryCount& a, const CategoryCount& b) { return a.count > b.count; });
  }
  next->categories_json = CategoriesJson(next->categories, in_play);
  std::atomic_store(&snapshot_, std::shared_ptr<const Snapshot>(std::move(next)));
  refreshes_.fetch_add(1);
  return Status::Ok();
}

Status QuestionCatalog::CheckForChanges() {
  auto version = store_.QuestionsVersion();
  if (!version.ok()) return version.status();
  if (*version == Current()->version) return Status::Ok();
  return RefreshNow();
}

}  // namespace truthbyte
