#include "core/answer_format.h"

#include <nlohmann/json.hpp>

#include "core/text.h"

namespace truthbyte {
namespace {

// An id: "" when `value` is one, else the reason it is not.
std::string IdProblem(const nlohmann::json* value, const char* name) {
  if (!value || value->is_null()) return std::string(name) + " is required";
  if (!value->is_string()) return std::string(name) + " must be a string";
  const std::string& s = value->get_ref<const std::string&>();
  if (s.empty() || s.size() > kMaxAnswerIdBytes)
    return std::string(name) + " must be 1 to " + std::to_string(kMaxAnswerIdBytes) + " bytes";
  if (!IsValidUtf8(s)) return std::string(name) + " must be valid UTF-8";
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return std::string(name) + " must not contain control characters";
  return {};
}

const nlohmann::json* Find(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

}  // namespace

Result<Answer> ParseAnswerRecord(std::string_view line, double default_timestamp) {
  const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded()) return Status::InvalidArgument(IsValidUtf8(line) ? "not valid JSON" : "not valid UTF-8");
  if (!j.is_object()) return Status::InvalidArgument("not a JSON object");
  for (const char* key : {"user_id", "question_id"})
    if (std::string problem = IdProblem(Find(j, key), key); !problem.empty()) return Status::InvalidArgument(problem);
  Answer a;
  a.user_id = j["user_id"].get<std::string>();
  a.question_id = j["question_id"].get<std::string>();
  const nlohmann::json* answer = Find(j, "answer");
  if (!answer || !answer->is_boolean()) return Status::InvalidArgument("answer must be true or false");
  a.answer = answer->get<bool>();
  a.timestamp = default_timestamp;
  a.judgment = Judgment::kImported;
  if (const nlohmann::json* ts = Find(j, "timestamp"); ts && !ts->is_null()) {
    if (!ts->is_number() || ts->get<double>() < 0 || ts->get<double>() > 1e13)
      return Status::InvalidArgument("timestamp must be a non-negative number of seconds");
    a.timestamp = ts->get<double>();
  }
  if (const nlohmann::json* rt = Find(j, "response_time_ms"); rt && !rt->is_null()) {
    if (!rt->is_number() || rt->get<double>() < 0 || rt->get<double>() > 86400000.0)
      return Status::InvalidArgument("response_time_ms must be a number of milliseconds up to a day");
    a.response_time_ms = static_cast<std::int64_t>(rt->get<double>());
  }
  return a;
}

}  // namespace truthbyte
