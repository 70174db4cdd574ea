#include "core/question_generator.h"

#include <array>
#include <cstdio>
#include <string_view>
#include <vector>

namespace truthbyte {
namespace {

// Category weights follow the real curated set: a few big categories and a
// long tail.
struct CategoryWeight {
  std::string_view name;
  int weight;
};
constexpr std::array<CategoryWeight, 14> kCategories = {{
    {"entertainment", 30}, {"geography", 26}, {"sports", 13}, {"science", 10}, {"history", 6},
    {"food", 4},           {"business", 3},   {"literature", 3}, {"politics", 2}, {"health", 2},
    {"technology", 2},     {"nature", 2},     {"music", 2},      {"space", 1},
}};

constexpr std::array<std::string_view, 6> kOpeners = {"is", "does", "was", "can", "are", "did"};
constexpr std::array<std::string_view, 24> kSubjects = {
    "the northern river", "the old lighthouse", "the national museum", "the first expedition",
    "the golden comet", "the silver league", "the coastal railway", "the royal theatre",
    "the ancient library", "the mountain observatory", "the city orchestra", "the harbour bridge",
    "the desert festival", "the island parliament", "the winter olympics", "the copper mine",
    "the botanical garden", "the pioneer satellite", "the famous novel", "the village bakery",
    "the western province", "the university choir", "the deep sea trench", "the stone cathedral"};
constexpr std::array<std::string_view, 16> kPredicates = {
    "have more than one official name", "appear in the original film", "lie south of the capital",
    "predate the industrial era", "hold the regional record", "share a border with the lake",
    "use the same design as its twin", "count as a protected site", "win the final twice",
    "run through three countries", "open to the public every year", "belong to the same family",
    "take place in the spring", "carry the name of its founder", "remain in use today",
    "depend on imported materials"};
constexpr std::array<std::string_view, 40> kWords = {
    "the", "region", "was", "first", "described", "in", "records", "from", "an", "early", "period",
    "and", "later", "became", "known", "for", "its", "distinctive", "features", "which", "visitors",
    "still", "notice", "today", "several", "historians", "argue", "that", "local", "traditions",
    "shaped", "development", "while", "others", "point", "to", "trade", "across", "wide", "networks"};

template <std::size_t N>
std::string_view Pick(SplitMix64& rng, const std::array<std::string_view, N>& items) {
  return items[rng.Below(N)];
}

std::string_view PickCategory(SplitMix64& rng) {
  static const int total = [] {
    int t = 0;
    for (const auto& c : kCategories) t += c.weight;
    return t;
  }();
  int r = static_cast<int>(rng.Below(static_cast<std::uint64_t>(total)));
  for (const auto& c : kCategories) {
    if (r < c.weight) return c.name;
    r -= c.weight;
  }
  return kCategories[0].name;
}

void AppendSentence(SplitMix64& rng, std::string* out) {
  const std::size_t words = 8 + rng.Below(18);
  for (std::size_t w = 0; w < words; ++w) {
    std::string_view word = Pick(rng, kWords);
    if (w == 0) {
      out->push_back(static_cast<char>(word[0] - 'a' + 'A'));
      out->append(word.substr(1));
    } else {
      out->push_back(' ');
      out->append(word);
    }
  }
  out->append(". ");
}

}  // namespace

QuestionGenerator::QuestionGenerator(std::uint64_t seed, std::string id_prefix)
    : seed_(seed), id_prefix_(std::move(id_prefix)) {}

Question QuestionGenerator::Generate(std::uint64_t index) {
  SplitMix64 rng(seed_ ^ (index * 0xD1B54A32D192ED03ULL));
  Question q;
  char id[32];
  std::snprintf(id, sizeof id, "%07llu", static_cast<unsigned long long>(index));
  q.id = id_prefix_ + id;

  std::string_view opener = Pick(rng, kOpeners);
  std::string_view subject = Pick(rng, kSubjects);
  q.question.reserve(96);
  q.question.push_back(static_cast<char>(opener[0] - 'a' + 'A'));
  q.question.append(opener.substr(1)).append(" ").append(subject).append(" ").append(Pick(rng, kPredicates));
  if (rng.Below(3) == 0) q.question.append(" ").append(Pick(rng, kSubjects).substr(4));
  q.question.push_back('?');

  q.title = std::string(subject.substr(4));
  q.title[0] = static_cast<char>(q.title[0] - 'a' + 'A');

  // Passages from one sentence to about 1,500 characters, most near 600.
  const std::size_t sentences = 1 + rng.Below(4) + rng.Below(4) + rng.Below(4);
  q.passage.reserve(sentences * 140);
  for (std::size_t s = 0; s < sentences; ++s) AppendSentence(rng, &q.passage);
  q.passage.pop_back();

  q.answer = rng.Below(2) == 1;
  static constexpr std::array<int, 5> kDifficultyWeights = {20, 30, 25, 15, 10};
  int r = static_cast<int>(rng.Below(100));
  q.difficulty = 1;
  for (int w : kDifficultyWeights) {
    if (r < w) break;
    r -= w;
    ++q.difficulty;
  }

  std::vector<std::string> names{std::string(PickCategory(rng))};
  if (rng.Below(4) == 0) names.emplace_back(PickCategory(rng));
  q.categories = NormaliseCategories(names);
  q.tags = q.categories;
  q.source = "generated";
  return q;
}

}  // namespace truthbyte
