#include "store/dynamodb/aws_sigv4.h"

#include <algorithm>
#include <cstdio>
#include <string_view>

#include "core/civil_date.h"
#include "core/sha256.h"
#include "core/text.h"

namespace truthbyte::aws {
namespace {

constexpr char kAlgorithm[] = "AWS4-HMAC-SHA256";

// RFC 3986 unreserved characters: the only bytes SigV4 leaves unencoded
// (besides '/' in paths).
bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

// Percent-encodes every byte except the unreserved ones (and '/' when
// `keep_slash`), with upper-case hex digits as SigV4 requires.
std::string UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out += ch;
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 0x0f];
    }
  }
  return out;
}

// The query's parameters decoded and re-encoded the one way SigV4 accepts,
// sorted by name and then by value (byte order). Sorting the pairs, not the
// joined "name=value" strings, matters: "Param" must precede "Param-3".
std::string CanonicalQueryString(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view param = query.substr(start, end - start);
    if (!param.empty()) {
      const std::size_t eq = param.find('=');
      const std::string_view name = param.substr(0, eq);
      const std::string_view value = eq == std::string_view::npos ? std::string_view() : param.substr(eq + 1);
      params.emplace_back(UriEncode(DecodePercentEscapes(name), false), UriEncode(DecodePercentEscapes(value), false));
    }
    start = end + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Trims both ends and turns every run of whitespace inside into one space
// (the spec's Trimall; folded multi-line values become one line).
std::string TrimAll(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (const char c : value) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

}  // namespace

std::string CanonicalRequest(const SignableRequest& request, const std::string& amz_date,
                             const std::string& security_token, std::string* signed_headers) {
  // (lower-case name, trimmed value) in the caller's order; the stable sort
  // below keeps repeated names' values in that order, as the spec requires.
  // host, x-amz-date and x-amz-security-token come from the arguments, so a
  // caller's copy of them is ignored rather than signed twice.
  std::vector<std::pair<std::string, std::string>> headers;
  headers.reserve(request.headers.size() + 3);
  headers.emplace_back("host", TrimAll(request.host));
  headers.emplace_back("x-amz-date", amz_date);
  if (!security_token.empty()) headers.emplace_back("x-amz-security-token", TrimAll(security_token));
  for (const auto& [name, value] : request.headers) {
    std::string lower = ToLowerAscii(TrimAll(name));
    if (lower == "host" || lower == "x-amz-date" || (lower == "x-amz-security-token" && !security_token.empty())) {
      continue;
    }
    headers.emplace_back(std::move(lower), TrimAll(value));
  }
  std::stable_sort(headers.begin(), headers.end(), [](const auto& a, const auto& b) { return a.first < b.first; });

  std::string canonical_headers;
  std::string names;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    if (i > 0 && headers[i].first == headers[i - 1].first) {
      canonical_headers.back() = ',';  // replaces the previous line's '\n'
    } else {
      if (!names.empty()) names += ';';
      names += headers[i].first;
      canonical_headers += headers[i].first;
      canonical_headers += ':';
    }
    canonical_headers += headers[i].second;
    canonical_headers += '\n';
  }

  // Services other than S3 sign the path encoded once more than it travels;
  // since `path` arrives URI-encoded, every '%' in it becomes "%25" here.
  std::string out;
  out += request.method;
  out += '\n';
  out += request.path.empty() ? std::string("/") : UriEncode(request.path, true);
  out += '\n';
  out += CanonicalQueryString(request.query);
  out += '\n';
  out += canonical_headers;
  out += '\n';
  out += names;
  out += '\n';
  out += Sha256Hex(request.payload);
  if (signed_headers != nullptr) *signed_headers = std::move(names);
  return out;
}

std::string StringToSign(const std::string& amz_date, const std::string& scope, const std::string& canonical_request) {
  std::string out = kAlgorithm;
  out += '\n';
  out += amz_date;
  out += '\n';
  out += scope;
  out += '\n';
  out += Sha256Hex(canonical_request);
  return out;
}

std::string SigningKeySignature(const std::string& secret_access_key, const std::string& date,
                                const std::string& region, const std::string& service,
                                const std::string& string_to_sign) {
  const std::string date_key = HmacSha256("AWS4" + secret_access_key, date);
  const std::string region_key = HmacSha256(date_key, region);
  const std::string service_key = HmacSha256(region_key, service);
  const std::string signing_key = HmacSha256(service_key, "aws4_request");
  const std::string signature = HmacSha256(signing_key, string_to_sign);
  return HexEncode(reinterpret_cast<const std::uint8_t*>(signature.data()), signature.size());
}

std::string AmzDate(std::int64_t unix_seconds) {
  const CivilDate date = CivilDate::FromUnixSeconds(unix_seconds);
  std::int64_t second_of_day = unix_seconds % 86400;
  if (second_of_day < 0) second_of_day += 86400;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d%02d%02dT%02d%02d%02dZ", date.year, date.month, date.day,
                static_cast<int>(second_of_day / 3600), static_cast<int>(second_of_day / 60 % 60),
                static_cast<int>(second_of_day % 60));
  return buffer;
}

SignedHeaders SignV4(const SignableRequest& request, const Credentials& credentials, const std::string& region,
                     const std::string& service, std::int64_t unix_seconds) {
  SignedHeaders out;
  out.amz_date = AmzDate(unix_seconds);
  out.security_token = credentials.session_token;
  const std::string date = out.amz_date.substr(0, 8);
  const std::string scope = date + "/" + region + "/" + service + "/aws4_request";
  std::string signed_headers;
  const std::string canonical = CanonicalRequest(request, out.amz_date, credentials.session_token, &signed_headers);
  const std::string signature = SigningKeySignature(credentials.secret_access_key, date, region, service,
                                                    StringToSign(out.amz_date, scope, canonical));
  out.authorization = std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" + scope +
                      ", SignedHeaders=" + signed_headers + ", Signature=" + signature;
  return out;
}

}  // namespace truthbyte::aws
