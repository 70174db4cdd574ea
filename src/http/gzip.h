// The gzip content coding (RFC 9110 8.4.1.3) of a whole body, for bodies
// compressed once and served many times.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace truthbyte {

// Whether this build can compress (it was built with zlib).
bool GzipAvailable();

// `data` as a gzip member at the best compression, or nothing when this
// build has no zlib or zlib fails.
std::optional<std::string> Gzip(std::string_view data);

}  // namespace truthbyte
