// Reading the JSON Lines files operators import: line by line, a UTF-8
// byte-order mark and CRLF endings accepted, blank lines skipped.
#pragma once

#include <sys/stat.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/text.h"

namespace truthbyte::cli {

// Calls on_line(text, line_number) for each non-blank line of `path`, and
// adds each line's bytes to `bytes_done` (for a progress bar); stops early
// when on_line returns a non-ok Status, which is returned. A file that
// cannot be read is kIoError.
// The total size of `files`, checked before anything is written: kIoError
// naming the first that cannot be opened or is a directory.
inline Result<std::uint64_t> ImportableBytes(const std::vector<std::string>& files) {
  std::uint64_t total = 0;
  for (const std::string& path : files) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return Status::IoError("cannot open " + path + ": " + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) return Status::IoError("cannot import " + path + ": it is a directory");
    total += static_cast<std::uint64_t>(st.st_size);
  }
  return total;
}

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
