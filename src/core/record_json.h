// JSON forms of the records: the export format and the daily-progress
// document stored with a user. Keys are written in a fixed order.
#pragma once

#include <nlohmann/json.hpp>

#include "core/records.h"
#include "core/status.h"

namespace truthbyte {

nlohmann::ordered_json AnswerToJson(const Answer& a);
// The stored document; `with_answer_timestamps` false leaves out each
// answer's timestamp (the compact daily reply).
nlohmann::ordered_json DailyProgressToJson(const DailyProgress& p, bool with_answer_timestamps = true);
Status DailyProgressFromJson(const std::string& date, const nlohmann::json& j, DailyProgress* p);
// Includes the trust score and the streak as stored.
nlohmann::ordered_json UserToJson(const User& u);
nlohmann::ordered_json SubmissionToJson(const Submission& s);
nlohmann::ordered_json ResolutionToJson(const Resolution& r);

}  // namespace truthbyte
