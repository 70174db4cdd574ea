#include "http/gzip.h"

#ifdef TRUTHBYTE_HAVE_ZLIB
#include <zlib.h>
#endif

namespace truthbyte {

#ifdef TRUTHBYTE_HAVE_ZLIB

bool GzipAvailable() { return true; }

std::optional<std::string> Gzip(std::string_view data) {
  z_stream stream{};
  // 15 + 16: the largest window, with a gzip header and trailer.
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return std::nullopt;
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  const std::size_t written = stream.total_out;
  deflateEnd(&stream);
  if (result != Z_STREAM_END) return std::nullopt;
  out.resize(written);
  return out;
}

#else

bool GzipAvailable() { return false; }

std::optional<std::string> Gzip(std::string_view) { return std::nullopt; }

#endif

}  // namespace truthbyte
