#include "core/status.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace truthbyte {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "ok");
  EXPECT_TRUE(Status::Ok().ok());
}

TEST(StatusTest, FactoriesCarryCodeAndMessage) {
  struct Case {
    Status status;
    StatusCode code;
    const char* name;
  };
  const Case cases[] = {
      {Status::InvalidArgument("m"), StatusCode::kInvalidArgument, "invalid argument"},
      {Status::NotFound("m"), StatusCode::kNotFound, "not found"},
      {Status::AlreadyExists("m"), StatusCode::kAlreadyExists, "already exists"},
      {Status::ConditionFailed("m"), StatusCode::kConditionFailed, "condition failed"},
      {Status::Unavailable("m"), StatusCode::kUnavailable, "unavailable"},
      {Status::IoError("m"), StatusCode::kIoError, "I/O error"},
      {Status::Corruption("m"), StatusCode::kCorruption, "corruption"},
      {Status::Internal("m"), StatusCode::kInternal, "internal error"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_FALSE(c.status.ok());
    EXPECT_EQ(c.status.code(), c.code);
    EXPECT_EQ(c.status.message(), "m");
    EXPECT_STREQ(StatusCodeName(c.code), c.name);
    EXPECT_EQ(c.status.ToString(), std::string(c.name) + ": m");
  }
  EXPECT_STREQ(StatusCodeName(StatusCode::kOk), "ok");
}

TEST(StatusTest, ToStringIncludesMessage) {
  EXPECT_EQ(Status::NotFound("question q1 does not exist").ToString(),
            "not found: question q1 does not exist");
}

TEST(ResultTest, HoldsValue) {
  Result<int> r(42);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.status().ok());
  EXPECT_EQ(r.value(), 42);
  EXPECT_EQ(*r, 42);
  *r = 7;
  EXPECT_EQ(r.value(), 7);
}

TEST(ResultTest, HoldsError) {
  Result<std::string> r(Status::NotFound("nope"));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "nope");
}

TEST(ResultTest, ArrowAndMoveOut) {
  Result<std::string> r(std::string("hello"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 5u);
  std::string moved = std::move(r).value();
  EXPECT_EQ(moved, "hello");

  Result<std::unique_ptr<int>> p(std::make_unique<int>(3));
  ASSERT_TRUE(p.ok());
  std::unique_ptr<int> owned = std::move(p).value();
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(*owned, 3);
}

Status Step(bool fail, int* reached) {
  ++*reached;
  return fail ? Status::IoError("disk full") : Status::Ok();
}

Status TwoSteps(bool fail_first, int* reached) {
  TB_RETURN_IF_ERROR(Step(fail_first, reached));
  TB_RETURN_IF_ERROR(Step(false, reached));
  return Status::Ok();
}

TEST(StatusMacroTest, ReturnIfErrorStopsAtFirstFailure) {
  int reached = 0;
  Status s = TwoSteps(/*fail_first=*/true, &reached);
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_EQ(s.message(), "disk full");
  EXPECT_EQ(reached, 1);

  reached = 0;
  EXPECT_TRUE(TwoSteps(/*fail_first=*/false, &reached).ok());
  EXPECT_EQ(reached, 2);
}

}  // namespace
}  // namespace truthbyte
