#include "core/civil_date.h"
#include "core/test_printers.h"

#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace truthbyte {
namespace {

CivilDate D(int y, int m, int d) { return CivilDate{y, m, d}; }

TEST(CivilDateTest, ParsesValidDates) {
  EXPECT_EQ(CivilDate::Parse("2024-01-15"), D(2024, 1, 15));
  EXPECT_EQ(CivilDate::Parse("2024-02-29"), D(2024, 2, 29));  // leap year
  EXPECT_EQ(CivilDate::Parse("2000-02-29"), D(2000, 2, 29));  // divisible by 400
  EXPECT_EQ(CivilDate::Parse("2023-12-31"), D(2023, 12, 31));
  EXPECT_EQ(CivilDate::Parse("2024-04-30"), D(2024, 4, 30));
  EXPECT_EQ(CivilDate::Parse("0001-01-01"), D(1, 1, 1));
  EXPECT_EQ(CivilDate::Parse("9999-12-31"), D(9999, 12, 31));
}

TEST(CivilDateTest, RejectsImpossibleDates) {
  for (const char* text : {"2023-02-29", "1900-02-29", "2024-02-30", "2024-13-01", "2024-00-10",
                           "2024-04-31", "2024-06-31", "2024-01-32", "2024-01-00", "0000-01-01"}) {
    EXPECT_EQ(CivilDate::Parse(text), std::nullopt) << text;
  }
}

TEST(CivilDateTest, RejectsMalformedText) {
  for (const char* text : {"2024-1-5", "2024-01-5", "20240115", "2024-01-15x", "2024-01-15 ",
                           " 2024-01-15", "", "2024/01/15", "2024-01-1a", "+024-01-15",
                           "2024-01-15T00:00:00Z", "abcd-ef-gh", "-2024-01-1"}) {
    EXPECT_EQ(CivilDate::Parse(text), std::nullopt) << "'" << text << "'";
  }
}

TEST(CivilDateTest, ToStringPadsAndRoundTrips) {
  EXPECT_EQ(D(2024, 1, 5).ToString(), "2024-01-05");
  EXPECT_EQ(D(5, 3, 7).ToString(), "0005-03-07");
  for (const char* text : {"2024-01-15", "2024-02-29", "1999-12-31", "0001-01-01", "9999-12-31"}) {
    auto parsed = CivilDate::Parse(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(parsed->ToString(), text);
  }
}

TEST(CivilDateTest, DaysSinceEpochKnownValues) {
  EXPECT_EQ(D(1970, 1, 1).DaysSinceEpoch(), 0);
  EXPECT_EQ(D(1970, 1, 2).DaysSinceEpoch(), 1);
  EXPECT_EQ(D(1969, 12, 31).DaysSinceEpoch(), -1);
  EXPECT_EQ(D(2024, 1, 15).DaysSinceEpoch(), 19737);
  EXPECT_EQ(D(2000, 3, 1).DaysSinceEpoch(), 11017);
  EXPECT_EQ(D(1900, 1, 1).DaysSinceEpoch(), -25567);
  EXPECT_EQ(D(1, 1, 1).DaysSinceEpoch(), -719162);
  EXPECT_EQ(D(9999, 12, 31).DaysSinceEpoch(), 2932896);
}

TEST(CivilDateTest, FromDaysRoundTripsOverWideRange) {
  // Every day from 0001-01-01 to 9999-12-31 would be 3.6M iterations; walk a
  // dense window around the epoch and a sparse one over the whole range.
  CivilDate prev = CivilDate::FromDays(-40001);
  for (std::int64_t z = -40000; z <= 40000; ++z) {
    const CivilDate d = CivilDate::FromDays(z);
    ASSERT_EQ(d.DaysSinceEpoch(), z);
    ASSERT_LT(prev, d);
    ASSERT_GE(d.month, 1);
    ASSERT_LE(d.month, 12);
    ASSERT_GE(d.day, 1);
    ASSERT_LE(d.day, DaysInMonth(d.year, d.month));
    // Consecutive days: either the next day of the month or the 1st.
    if (d.day != 1) {
      ASSERT_EQ(d.year, prev.year);
      ASSERT_EQ(d.month, prev.month);
      ASSERT_EQ(d.day, prev.day + 1);
    } else {
      ASSERT_EQ(prev.day, DaysInMonth(prev.year, prev.month));
    }
    ASSERT_EQ(CivilDate::Parse(d.ToString()), d);
    prev = d;
  }
  for (std::int64_t z = -719162; z <= 2932896; z += 997) {
    ASSERT_EQ(CivilDate::FromDays(z).DaysSinceEpoch(), z);
  }
  EXPECT_EQ(CivilDate::FromDays(-719162), D(1, 1, 1));
  EXPECT_EQ(CivilDate::FromDays(2932896), D(9999, 12, 31));
  EXPECT_EQ(CivilDate::FromDays(-1), D(1969, 12, 31));
  EXPECT_EQ(CivilDate::FromDays(-365), D(1969, 1, 1));
}

TEST(CivilDateTest, AddDaysCrossesMonthAndYearEnds) {
  EXPECT_EQ(D(2024, 1, 31).AddDays(1), D(2024, 2, 1));
  EXPECT_EQ(D(2024, 2, 28).AddDays(1), D(2024, 2, 29));
  EXPECT_EQ(D(2023, 2, 28).AddDays(1), D(2023, 3, 1));
  EXPECT_EQ(D(2023, 12, 31).AddDays(1), D(2024, 1, 1));
  EXPECT_EQ(D(2024, 1, 1).AddDays(-1), D(2023, 12, 31));
  EXPECT_EQ(D(2024, 3, 1).AddDays(-1), D(2024, 2, 29));
  EXPECT_EQ(D(2024, 1, 15).AddDays(366), D(2025, 1, 15));
}

TEST(CivilDateTest, FromUnixSeconds) {
  EXPECT_EQ(CivilDate::FromUnixSeconds(0), D(1970, 1, 1));
  EXPECT_EQ(CivilDate::FromUnixSeconds(86399), D(1970, 1, 1));
  EXPECT_EQ(CivilDate::FromUnixSeconds(86400), D(1970, 1, 2));
  EXPECT_EQ(CivilDate::FromUnixSeconds(1705322096), D(2024, 1, 15));
  // Negative seconds round towards the earlier day, not towards zero.
  EXPECT_EQ(CivilDate::FromUnixSeconds(-1), D(1969, 12, 31));
  EXPECT_EQ(CivilDate::FromUnixSeconds(-86400), D(1969, 12, 31));
  EXPECT_EQ(CivilDate::FromUnixSeconds(-86401), D(1969, 12, 30));
}

TEST(CivilDateTest, Ordering) {
  EXPECT_LT(D(2023, 12, 31), D(2024, 1, 1));
  EXPECT_LT(D(2024, 1, 31), D(2024, 2, 1));
  EXPECT_LT(D(2024, 2, 1), D(2024, 2, 2));
  EXPECT_NE(D(2024, 2, 1), D(2024, 1, 2));
}

TEST(CivilDateTest, LeapYearsAndMonthLengths) {
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_FALSE(IsLeapYear(2023));
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2023, 2), 28);
  EXPECT_EQ(DaysInMonth(2024, 1), 31);
  EXPECT_EQ(DaysInMonth(2024, 4), 30);
  EXPECT_EQ(DaysInMonth(2024, 12), 31);
}

