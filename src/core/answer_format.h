// The JSON Lines form of a judgment brought from elsewhere (a Mechanical
// Turk batch, an earlier deployment, our own export):
// {"user_id","question_id","answer":bool,"timestamp"?,"response_time_ms"?}.
#pragma once

#include <string_view>

#include "core/records.h"
#include "core/status.h"

namespace truthbyte {

inline constexpr std::size_t kMaxAnswerIdBytes = 128;

// One line. user_id and question_id: 1 to 128 bytes of UTF-8 without control
// characters (any form: "demo-session-123" and UUIDs alike); timestamp: a
// non-negative number of seconds, `default_timestamp` when absent or null;
// response_time_ms: 0 to a day. An operator's import is trusted: the answer
// is Judgment::kImported, whatever the line says. is_correct is left empty (it depends on the
// question). On failure the Status message is the reason, fit for
// "file:line: reason".
Result<Answer> ParseAnswerRecord(std::string_view line, double default_timestamp);

}  // namespace truthbyte
