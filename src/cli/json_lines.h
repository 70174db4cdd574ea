// Reading the JSON Lines files operators import: line by line, a UTF-8
// byte-order mark and CRLF endings accepted, blank lines skipped.
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/text.h"

namespace truthbyte::cli {

// Calls on_line(text, line_number) for each non-blank line of `path`, and
// adds each line's bytes to `bytes_done` (for a progress bar); stops early
// when on_line returns a non-ok Status, which is returned. A file that
// cannot be read is kIoError.
template <typename OnLine>
Status ForEachJsonLine(const std::string& path, std::uint64_t& bytes_done, OnLine on_line) {
  static constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open " + path + ": " + std::strerror(errno));
  std::string line;
  std::uint64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    bytes_done += line.size() + 1;
    std::string_view text(line);
    if (line_no == 1 && text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (TrimWhitespace(text).empty()) continue;
    TB_RETURN_IF_ERROR(on_line(text, line_no));
  }
  if (in.bad()) return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace truthbyte::cli
