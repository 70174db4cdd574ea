#include "http/static_files.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "core/sha256.h"
#include "core/text.h"
#include "http/gzip.h"

namespace truthbyte {
namespace {

// The URL of the file at `path` under web/ (see the constructor's contract).
std::string UrlPathOf(std::string_view path) {
  constexpr std::string_view kHtml = ".html";
  if (path == "index.html") return "/";
  if (path.size() > kHtml.size() && path.ends_with(kHtml)) path.remove_suffix(kHtml.size());
  std::string url;
  url.reserve(path.size() + 1);
  url += '/';
  url += path;
  return url;
}

// Text compresses; images that are already compressed formats do not.
bool Compressible(std::string_view content_type) {
  return content_type.substr(0, 5) == "text/" || content_type == "image/svg+xml" ||
         content_type == "application/json" || content_type == "application/manifest+json";
}

// Calls `each` with every comma-separated element of a header value,
// trimmed; empty elements are skipped.
template <typename F>
void ForEachListElement(std::string_view value, F each) {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    const std::string_view element = TrimWhitespace(value.substr(0, comma));
    if (!element.empty()) each(element);
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
  }
}

// Whether the q-value of an Accept-Encoding element's parameters ("q=0.5")
// is above 0; absent is 1, malformed is 0, so that garbage never enables a
// coding.
bool PositiveQ(std::string_view parameters) {
  while (!parameters.empty()) {
    const std::size_t semicolon = parameters.find(';');
    const std::string_view parameter = TrimWhitespace(parameters.substr(0, semicolon));
    parameters = semicolon == std::string_view::npos ? std::string_view() : parameters.substr(semicolon + 1);
    if (parameter.size() < 2 || (parameter[0] != 'q' && parameter[0] != 'Q') || parameter[1] != '=') continue;
    const std::string_view number = parameter.substr(2);
    // A q-value is 0 to 1 with at most three decimals: "0", "0.5", "1.000".
    if (number.empty() || (number[0] != '0' && number[0] != '1')) return false;
    for (char c : number.substr(1)) {
      if (c != '.' && (c < '0' || c > '9')) return false;
    }
    return number.find_first_not_of("0.") != std::string_view::npos;
  }
  return true;
}

}  // namespace

std::string_view ContentTypeOf(std::string_view path) {
  struct Type {
    std::string_view extension;
    std::string_view content_type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
  };
  const std::size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos) return "application/octet-stream";
  const std::string extension = ToLowerAscii(path.substr(dot));
  for (const Type& t : kTypes) {
    if (t.extension == extension) return t.content_type;
  }
  return "application/octet-stream";
}

bool AcceptsGzip(std::string_view accept_encoding) {
  std::optional<bool> gzip, any;
  ForEachListElement(accept_encoding, [&](std::string_view element) {
    const std::size_t semicolon = element.find(';');
    const std::string coding = ToLowerAscii(TrimWhitespace(element.substr(0, semicolon)));
    const bool q = semicolon == std::string_view::npos || PositiveQ(element.substr(semicolon + 1));
    if (coding == "gzip" || coding == "x-gzip") gzip = q;
    else if (coding == "*") any = q;
  });
  if (gzip) return *gzip;
  return any && *any;
}

bool IfNoneMatchMatches(std::string_view if_none_match, std::string_view etag) {
  if (TrimWhitespace(if_none_match) == "*") return true;
  bool match = false;
  ForEachListElement(if_none_match, [&](std::string_view tag) {
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    match = match || tag == etag;
  });
  return match;
}

StaticFiles::StaticFiles(std::span<const EmbeddedFile> files, StaticFilesOptions options) {
  files_.reserve(files.size());
  for (const EmbeddedFile& f : files) {
    StaticFile file;
    file.url_path = UrlPathOf(f.path);
    file.content_type = ContentTypeOf(f.path);
    file.content = f.content;
    // 128 bits of SHA-256: a strong validator that changes with any byte.
    const std::string hash = Sha256Hex(f.content).substr(0, 32);
    file.etag = "\"" + hash + "\"";
    if (GzipAvailable() && Compressible(file.content_type) && f.content.size() >= options.gzip_min_bytes) {
      auto gzip = Gzip(f.content);
      // Worth it only when it saves a tenth at least.
      if (gzip && gzip->size() * 10 < f.content.size() * 9) {
        file.gzip = std::move(*gzip);
        file.gzip_etag = "\"" + hash + "-gzip\"";
      }
    }
    files_.push_back(std::move(file));
  }
  std::sort(files_.begin(), files_.end(), [](const StaticFile& a, const StaticFile& b) { return a.url_path < b.url_path; });
  for (std::size_t i = 1; i < files_.size(); ++i) {
    if (files_[i].url_path == files_[i - 1].url_path)
      throw std::invalid_argument("two web files are served at " + files_[i].url_path);
  }
}

const StaticFile* StaticFiles::Find(std::string_view path) const {
  auto it = std::lower_bound(files_.begin(), files_.end(), path,
                             [](const StaticFile& f, std::string_view p) { return f.url_path < p; });
  return it != files_.end() && it->url_path == path ? &*it : nullptr;
}

HttpResponse StaticFiles::Respond(const StaticFile& file, const HttpRequest& request) const {
  auto header = [&](http::field name) {
    auto it = request.find(name);
    return it == request.end() ? std::string_view() : std::string_view(it->value().data(), it->value().size());
  };
  const bool gzip = !file.gzip.empty() && AcceptsGzip(header(http::field::accept_encoding));
  const std::string& etag = gzip ? file.gzip_etag : file.etag;

  const auto if_none_match = request.find(http::field::if_none_match);
  // Either representation's tag means the client holds the current bytes;
  // it gets the tag of the one it would be sent now.
  const bool fresh = if_none_match != request.end() &&
                     (IfNoneMatchMatches(header(http::field::if_none_match), file.etag) ||
                      (!file.gzip.empty() && IfNoneMatchMatches(header(http::field::if_none_match), file.gzip_etag)));

  HttpResponse r{fresh ? http::status::not_modified : http::status::ok, request.version()};
  r.set(http::field::etag, etag);
  r.set(http::field::cache_control, kCacheControl);
  if (!file.gzip.empty()) r.set(http::field::vary, "Accept-Encoding");
  r.set("Content-Security-Policy", kContentSecurityPolicy);
  r.set("Referrer-Policy", "no-referrer");
  r.set("X-Content-Type-Options", "nosniff");
  if (fresh) return r;
  r.set(http::field::content_type, file.content_type);
  if (gzip) {
    r.set(http::field::content_encoding, "gzip");
    r.body() = file.gzip;
  } else {
    r.body() = std::string(file.content);
  }
  return r;
}

}  // namespace truthbyte
