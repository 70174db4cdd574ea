#include "core/question_format.h"

#include <array>
#include <cmath>

#include <simdjson.h>

#include "core/json_text.h"
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

// The rules below read a record through a view with one small interface, so
// that they exist once for both parsers: nlohmann::json (the reference, and
// what other callers hold) and simdjson's DOM (the fast path of imports).
// A view's Find(key) yields the record's value for `key` or null; when a key
// repeats, the last one counts, as in nlohmann::json.
//
// The view over nlohmann::json.
class NlohmannRecord {
 public:
  using Value = nlohmann::json;
  explicit NlohmannRecord(const nlohmann::json& rec) : rec_(rec) {}

  bool IsObject() const { return rec_.is_object(); }
  const Value* Find(const char* key) const {
    auto it = rec_.find(key);
    return it == rec_.end() ? nullptr : &*it;
  }
  static bool IsNull(const Value& v) { return v.is_null(); }
  static bool IsString(const Value& v) { return v.is_string(); }
  static std::string_view String(const Value& v) { return v.get_ref<const std::string&>(); }
  static bool IsBool(const Value& v) { return v.is_boolean(); }
  static bool Bool(const Value& v) { return v.get<bool>(); }
  static bool IsNumber(const Value& v) { return v.is_number(); }
  static double Number(const Value& v) { return v.get<double>(); }
  static bool IsArray(const Value& v) { return v.is_array(); }
  static std::size_t Size(const Value& v) { return v.size(); }
  static const Value& Items(const Value& v) { return v; }

 private:
  const nlohmann::json& rec_;
};

// The view over a simdjson DOM element; reads the keys the rules know in
// one pass over the object.
class SimdjsonRecord {
 public:
  using Value = simdjson::dom::element;
  explicit SimdjsonRecord(simdjson::dom::element rec) {
    simdjson::dom::object object;
    is_object_ = rec.get_object().get(object) == simdjson::SUCCESS;
    if (!is_object_) return;
    for (simdjson::dom::key_value_pair field : object)
      for (std::size_t i = 0; i < kKeys.size(); ++i)
        if (field.key == kKeys[i]) {
          values_[i] = field.value;
          found_[i] = true;
          break;
        }
  }

  bool IsObject() const { return is_object_; }
  const Value* Find(const char* key) const {
    for (std::size_t i = 0; i < kKeys.size(); ++i)
      if (kKeys[i] == key) return found_[i] ? &values_[i] : nullptr;
    return nullptr;  // not a key of kKeys: a bug, and the rules see "absent"
  }
  static bool IsNull(const Value& v) { return v.is_null(); }
  static bool IsString(const Value& v) { return v.is_string(); }
  static std::string_view String(const Value& v) { return v.get_string().value_unsafe(); }
  static bool IsBool(const Value& v) { return v.is_bool(); }
  static bool Bool(const Value& v) { return v.get_bool().value_unsafe(); }
  static bool IsNumber(const Value& v) { return v.is_number(); }
  static double Number(const Value& v) { return v.get_double().value_unsafe(); }
  static bool IsArray(const Value& v) { return v.is_array(); }
  static std::size_t Size(const Value& v) { return v.get_array().value_unsafe().size(); }
  static simdjson::dom::array Items(const Value& v) { return v.get_array().value_unsafe(); }

 private:
  // Every key QuestionFromRecord reads.
  static constexpr std::array<std::string_view, 11> kKeys = {
      "question", "title", "passage", "answer", "id", "difficulty", "categories", "tags", "category",
      "created_at", "source"};
  bool is_object_ = false;
  std::array<simdjson::dom::element, kKeys.size()> values_;
  std::array<bool, kKeys.size()> found_{};
};

