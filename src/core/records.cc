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

const char* JudgmentName(Judgment j) {
  switch (j) {
    case Judgment::kCounted: return "counted";
    case Judgment::kImported: return "imported";
    case Judgment::kDaily: return "daily";
    case Judgment::kUnserved: return "unserved";
    case Judgment::kTooFast: return "too_fast";
    case Judgment::kOverRate: return "over_rate";
  }
  return "counted";
}

std::optional<Judgment> ParseJudgment(std::string_view name) {
  for (int i = 0; i < kJudgmentKinds; ++i) {
    const auto j = static_cast<Judgment>(i);
    if (name == JudgmentName(j)) return j;
  }
  return std::nullopt;
}

const char* ResolutionActionName(ResolutionAction a) {
  switch (a) {
    case ResolutionAction::kKeep: return "keep";
    case ResolutionAction::kFlip: return "flip";
    case ResolutionAction::kRetire: return "retire";
  }
  return "keep";
}

std::optional<ResolutionAction> ParseResolutionAction(std::string_view name) {
  for (int i = 0; i < kResolutionActions; ++i) {
    const auto a = static_cast<ResolutionAction>(i);
    if (name == ResolutionActionName(a)) return a;
  }
  return std::nullopt;
}

bool Settles(const Resolution& r, bool label) {
  return r.action == ResolutionAction::kRetire || r.label_after == label;
}

std::optional<SubmissionStatus> ParseSubmissionStatus(const std::string& name) {
  if (name == "pending") return SubmissionStatus::kPending;
  if (name == "approved") return SubmissionStatus::kApproved;
  if (name == "rejected") return SubmissionStatus::kRejected;
  return std::nullopt;
}

}  // namespace truthbyte
