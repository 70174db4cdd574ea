// Calendar dates (proleptic Gregorian, UTC) and timestamps, as pure values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace truthbyte {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31

  // Parses exactly "YYYY-MM-DD" (years 0001-9999) and rejects impossible
  // dates such as 2023-02-29.
  static std::optional<CivilDate> Parse(std::string_view text);
  // The UTC date containing `unix_seconds`.
  static CivilDate FromUnixSeconds(std::int64_t unix_seconds);
  static CivilDate FromDays(std::int64_t days_since_epoch);

  std::int64_t DaysSinceEpoch() const;
  CivilDate AddDays(std::int64_t days) const { return FromDays(DaysSinceEpoch() + days); }
  std::string ToString() const;  // "YYYY-MM-DD"

  friend bool operator==(const CivilDate&, const CivilDate&) = default;
  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);

// "2024-01-15T12:34:56.789Z" for a time in milliseconds since the epoch.
std::string FormatTimestampMs(std::int64_t unix_ms);
// The inverse of FormatTimestampMs ("YYYY-MM-DDTHH:MM:SS.mmmZ"); nullopt for
// anything else.
std::optional<std::int64_t> ParseTimestampMs(std::string_view text);

}  // namespace truthbyte