// Reads an optional string field; an absent or null field yields "".
template <typename Record>
Status ReadText(const Record& rec, const char* key, std::size_t max_chars, bool allow_newlines,
                std::string* out) {
  const auto* v = rec.Find(key);
  if (!v || Record::IsNull(*v)) return Status::Ok();
  if (!Record::IsString(*v)) return Status::InvalidArgument(std::string("\"") + key + "\" must be a string");
  const std::string_view s = Record::String(*v);
  if (CountCodePoints(s) > max_chars)
    return Status::InvalidArgument(std::string("\"") + key + "\" is longer than " +
                                   std::to_string(max_chars) + " characters");
  if (HasControlCharacter(s, allow_newlines))
    return Status::InvalidArgument(std::string("\"") + key + "\" contains control characters");
  *out = std::string(TrimWhitespace(s));
  return Status::Ok();
}

// Checks one category-like name of the list under `key` and appends it.
Status ReadName(const char* key, std::string_view name, std::vector<std::string>* out) {
  if (CountCodePoints(TrimWhitespace(name)) > kMaxCategoryChars)
    return Status::InvalidArgument(std::string("\"") + key + "\" has a name longer than " +
                                   std::to_string(kMaxCategoryChars) + " characters");
  if (HasControlCharacter(name, false))
    return Status::InvalidArgument(std::string("\"") + key + "\" has a name with control characters");
  out->emplace_back(name);
  return Status::Ok();
}

// Reads an optional list of category-like names.
template <typename Record>
Status ReadNameList(const Record& rec, const char* key, std::vector<std::string>* out) {
  const auto* v = rec.Find(key);
  if (!v || Record::IsNull(*v)) return Status::Ok();
  if (!Record::IsArray(*v)) return Status::InvalidArgument(std::string("\"") + key + "\" must be a list of strings");
  if (Record::Size(*v) > kMaxCategories)
    return Status::InvalidArgument(std::string("\"") + key + "\" has more than " +
                                   std::to_string(kMaxCategories) + " entries");
  for (const auto& item : Record::Items(*v)) {
    if (!Record::IsString(item)) return Status::InvalidArgument(std::string("\"") + key + "\" must be a list of strings");
    TB_RETURN_IF_ERROR(ReadName(key, Record::String(item), out));
  }
  return Status::Ok();
}

bool HasNonEmptyName(const std::vector<std::string>& names) {
  for (const auto& n : names)
    if (!TrimWhitespace(n).empty()) return true;
  return false;
}

bool DifficultyFromNumber(double d, int* difficulty) {
  if (!(d >= kMinDifficulty && d <= kMaxDifficulty) || d != std::floor(d)) return false;
  *difficulty = static_cast<int>(d);
  return true;
}

