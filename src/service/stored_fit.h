// The crowd fit kept in the store: `crowd analyze` stores the fit it made,
// and `serve` starts from it, so that the disputed list and the players'
// reliabilities are there from the first request after a start, until the
// first background refit replaces them. One JSON document
// (Store::PutCrowdFit).
#pragma once

#include <optional>
#include <string>

#include "core/status.h"
#include "service/crowd_analysis.h"
#include "store/store.h"

namespace truthbyte {

struct StoredFit {
  CrowdAnalysis analysis;
  CrowdAnalysisOptions options;
  std::string fitted_at;  // ISO-8601
};

std::string EncodeFit(const StoredFit& fit);
// kCorruption for a document that is not one EncodeFit wrote.
Result<StoredFit> DecodeFit(const std::string& document);

// Stores `fit`, replacing the one stored before.
Status StoreFit(Store& store, const StoredFit& fit);
// The stored fit; nullopt when none was stored.
Result<std::optional<StoredFit>> LoadFit(Store& store);

}  // namespace truthbyte
