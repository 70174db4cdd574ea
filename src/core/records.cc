#include "core/records.h"

namespace truthbyte {

const char* SubmissionStatusName(SubmissionStatus s) {
  switch (s) {
    case SubmissionStatus::kPending: return "pending";
    case SubmissionStatus::kApproved: return "approved";
    case SubmissionStatus::kRejected: return "rejected";
  }
  return "pending";
}

std::optional<SubmissionStatus> ParseSubmissionStatus(const std::string& name) {
  if (name == "pending") return SubmissionStatus::kPending;
  if (name == "approved") return SubmissionStatus::kApproved;
  if (name == "rejected") return SubmissionStatus::kRejected;
  return std::nullopt;
}

}  // namespace truthbyte