template <typename Record>
Result<Question> QuestionFromRecord(const Record& rec) {
  if (!rec.IsObject()) return Status::InvalidArgument("not a JSON object");
  Question q;

  TB_RETURN_IF_ERROR(ReadText(rec, "question", kMaxQuestionChars, false, &q.question));
  if (q.question.empty()) return Status::InvalidArgument("missing \"question\"");
  TB_RETURN_IF_ERROR(ReadText(rec, "title", kMaxTitleChars, false, &q.title));
  TB_RETURN_IF_ERROR(ReadText(rec, "passage", kMaxPassageChars, true, &q.passage));

  const auto* answer = rec.Find("answer");
  if (!answer || Record::IsNull(*answer)) return Status::InvalidArgument("missing \"answer\"");
  if (!Record::IsBool(*answer)) return Status::InvalidArgument("\"answer\" must be true or false");
  q.answer = Record::Bool(*answer);

  const auto* id = rec.Find("id");
  if (!id || Record::IsNull(*id)) {
    q.id = DeriveQuestionId(q.question, q.title);
  } else {
    if (!Record::IsString(*id)) return Status::InvalidArgument("\"id\" must be a string");
    q.id = std::string(Record::String(*id));
    if (q.id.empty() || q.id.size() > kMaxIdBytes)
      return Status::InvalidArgument("\"id\" must be 1 to " + std::to_string(kMaxIdBytes) + " bytes");
    for (char c : q.id) {
      auto u = static_cast<unsigned char>(c);
      if (u <= 0x20 || u == 0x7f) return Status::InvalidArgument("\"id\" contains spaces or control characters");
    }
  }

  const auto* difficulty = rec.Find("difficulty");
  if (difficulty && !Record::IsNull(*difficulty)) {
    if (!Record::IsNumber(*difficulty) || !DifficultyFromNumber(Record::Number(*difficulty), &q.difficulty))
      return Status::InvalidArgument("\"difficulty\" must be an integer from 1 to 5");
  }

  std::vector<std::string> categories, category, tags;
  TB_RETURN_IF_ERROR(ReadNameList(rec, "categories", &categories));
  TB_RETURN_IF_ERROR(ReadNameList(rec, "tags", &tags));
  const auto* single = rec.Find("category");
  if (single && !Record::IsNull(*single)) {
    if (!Record::IsString(*single)) return Status::InvalidArgument("\"category\" must be a string");
    TB_RETURN_IF_ERROR(ReadName("category", Record::String(*single), &category));
  }
  if (HasNonEmptyName(categories)) {
    q.categories = NormaliseCategories(categories);
  } else if (HasNonEmptyName(category)) {
    q.categories = NormaliseCategories(category);
  } else {
    q.categories = NormaliseCategories(tags);
  }
  const auto* tags_field = rec.Find("tags");
  q.tags = (tags_field && Record::IsArray(*tags_field)) ? std::move(tags) : q.categories;

  TB_RETURN_IF_ERROR(ReadText(rec, "created_at", 64, false, &q.created_at));
  TB_RETURN_IF_ERROR(ReadText(rec, "source", 256, false, &q.source));
  return q;
}

}  // namespace

Result<Question> QuestionFromJson(const nlohmann::json& rec) { return QuestionFromRecord(NlohmannRecord(rec)); }

bool ReadDifficulty(const nlohmann::json& value, int* difficulty) {
  return value.is_number() && DifficultyFromNumber(value.get<double>(), difficulty);
}

Result<Question> ParseQuestionRecord(std::string_view line) {
  // simdjson reads the line into a reused, padded copy (it reads past the
  // end in blocks). The parsers are per thread: imports parse on their own.
  thread_local simdjson::dom::parser parser;
  thread_local std::string padded;
  padded.reserve(line.size() + simdjson::SIMDJSON_PADDING);
  padded.assign(line);
  simdjson::dom::element root;
  if (parser.parse(padded.data(), padded.size(), /*realloc_if_needed=*/false).get(root) == simdjson::SUCCESS)
    return QuestionFromRecord(SimdjsonRecord(root));
  // simdjson is the stricter parser (it rejects integers beyond 64 bits, for
  // one): whatever it refuses, nlohmann::json decides, with its wording.
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

std::string QuestionToJsonText(const Question& q) {
  return JsonText(QuestionToJson(q));
}

std::string QuestionJsonWithParts(std::string_view question_json, QuestionParts parts) {
  if (parts.passage && parts.tags) return std::string(question_json);
  auto j = nlohmann::ordered_json::parse(question_json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::string(question_json);  // not ours: leave it whole
  if (!parts.passage) j.erase("passage");
  if (!parts.tags) j.erase("tags");
  return JsonText(j);
}

std::string QuestionJsonWithoutAnswer(std::string_view question_json) {
  // The key as QuestionToJson writes it, after "passage". Within a string
  // value every quote is escaped, so this text is found only as the key.
  for (std::string_view member : {std::string_view(",\"answer\":true"), std::string_view(",\"answer\":false")}) {
    const std::size_t at = question_json.find(member);
    if (at == std::string_view::npos) continue;
    std::string out(question_json.substr(0, at));
    out += question_json.substr(at + member.size());
    return out;
  }
  return std::string(question_json);
}

std::string QuestionToJsonLine(const Question& q) {
  nlohmann::ordered_json j = QuestionToJson(q);
  j["created_at"] = q.created_at;
  j["source"] = q.source;
  return JsonText(j);
}

}  // namespace truthbyte