TEST(FormatTimestampMsTest, KnownInstants) {
  EXPECT_EQ(FormatTimestampMs(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTimestampMs(1705322096789), "2024-01-15T12:34:56.789Z");
  EXPECT_EQ(FormatTimestampMs(1705322096007), "2024-01-15T12:34:56.007Z");
  EXPECT_EQ(FormatTimestampMs(86399999), "1970-01-01T23:59:59.999Z");
  EXPECT_EQ(FormatTimestampMs(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatTimestampMs(-86400000), "1969-12-31T00:00:00.000Z");
}

TEST(ParseTimestampMsTest, InvertsFormatting) {
  for (std::int64_t ms : {0LL, 1705322096789LL, 1705322096007LL, 951782400000LL, 4102444799999LL}) {
    auto parsed = ParseTimestampMs(FormatTimestampMs(ms));
    ASSERT_TRUE(parsed.has_value()) << ms;
    EXPECT_EQ(*parsed, ms);
  }
}

TEST(ParseTimestampMsTest, RejectsAnythingElse) {
  for (const char* bad : {"", "2024-01-15", "2024-01-15T12:34:56Z", "2024-01-15T12:34:56.789", "2024-01-15 12:34:56.789Z",
                          "2024-02-30T00:00:00.000Z", "2024-01-15T24:00:00.000Z", "2024-01-15T12:60:00.000Z",
                          "2024-01-15T12:34:6a.789Z"}) {
    EXPECT_FALSE(ParseTimestampMs(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace truthbyte
