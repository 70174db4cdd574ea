// What the files of the Api share and nothing outside http/ needs: the
// route table's entries, a request's context, and small writers of JSON
// text for the hot paths.
#pragma once

#include <charconv>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.h"
#include "http/api.h"

namespace truthbyte {

inline constexpr std::int64_t kHourSeconds = 3600;

// One entry of the route table: where it is served, who may call it and
// which store calls its handler makes.
struct Api::Route {
  enum class Access {
    kOpen,     // anyone; not counted
    kCounted,  // anyone; counted against the client address's limit
    kSession,  // anyone; counted against the sessions-per-address limit
    kUser,     // a player's access token
    kAdmin,    // an admin token
  };
  // The store calls the handler makes besides the token's session
  // (Store::MayBlock decides whether they may wait).
  enum class StoreUse { kNone, kRead, kWrite };

  std::string name;
  std::vector<std::string> paths;  // aliases included
  http::verb method;
  Handler handler;
  Access access;
  StoreUse store = StoreUse::kNone;
  // Whether `paths` are prefixes ("/assets/" serves "/assets/app.js").
  bool prefix = false;
  // For a route that writes only sometimes: whether this request will.
  bool (Api::*writes_when)(const HttpRequest&) const = nullptr;

  bool Serves(std::string_view path) const;
};

// One request as the handlers see it.
struct Api::Context {
  const HttpRequest& request;
  const std::string& client_ip;
  std::string request_id;
  std::int64_t now_ms = 0;
  std::size_t route = 0;
  bool routed = false;
  bool web = false;  // a web file, served outside the route table
  std::map<std::string, std::string> query;
  Caller caller;
  std::optional<RateDecision> rate;
};

inline CivilDate TodayFromMs(std::int64_t now_ms) { return CivilDate::FromUnixSeconds(now_ms / 1000); }

// The decimal digits of a number, without a string: for the response
// headers and bodies written on every request.
class Decimal {
 public:
  explicit Decimal(std::int64_t n)
      : size_(static_cast<std::size_t>(std::to_chars(digits_, digits_ + sizeof digits_, n).ptr - digits_)) {}
  std::string_view view() const { return {digits_, size_}; }

 private:
  char digits_[24];
  std::size_t size_;
};

inline void AppendNumber(std::string& out, std::int64_t n) { out += Decimal(n).view(); }

}  // namespace truthbyte
