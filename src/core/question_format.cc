#include "core/question_format.h"

#include <cmath>

#include "core/text.h"

namespace truthbyte {
namespace {

constexpr std::size_t kMaxIdBytes = 128;
constexpr std::size_t kMaxQuestionChars = 1000;
constexpr std::size_t kMaxTitleChars = 1000;
constexpr std::size_t kMaxPassageChars = 50000;
constexpr std::size_t kMaxCategoryChars = 50;
constexpr std::size_t kMaxCategories = 64;

bool HasControlCharacter(std::string_view s, bool allow_newlines) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (allow_newlines && (c == '\n' || c == '\t' || c == '\r')) continue;
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

// Reads an optional string field; an absent or null field yields "".
Status ReadText(const nlohmann::json& rec, const char* key, std::size_t max_chars,
                bool allow_newlines, std::string* out) {
  auto it = rec.find(key);
  if (it == rec.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return Status::InvalidArgument(std::string("\"") + key + "\" must be a string");
  const auto& s = it->get_ref<const std::string&>();
  if (CountCodePoints(s) > max_chars)
    return Status::InvalidArgument(std::string("\"") + key + "\" is longer than " +
                                   std::to_string(max_chars) + " characters");
  if (HasControlCharacter(s, allow_newlines))
    return Status::InvalidArgument(std::string("\"") + key + "\" contains control characters");
  *out = std::string(TrimWhitespace(s));
  return Status::Ok();
}

// Reads a list of category-like names; `present` tells whether the row has a
// non-empty list under `key`.
Status ReadNameList(const nlohmann::json& rec, const char* key, std::vector<std::string>* out) {
  auto it = rec.find(key);
  if (it == rec.end() || it->is_null()) return Status::Ok();
  if (!it->is_array()) return Status::InvalidArgument(std::string("\"") + key + "\" must be a list of strings");
  if (it->size() > kMaxCategories)
    return Status::InvalidArgument(std::string("\"") + key + "\" has more than " +
                                   std::to_string(kMaxCategories) + " entries");
  for (const auto& v : *it) {
    if (!v.is_string()) return Status::InvalidArgument(std::string("\"") + key + "\" must be a list of strings");
    const auto& s = v.get_ref<const std::string&>();
    if (CountCodePoints(TrimWhitespace(s)) > kMaxCategoryChars)
      return Status::InvalidArgument(std::string("\"") + key + "\" has a name longer than " +
                                     std::to_string(kMaxCategoryChars) + " characters");
    if (HasControlCharacter(s, false))
      return Status::InvalidArgument(std::string("\"") + key + "\" has a name with control characters");
    out->push_back(s);
  }
  return Status::Ok();
}

bool HasNonEmptyName(const std::vector<std::string>& names) {
  for (const auto& n : names)
    if (!TrimWhitespace(n).empty()) return true;
  return false;
}

}  // namespace

Result<Question> QuestionFromJson(const nlohmann::json& rec) {
  if (!rec.is_object()) return Status::InvalidArgument("not a JSON object");
  Question q;

  TB_RETURN_IF_ERROR(ReadText(rec, "question", kMaxQuestionChars, false, &q.question));
  if (q.question.empty()) return Status::InvalidArgument("missing \"question\"");
  TB_RETURN_IF_ERROR(ReadText(rec, "title", kMaxTitleChars, false, &q.title));
  TB_RETURN_IF_ERROR(ReadText(rec, "passage", kMaxPassageChars, true, &q.passage));

  auto answer = rec.find("answer");
  if (answer == rec.end() || answer->is_null()) return Status::InvalidArgument("missing \"answer\"");
  if (!answer->is_boolean()) return Status::InvalidArgument("\"answer\" must be true or false");
  q.answer = answer->get<bool>();

  auto id = rec.find("id");
  if (id == rec.end() || id->is_null()) {
    q.id = DeriveQuestionId(q.question, q.title);
  } else {
    if (!id->is_string()) return Status::InvalidArgument("\"id\" must be a string");
    q.id = id->get<std::string>();
    if (q.id.empty() || q.id.size() > kMaxIdBytes)
      return Status::InvalidArgument("\"id\" must be 1 to " + std::to_string(kMaxIdBytes) + " bytes");
    for (char c : q.id) {
      auto u = static_cast<unsigned char>(c);
      if (u <= 0x20 || u == 0x7f) return Status::InvalidArgument("\"id\" contains spaces or control characters");
    }
  }

  auto difficulty = rec.find("difficulty");
  if (difficulty != rec.end() && !difficulty->is_null()) {
    if (!ReadDifficulty(*difficulty, &q.difficulty))
      return Status::InvalidArgument("\"difficulty\" must be an integer from 1 to 5");
  }

  std::vector<std::string> categories, category, tags;
  TB_RETURN_IF_ERROR(ReadNameList(rec, "categories", &categories));
  TB_RETURN_IF_ERROR(ReadNameList(rec, "tags", &tags));
  auto single = rec.find("category");
  if (single != rec.end() && !single->is_null()) {
    if (!single->is_string()) return Status::InvalidArgument("\"category\" must be a string");
    nlohmann::json as_list = nlohmann::json::array({*single});
    nlohmann::json wrapper = {{"category", as_list}};
    TB_RETURN_IF_ERROR(ReadNameList(wrapper, "category", &category));
  }
  if (HasNonEmptyName(categories)) {
    q.categories = NormaliseCategories(categories);
  } else if (HasNonEmptyName(category)) {
    q.categories = NormaliseCategories(category);
  } else {
    q.categories = NormaliseCategories(tags);
  }
  auto tags_field = rec.find("tags");
  q.tags = (tags_field != rec.end() && tags_field->is_array()) ? tags : q.categories;

  TB_RETURN_IF_ERROR(ReadText(rec, "created_at", 64, false, &q.created_at));
  TB_RETURN_IF_ERROR(ReadText(rec, "source", 256, false, &q.source));
  return q;
}

bool ReadDifficulty(const nlohmann::json& value, int* difficulty) {
  if (!value.is_number()) return false;
  const double d = value.get<double>();
  if (!(d >= kMinDifficulty && d <= kMaxDifficulty) || d != std::floor(d)) return false;
  *difficulty = static_cast<int>(d);
  return true;
}

Result<Question> ParseQuestionRecord(std::string_view line) {
  nlohmann::json rec = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (rec.is_discarded()) {
    if (!IsValidUtf8(line)) return Status::InvalidArgument("invalid UTF-8");
    return Status::InvalidArgument("invalid JSON");
  }
  return QuestionFromJson(rec);
}

nlohmann::ordered_json QuestionToJson(const Question& q) {
  nlohmann::ordered_json j;
  j["id"] = q.id;
  j["question"] = q.question;
  j["title"] = q.title;
  j["passage"] = q.passage;
  j["answer"] = q.answer;
  j["categories"] = q.categories;
  j["difficulty"] = q.difficulty;
  j["tags"] = q.tags;
  return j;
}

std::string QuestionToJsonLine(const Question& q) {
  nlohmann::ordered_json j = QuestionToJson(q);
  j["created_at"] = q.created_at;
  j["source"] = q.source;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace truthbyte
