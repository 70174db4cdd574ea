// How a day's challenge comes to be, for the server and the tools alike:
// computed from a pool of eligible questions, frozen (stored) at first use,
// read back afterwards. Which days are frozen is the caller's rule
// (GameService: ClassifyUnstoredDay; `truthbyte daily`: any started day).
#pragma once

#include <string>
#include <vector>

#include "core/civil_date.h"
#include "core/records.h"
#include "core/status.h"
#include "store/store.h"

namespace truthbyte {

// The challenge `date` gets from `pool` (the ids of the questions of
// difficulty 1-4): a preview, not stored.
DailyChallenge ComputeDailyChallenge(std::vector<std::string> pool, const CivilDate& date);

// The one way a challenge is frozen: computed from `pool` and stored by a
// conditional create, so that concurrent callers on any instance agree on
// the first one written, which is returned. NotFound when `pool` is empty.
Result<DailyChallenge> FreezeDailyChallenge(Store& store, std::vector<std::string> pool, const CivilDate& date);

struct DailyChallengeView {
  DailyChallenge challenge;
  bool frozen = false;  // stored; false for a preview
};

// For tools: the stored challenge of `date`, or else one computed from the
// store's pool, frozen when `freeze` is true.
Result<DailyChallengeView> GetDailyChallenge(Store& store, const CivilDate& date, bool freeze);

}  // namespace truthbyte
