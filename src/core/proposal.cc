#include "core/proposal.h"

#include <regex>
#include <utility>

#include "core/question.h"
#include "core/question_format.h"
#include "core/text.h"

namespace truthbyte {
namespace {

// Control characters (Cc), format characters (Cf: bidirectional overrides
// such as U+202E, zero-width characters, U+FEFF) and the line and paragraph
// separators (Zl, Zp): invisible, or able to reorder what a reader sees.
bool IsControl(char32_t c) {
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;  // Cc
  static constexpr std::pair<char32_t, char32_t> kFormatAndSeparators[] = {
      {0x00AD, 0x00AD},   {0x0600, 0x0605},   {0x061C, 0x061C},   {0x06DD, 0x06DD},   {0x070F, 0x070F},
      {0x0890, 0x0891},   {0x08E2, 0x08E2},   {0x180E, 0x180E},   {0x200B, 0x200F},   {0x2028, 0x202E},
      {0x2060, 0x2064},   {0x2066, 0x206F},   {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD},
      {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001},
      {0xE0020, 0xE007F}};
  for (const auto& [first, last] : kFormatAndSeparators)
    if (c >= first && c <= last) return true;
  return false;
}

bool HasControl(const std::string& s, bool allow_newlines) {
  for (char32_t c : DecodeUtf8(s)) {
    if (allow_newlines && (c == '\n' || c == '\t')) continue;
    if (IsControl(c)) return true;
  }
  return false;
}

// Finds `key`, else `legacy_key`; nullptr when neither is present and not null.
const nlohmann::json* Field(const nlohmann::json& body, const char* key, const char* legacy_key = nullptr) {
  auto it = body.find(key);
  if (it != body.end() && !it->is_null()) return &*it;
  if (legacy_key) {
    it = body.find(legacy_key);
    if (it != body.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}

class ProblemList {
 public:
  explicit ProblemList(std::vector<ProposalProblem>* out) : out_(out) {}
  void Add(std::string field, std::string message) { out_->push_back({std::move(field), std::move(message)}); }

 private:
  std::vector<ProposalProblem>* out_;
};

// Checks the rules every free-text field shares; returns the trimmed text.
std::string CheckText(const nlohmann::json* value, const std::string& field, std::size_t max_chars,
                      bool allow_newlines, ProblemList& problems) {
  if (!value) return {};
  if (!value->is_string()) {
    problems.Add(field, "must be a string");
    return {};
  }
  const std::string& raw = value->get_ref<const std::string&>();
  if (!IsValidUtf8(raw)) {
    problems.Add(field, "must be valid UTF-8");
    return {};
  }
  std::string text(TrimWhitespace(raw));
  if (CountCodePoints(text) > max_chars)
    problems.Add(field, "must be at most " + std::to_string(max_chars) + " characters");
  if (HasControl(text, allow_newlines)) problems.Add(field, "must not contain control characters");
  if (std::string pattern = FindUnsafePattern(text); !pattern.empty())
    problems.Add(field, "must not contain \"" + pattern + "\"");
  return text;
}

// `lower` without white space, control and format characters, which a
// browser skips inside a URL scheme ("java\tscript:") or a script ignores
// ("eval (").
std::string Squeezed(const std::string& lower) {
  std::string out;
  out.reserve(lower.size());
  for (char32_t c : DecodeUtf8(lower)) {
    if (!IsUnicodeSpace(c) && !IsControl(c)) AppendUtf8(c, &out);
  }
  return out;
}

// The deny list over one reading of the text (already lower-cased).
std::string FindPatternIn(const std::string& lower) {
  static const char* const kPatterns[] = {"<script", "javascript:", "data:", "vbscript:", "eval(",
                                          "document.", "window.", "\\x", "\\u", "%3c", "%3e", "&#"};
  for (const char* p : kPatterns)
    if (lower.find(p) != std::string::npos) return p;
  // Markup: '<' opens a tag, a comment or a processing instruction in HTML
  // only before a letter, '/', '!' or '?' ("<iframe", "<meta", "<base",
  // "<style"; "2 < 3" and "x<5" stay plain text).
  static const std::regex kTag(R"(<[a-z/!?][a-z0-9-]*)");
  // Character references, named or numeric: "&colon;", "&Tab;", "&lt;".
  static const std::regex kReference(R"(&(#|[a-z][a-z0-9]*;))");
  // Inline event handlers: "on" + letters + optional spaces + "=".
  static const std::regex kHandler(R"(\bon[a-z]+\s*=)");
  std::smatch m;
  for (const std::regex* re : {&kTag, &kReference, &kHandler})
    if (std::regex_search(lower, m, *re)) return m.str();
  // Schemes and calls with spaces, tabs or invisible characters inside.
  static const char* const kSqueezed[] = {"javascript:", "vbscript:", "livescript:", "eval(",
                                          "document[",   "window[",   "settimeout(", "setinterval(",
                                          "function(",   "expression("};
  const std::string squeezed = Squeezed(lower);
  for (const char* p : kSqueezed)
    if (squeezed.find(p) != std::string::npos) return p;
  return {};
}

}  // namespace

std::string FindUnsafePattern(const std::string& text) {
  // The text as written, then as up to three layers of percent-decoding
  // would show it ("%253C" is "%3C" is "<"). A first filter only: the
  // guarantee is that every renderer escapes user text (docs/API.md).
  std::string reading = ToLowerAscii(text);
  for (int layer = 0; layer < 4; ++layer) {
    if (std::string found = FindPatternIn(reading); !found.empty()) return found;
    std::string decoded = ToLowerAscii(DecodePercentEscapes(reading));
    if (decoded == reading) break;
    reading = std::move(decoded);
  }
  return {};
}

bool HasLongRun(const std::string& text, std::size_t max_run) {
  std::size_t run = 0;
  char32_t prev = 0;
  for (char32_t c : DecodeUtf8(text)) {
    run = (run > 0 && c == prev) ? run + 1 : 1;
    if (run > max_run) return true;
    prev = c;
  }
  return false;
}

bool IsValidCategoryName(const std::string& name) {
  // All spaces would normalise to nothing: not a category.
  if (name.empty() || name.size() > 50 || TrimWhitespace(name).empty()) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == ' ' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

ProposalCheck CheckProposal(const nlohmann::json& body) {
  ProposalCheck check;
  ProblemList problems(&check.problems);
  if (!body.is_object()) {
    problems.Add("body", "must be a JSON object");
    return check;
  }
  Proposal& p = check.proposal;

  const nlohmann::json* question = Field(body, "question");
  if (!question) {
    problems.Add("question", "is required");
  } else {
    p.question = CheckText(question, "question", kProposalMaxQuestionChars, false, problems);
    // Only text that decoded: an invalid-UTF-8 question has already been
    // reported and must not also be called too short. No rule on final
    // punctuation or letters: the original backend had none, and its client
    // thanks the player before the reply arrives, so a stricter rule would
    // silently lose proposals it sends ("Is pi > 3?").
    if (question->is_string() && IsValidUtf8(question->get_ref<const std::string&>())) {
      if (CountCodePoints(p.question) < kProposalMinQuestionChars)
        problems.Add("question", "must be at least " + std::to_string(kProposalMinQuestionChars) + " characters");
      if (HasLongRun(p.question, 4)) problems.Add("question", "must not repeat a character more than 4 times in a row");
    }
  }
  p.title = CheckText(Field(body, "title"), "title", kProposalMaxTitleChars, false, problems);
  p.passage = CheckText(Field(body, "passage"), "passage", kProposalMaxPassageChars, true, problems);

  const nlohmann::json* answer = Field(body, "answer", "suggested_answer");
  if (!answer) {
    problems.Add("answer", "is required");
  } else if (!answer->is_boolean()) {
    problems.Add("answer", "must be true or false");
  } else {
    p.answer = answer->get<bool>();
  }

  const nlohmann::json* categories = Field(body, "categories", "tags");
  if (!categories) {
    problems.Add("categories", "is required");
  } else if (!categories->is_array()) {
    problems.Add("categories", "must be a list of strings");
  } else if (categories->empty() || categories->size() > kProposalMaxCategories) {
    problems.Add("categories", "must have 1 to " + std::to_string(kProposalMaxCategories) + " entries");
  } else {
    std::vector<std::string> names;
    for (const auto& c : *categories) {
      if (!c.is_string() || !IsValidCategoryName(c.get_ref<const std::string&>())) {
        problems.Add("categories", "each must be 1-50 letters, digits, spaces, _ or -");
        break;
      }
      names.push_back(c.get<std::string>());
    }
    p.categories = NormaliseCategories(names);
  }

  if (const nlohmann::json* difficulty = Field(body, "difficulty")) {
    if (!ReadDifficulty(*difficulty, &p.difficulty)) problems.Add("difficulty", "must be an integer from 1 to 5");
  }
  return check;
}

}  // namespace truthbyte
