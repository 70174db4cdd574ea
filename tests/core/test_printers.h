// gtest printers for core value types, so that failures show readable values.
#pragma once

#include <ostream>

#include "core/civil_date.h"

namespace truthbyte {

inline void PrintTo(const CivilDate& d, std::ostream* os) { *os << d.ToString(); }

}  // namespace truthbyte
