// The web files the server serves besides the API (the game at "/", the
// dashboard at "/admin", their scripts and styles): a path names an
// embedded file, answered with its content type, a strong ETag (304 to a
// matching If-None-Match), Cache-Control, gzip when the client accepts it
// and it pays, and the security headers (a strict Content-Security-Policy,
// Referrer-Policy, nosniff).
//
// Everything a response needs (ETags, compressed bodies) is computed once
// in the constructor; a StaticFiles is immutable afterwards and safe to
// use from any number of threads.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_message.h"

namespace truthbyte {

// A file carried by the binary: its path under web/ and its bytes, which
// must outlive every StaticFiles built over it.
struct EmbeddedFile {
  std::string_view path;     // "index.html", "assets/game.js"
  std::string_view content;
};

struct StaticFilesOptions {
  // Smaller files are sent as they are: below about a kilobyte the gzip
  // header and trailer and the client's inflating cost more than they save.
  std::size_t gzip_min_bytes = 1024;
};

// One servable file with what its responses carry.
struct StaticFile {
  std::string url_path;           // "/", "/admin", "/assets/game.js"
  std::string_view content_type;  // "text/html; charset=utf-8", ...
  std::string_view content;
  std::string etag;       // strong, quoted: a hash of `content`
  std::string gzip;       // the gzip coding of `content`; empty when not worth it
  std::string gzip_etag;  // the ETag of the gzip representation
};

class StaticFiles {
 public:
  // The policy of every static response: the pages load scripts, styles
  // and images from their own origin only, talk to their own origin only,
  // run no inline code and cannot be framed.
  static constexpr std::string_view kContentSecurityPolicy =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
      "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  // HTML is revalidated on every load so that a new version shows at once;
  // the asset URLs carry no version, so assets are revalidated too (a 304
  // costs a round trip, not the bytes).
  static constexpr std::string_view kCacheControl = "no-cache";

  // URLs: "index.html" is served at "/", another "<name>.html" at
  // "/<name>" (no ".html" URL, so each page has one address), any other
  // file at "/" + its path. REQUIRES: no two files map to one URL.
  explicit StaticFiles(std::span<const EmbeddedFile> files, StaticFilesOptions options = {});

  // The file served at `path` (a target without its query), or null.
  const StaticFile* Find(std::string_view path) const;

  // The answer to a GET (or HEAD: the caller drops the body) of `file`:
  // 304 when If-None-Match names its current ETag, else 200 with the body,
  // gzip-coded when the request's Accept-Encoding takes gzip and a gzip
  // representation exists. Content-Length is left to the caller.
  HttpResponse Respond(const StaticFile& file, const HttpRequest& request) const;

  const std::vector<StaticFile>& files() const { return files_; }

 private:
  std::vector<StaticFile> files_;  // sorted by url_path
};

// The Content-Type of a file by its extension; application/octet-stream
// when unknown.
std::string_view ContentTypeOf(std::string_view path);

// Whether an Accept-Encoding value accepts gzip (RFC 9110 12.5.3): listed,
// or covered by "*", with a q-value above 0.
bool AcceptsGzip(std::string_view accept_encoding);

// Whether an If-None-Match value matches `etag` ("*", or one of its entity
// tags under the weak comparison the header uses).
bool IfNoneMatchMatches(std::string_view if_none_match, std::string_view etag);

}  // namespace truthbyte
