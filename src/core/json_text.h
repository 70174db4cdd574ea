// The text of a JSON value as TruthByte writes it: compact, and a string
// holding invalid UTF-8 (from a file or another tool's item) written with
// U+FFFD in place of the bad bytes instead of throwing.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace truthbyte {

template <typename Json>
std::string JsonText(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace truthbyte
