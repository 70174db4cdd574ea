// A progress bar for long operator commands: drawn on stderr when it is a
// terminal, silent on a pipe or a file.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace truthbyte::cli {

class ProgressBar {
 public:
  // `total` is in the same unit as Update's `done` (bytes for imports).
  ProgressBar(std::string label, std::uint64_t total);
  ~ProgressBar();
  // Redraws at most ten times a second; `items` is shown as a count.
  void Update(std::uint64_t done, std::uint64_t items);
  // Clears the bar's line.
  void Finish();
  bool enabled() const { return enabled_; }

 private:
  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace truthbyte::cli
