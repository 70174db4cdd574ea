#include "service/question_catalog.h"

#include <algorithm>

#include "core/question_format.h"
#include "core/text.h"

namespace truthbyte {

void QuestionCatalog::Snapshot::Add(const Question& q) {
  const auto index = static_cast<std::uint32_t>(entries.size());
  entries.push_back({q.id, q.answer, q.difficulty, QuestionToJson(q).dump()});
  by_id.emplace(q.id, index);
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
  normalised_texts.insert(NormaliseQuestionText(q.question));
  if (IsDailyEligible(q.difficulty)) daily_pool.push_back(q.id);
}

const QuestionCatalog::Entry* QuestionCatalog::Snapshot::Find(const std::string& id) const {
  auto it = by_id.find(id);
  return it == by_id.end() ? nullptr : &entries[it->second];
}

std::vector<const QuestionCatalog::Entry*> QuestionCatalog::Snapshot::Sample(const std::string& category,
                                                                             int difficulty, std::size_t n,
                                                                             SplitMix64& rng) const {
  std::vector<const Entry*> out;
  auto it = by_category.find(category);
  if (it == by_category.end() || difficulty < 0 || difficulty > 5) return out;
  const std::vector<std::uint32_t>& pool = it->second[static_cast<std::size_t>(difficulty)];
  const std::size_t m = pool.size();
  n = std::min(n, m);
  out.reserve(n);
  if (n * 4 < m) {
    // Few from many: draw and reject repeats (n is at most 20).
    std::vector<std::uint32_t> picked;
    picked.reserve(n);
    while (picked.size() < n) {
      const std::uint32_t index = pool[rng.Below(m)];
      if (std::find(picked.begin(), picked.end(), index) != picked.end()) continue;
      picked.push_back(index);
      out.push_back(&entries[index]);
    }
    return out;
  }
  // Many of few: partial Fisher-Yates over a copy.
  std::vector<std::uint32_t> copy = pool;
  for (std::size_t i = 0; i < n; ++i) {
    std::swap(copy[i], copy[i + rng.Below(m - i)]);
    out.push_back(&entries[copy[i]]);
  }
  return out;
}

Status QuestionCatalog::RefreshNow() {
  std::lock_guard lock(refresh_mu_);
  auto version = store_.QuestionsVersion();
  if (!version.ok()) return version.status();
  auto categories = store_.ListCategories();
  if (!categories.ok()) return categories.status();

  auto next = std::make_shared<Snapshot>();
  next->version = *version;
  next->categories = std::move(*categories);
  TB_RETURN_IF_ERROR(store_.ScanQuestions([&](const Question& q) -> Status {
    next->Add(q);
    return Status::Ok();
  }));
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
