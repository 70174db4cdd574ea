// The daily challenge over a store: computed from the current pool, frozen
// at first use, read back afterwards.
#pragma once

#include "core/civil_date.h"
#include "core/records.h"
#include "core/status.h"
#include "store/store.h"

namespace truthbyte {

struct DailyChallengeView {
  DailyChallenge challenge;
  bool frozen = false;  // stored; false for a preview of a future date
};

// The challenge of `date`. A stored challenge is returned as it is. Otherwise
// the set is computed from today's pool; when `freeze` is true it is stored
// (a conditional create, so concurrent callers on any instance agree on the
// first one written).
Result<DailyChallengeView> GetDailyChallenge(Store& store, const CivilDate& date, bool freeze);

}  // namespace truthbyte
