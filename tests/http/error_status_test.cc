// Each domain error code has the name and the HTTP status of SPEC section 5.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "http/error_status.h"

namespace truthbyte::testing {
namespace {

TEST(ErrorStatusTest, EveryCodeHasTheSpecsNameAndStatus) {
  const std::vector<std::pair<ErrorCode, std::pair<std::string, int>>> spec = {
      {ErrorCode::kMissingToken, {"missing_token", 401}},
      {ErrorCode::kInvalidToken, {"invalid_token", 401}},
      {ErrorCode::kTokenExpired, {"token_expired", 401}},
      {ErrorCode::kMissingHeader, {"missing_header", 400}},
      {ErrorCode::kInvalidUserId, {"invalid_user_id", 400}},
      {ErrorCode::kInvalidParameter, {"invalid_parameter", 400}},
      {ErrorCode::kInvalidJson, {"invalid_json", 400}},
      {ErrorCode::kValidationFailed, {"validation_failed", 400}},
      {ErrorCode::kForbidden, {"forbidden", 403}},
      {ErrorCode::kUserMismatch, {"user_mismatch", 403}},
      {ErrorCode::kNotFound, {"not_found", 404}},
      {ErrorCode::kMethodNotAllowed, {"method_not_allowed", 405}},
      {ErrorCode::kAlreadyCompleted, {"already_completed", 409}},
      {ErrorCode::kDuplicate, {"duplicate", 409}},
      {ErrorCode::kPayloadTooLarge, {"payload_too_large", 413}},
      {ErrorCode::kRateLimited, {"rate_limited", 429}},
      {ErrorCode::kInternalError, {"internal_error", 500}},
      {ErrorCode::kStoreUnavailable, {"store_unavailable", 503}},
  };
  std::set<std::string> names;
  for (const auto& [code, expected] : spec) {
    EXPECT_EQ(expected.first, ErrorCodeName(code));
    EXPECT_EQ(expected.second, HttpStatusOf(code)) << expected.first;
    names.insert(std::string(ErrorCodeName(code)));
  }
  EXPECT_EQ(spec.size(), names.size());
}

TEST(ErrorStatusTest, AStoreOutageIsUnavailableAndAnythingElseInternalWithTheDetailKept) {
  const ServiceError down = ServiceError::FromStatus(Status::Unavailable("connection refused"));
  EXPECT_EQ(ErrorCode::kStoreUnavailable, down.code);
  EXPECT_EQ(503, HttpStatusOf(down.code));
  EXPECT_NE(std::string::npos, down.internal_detail.find("connection refused"));
  EXPECT_EQ(std::string::npos, down.message.find("connection refused"));
  const ServiceError broken = ServiceError::FromStatus(Status::Corruption("bad row"));
  EXPECT_EQ(ErrorCode::kInternalError, broken.code);
  EXPECT_EQ("internal error", broken.message);
  EXPECT_NE(std::string::npos, broken.internal_detail.find("bad row"));
}

}  // namespace
}  // namespace truthbyte::testing
