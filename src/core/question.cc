#include "core/question.h"

#include <algorithm>

#include "core/sha256.h"
#include "core/text.h"

namespace truthbyte {

bool Question::SameContent(const Question& o) const {
  return id == o.id && static_cast<const QuestionContent&>(*this) == o && tags == o.tags;
}

std::vector<std::string> NormaliseCategories(const std::vector<std::string>& raw) {
  std::vector<std::string> out;
  out.reserve(raw.size() + 1);
  for (const std::string& name : raw) {
    std::string norm = ToLowerAscii(TrimWhitespace(name));
    if (norm.empty() || std::find(out.begin(), out.end(), norm) != out.end()) continue;
    out.push_back(std::move(norm));
  }
  if (std::find(out.begin(), out.end(), kGeneralCategory) == out.end())
    out.emplace_back(kGeneralCategory);
  return out;
}

std::string DeriveQuestionId(std::string_view question, std::string_view title) {
  std::string material;
  material.reserve(question.size() + title.size() + 1);
  material.append(question).append("\n").append(title);
  return "q_" + Sha256Hex(material).substr(0, 12);
}

std::string CategoryDisplayName(std::string_view name) {
  std::string out(name);
  bool word_start = true;
  for (char& c : out) {
    if (word_start && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    word_start = (c == ' ' || c == '-' || c == '_');
  }
  return out;
}

bool IsValidDifficulty(long long d) { return d >= kMinDifficulty && d <= kMaxDifficulty; }

}  // namespace truthbyte
