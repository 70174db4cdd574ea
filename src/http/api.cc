#include "http/api.h"

#include <atomic>
#include <chrono>
#include <exception>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/text.h"
#include "http/api_internal.h"
#include "http/error_status.h"
#include "http/request_parsing.h"

namespace truthbyte {
namespace {

// "<prefix>-<n in hex>": unique within the process, and short.
std::string RequestId(const std::string& prefix, std::uint64_t n) {
  char hex[17];
  const auto end = std::to_chars(hex, hex + sizeof hex, n, 16).ptr;
  std::string id;
  id.reserve(prefix.size() + 1 + static_cast<std::size_t>(end - hex));
  id += prefix;
  id += '-';
  id.append(hex, end);
  return id;
}

}  // namespace

Api::Api(ApiOptions options, Services services, std::function<std::int64_t()> clock_ms)
    : options_(std::move(options)),
      services_(services),
      clock_ms_(std::move(clock_ms)),
      routes_(RouteTable()),
      metrics_([&] {
        std::vector<std::string> names;
        for (const Route& r : routes_) names.push_back(r.name);
        names.push_back("unrouted");
        names.push_back("web");
        return names;
      }()) {}

Api::~Api() = default;

std::optional<std::size_t> Api::FindRoute(std::string_view target) const {
  // An exact path wins over a prefix ("/" for static files would cover
  // everything), and a longer prefix over a shorter one.
  const std::string_view path = target.substr(0, target.find('?'));
  std::optional<std::size_t> best;
  std::size_t best_length = 0;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const Route& r = routes_[i];
    if (!r.Serves(path)) continue;
    if (!r.prefix) return i;
    for (const std::string& p : r.paths) {
      if (path.substr(0, p.size()) == p && (!best || p.size() > best_length)) {
        best = i;
        best_length = p.size();
      }
    }
  }
  return best;
}

const StaticFile* Api::FindWebFile(std::string_view target) const {
  const std::string_view path = target.substr(0, target.find('?'));
  // /v1/ is the API's alone, whatever web/ holds.
  if (!services_.web || path.substr(0, 4) == "/v1/") return nullptr;
  return services_.web->Find(path);
}

bool Api::Blocks(const HttpRequest& request) const {
  if (request.method() == http::verb::options) return false;
  const std::string_view target(request.target().data(), request.target().size());
  const auto found = FindRoute(target);
  // A web file is in memory and not counted.
  if (!found && FindWebFile(target)) return false;
  // An unrouted request is counted against its address's limit.
  if (!found) return services_.limiter->MayBlock();
  const Route& r = routes_[*found];
  if (r.access != Route::Access::kOpen && services_.limiter->MayBlock()) return true;
  const Store& store = *services_.store;
  // A token's session is read from the store until it is cached, and bound
  // to its user (a write) at its first use.
  const bool token = r.access == Route::Access::kUser || r.access == Route::Access::kAdmin;
  if (token && store.MayBlock(Store::Call::kRequestRead)) return true;
  if (token) {
    const auto authorization = request.find(http::field::authorization);
    if (authorization != request.end() &&
        services_.auth->MayBind(std::string_view(authorization->value().data(), authorization->value().size())))
      return store.MayBlock(Store::Call::kWrite);
  }
  if (r.writes_when && (this->*r.writes_when)(request)) return store.MayBlock(Store::Call::kWrite);
  switch (r.store) {
    case Route::StoreUse::kNone: return false;
    case Route::StoreUse::kRead: return store.MayBlock(Store::Call::kRequestRead);
    case Route::StoreUse::kWrite: return store.MayBlock(Store::Call::kWrite);
  }
  return true;
}

HttpResponse Api::Handle(const HttpRequest& request, const std::string& client_ip) {
  static std::atomic<std::uint64_t> counter{0};
  static const std::string prefix = RandomHex(4);
  const auto start = std::chrono::steady_clock::now();
  Context ctx{request, client_ip, RequestId(prefix, counter.fetch_add(1)), clock_ms_(), 0, false, false, {}, {}, {}};
  HttpResponse response;
  // No exception ends the server: whatever a handler, a service or a store
  // throws is a 500 here, logged with the request id, nothing internal sent.
  try {
    response = Dispatch(ctx);
  } catch (const std::exception& e) {
    response = Error(ctx, ServiceError::Internal(std::string("exception: ") + e.what()));
  } catch (...) {
    response = Error(ctx, ServiceError::Internal("exception: an unknown exception"));
  }
  Finish(ctx, response);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::size_t endpoint = ctx.routed ? ctx.route : ctx.web ? routes_.size() + 1 : routes_.size();
  metrics_.Record(endpoint, static_cast<int>(response.result_int()), seconds);
  return response;
}

HttpResponse Api::Dispatch(Context& ctx) {
  const std::string_view target(ctx.request.target().data(), ctx.request.target().size());
  const auto question_mark = target.find('?');
  const std::string_view path = target.substr(0, question_mark);

  if (const auto route = FindRoute(target)) {
    ctx.route = *route;
    ctx.routed = true;
  }
  const std::int64_t now = ctx.now_ms / 1000;
  auto counted = [&] { ctx.rate = services_.limiter->Hit("ip:" + ctx.client_ip, options_.user_limit, kHourSeconds, now); };

  if (!ctx.routed) {
    if (const StaticFile* file = FindWebFile(target)) {
      ctx.web = true;
      return WebFile(ctx, *file);
    }
    counted();
    return Error(ctx, ServiceError::NotFound("no such endpoint"));
  }
  const Route& route = routes_[ctx.route];

  if (ctx.request.method() == http::verb::options) {
    ctx.rate = services_.limiter->Peek("ip:" + ctx.client_ip, options_.user_limit, kHourSeconds, now);
    const auto origin = ctx.request.find(http::field::origin);
    const std::string origin_value = origin == ctx.request.end() ? "" : std::string(origin->value());
    bool allowed = false;
    for (const std::string& o : options_.cors_origins) allowed = allowed || o == "*" || o == origin_value;
    if (!allowed) return Error(ctx, ServiceError::Of(ErrorCode::kForbidden, "origin not allowed"));
    HttpResponse r{http::status::no_content, ctx.request.version()};
    r.set(http::field::access_control_allow_methods, "GET, POST, OPTIONS");
    r.set(http::field::access_control_allow_headers, "Content-Type, Authorization, X-User-ID");
    r.set(http::field::access_control_max_age, "600");
    return r;
  }
  const bool head_of_get = ctx.request.method() == http::verb::head && route.method == http::verb::get;
  if (ctx.request.method() != route.method && !head_of_get) {
    counted();
    HttpResponse r = Error(ctx, ServiceError::Of(ErrorCode::kMethodNotAllowed,
                                                 fmt::format("use {} for {}", http::to_string(route.method),
                                                             std::string(path))));
    r.set(http::field::allow, std::string(http::to_string(route.method)) + ", OPTIONS");
    return r;
  }

  if (question_mark != std::string_view::npos) {
    auto query = ParseQuery(target.substr(question_mark + 1));
    if (!query.ok()) {
      counted();
      return Error(ctx, query.error());
    }
    ctx.query = std::move(*query);
  }

  switch (route.access) {
    case Route::Access::kOpen:
      ctx.rate = services_.limiter->Peek("ip:" + ctx.client_ip, options_.user_limit, kHourSeconds, now);
      break;
    case Route::Access::kCounted:
      counted();
      if (!ctx.rate->allowed) return Error(ctx, ServiceError::RateLimited("too many requests", ctx.rate->reset - now));
      break;
    case Route::Access::kSession:
      ctx.rate = services_.limiter->Hit("session:" + ctx.client_ip, options_.session_limit, kHourSeconds, now);
      if (!ctx.rate->allowed)
        return Error(ctx, ServiceError::RateLimited("too many sessions from this address", ctx.rate->reset - now));
      break;
    case Route::Access::kUser:
    case Route::Access::kAdmin: {
      auto header = [&](std::string_view name) {
        auto it = ctx.request.find(name);
        return it == ctx.request.end() ? std::string_view() : std::string_view(it->value().data(), it->value().size());
      };
      auto caller = services_.auth->Authenticate(header("Authorization"), header("X-User-ID"), now);
      if (!caller.ok()) {
        counted();
        return Error(ctx, caller.error());
      }
      ctx.caller = std::move(*caller);
      ctx.rate = services_.limiter->Hit("user:" + ctx.caller.user_id, options_.user_limit, kHourSeconds, now);
      if (!ctx.rate->allowed) return Error(ctx, ServiceError::RateLimited("too many requests", ctx.rate->reset - now));
      if (route.access == Route::Access::kAdmin && !ctx.caller.admin)
        return Error(ctx, ServiceError::Of(ErrorCode::kForbidden, "this endpoint needs an admin token"));
      // Admin tokens moderate; they do not play (they belong to no player).
      if (route.access == Route::Access::kUser && ctx.caller.admin && route.handler != &Api::AuthPing)
        return Error(ctx, ServiceError::Of(ErrorCode::kForbidden, "admin tokens cannot be used to play"));
      break;
    }
  }
  return (this->*route.handler)(ctx);
}

void Api::Finish(Context& ctx, HttpResponse& r) {
  if (ctx.rate) {
    r.set("X-RateLimit-Limit", Decimal(ctx.rate->limit).view());
    r.set("X-RateLimit-Remaining", Decimal(ctx.rate->remaining).view());
    r.set("X-RateLimit-Reset", Decimal(ctx.rate->reset).view());
  }
  r.set("X-Request-ID", ctx.request_id);
  const auto origin = ctx.request.find(http::field::origin);
  if (origin != ctx.request.end()) {
    const std::string value(origin->value());
    for (const std::string& o : options_.cors_origins) {
      if (o == "*" || o == value) {
        r.set(http::field::access_control_allow_origin, o == "*" ? "*" : value);
        // Added to a Vary the response has (a web file's Accept-Encoding).
        const auto vary = r.find(http::field::vary);
        r.set(http::field::vary, vary == r.end() ? std::string("Origin") : std::string(vary->value()) + ", Origin");
        r.set(http::field::access_control_expose_headers,
              "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, X-Request-ID");
        break;
      }
    }
  }
  r.set(http::field::server, "truthbyte");
  // User text travels as JSON: no browser may sniff a reply into HTML.
  r.set("X-Content-Type-Options", "nosniff");
  r.keep_alive(ctx.request.keep_alive());
  r.prepare_payload();
  // A 304 has no content; a Content-Length would have to be the 200's.
  if (r.result() == http::status::not_modified) r.erase(http::field::content_length);
  // A HEAD response has the headers of the GET response and no content.
  if (ctx.request.method() == http::verb::head) r.body().clear();
}

HttpResponse Api::WebFile(Context& ctx, const StaticFile& file) {
  const http::verb method = ctx.request.method();
  if (method != http::verb::get && method != http::verb::head) {
    HttpResponse r = Error(ctx, ServiceError::Of(ErrorCode::kMethodNotAllowed, "use GET for " + file.url_path));
    r.set(http::field::allow, "GET, HEAD");
    return r;
  }
  return services_.web->Respond(file, ctx.request);
}

HttpResponse Api::Json(Context& ctx, int status, std::string body) {
  HttpResponse r{static_cast<http::status>(status), ctx.request.version()};
  r.set(http::field::content_type, "application/json");
  r.body() = std::move(body);
  return r;
}

HttpResponse Api::Error(Context& ctx, const ServiceError& e) {
  if (e.own_limit > 0) ctx.rate = RateDecision{false, e.own_limit, 0, e.own_limit_reset};
  nlohmann::ordered_json body;
  body["success"] = false;
  body["error"] = e.message;
  body["error_code"] = ErrorCodeName(e.code);
  body["request_id"] = ctx.request_id;
  if (!e.details.empty()) body["details"] = e.details;
  if (!e.internal_detail.empty())
    fmt::print(stderr, "truthbyte: request {} failed: {}\n", ctx.request_id, e.internal_detail);
  HttpResponse r = Json(ctx, HttpStatusOf(e.code), JsonText(body));
  if (e.code == ErrorCode::kRateLimited)
    r.set(http::field::retry_after, std::to_string(std::max<std::int64_t>(1, e.retry_after)));
  return r;
}

HttpResponse Api::ErrorResponse(ErrorCode code, const std::string& message, const HttpRequest& partial,
                                const std::string& client_ip) {
  HttpRequest request = partial;  // headers only; the body was refused
  request.body().clear();
  request.keep_alive(false);
  Context ctx{request, client_ip, "conn-" + RandomHex(4), clock_ms_(), 0, false, false, {}, {}, {}};
  ctx.rate = services_.limiter->Peek("ip:" + client_ip, options_.user_limit, kHourSeconds, ctx.now_ms / 1000);
  HttpResponse r = Error(ctx, ServiceError::Of(code, message));
  Finish(ctx, r);
  metrics_.Record(routes_.size(), HttpStatusOf(code), 0);
  return r;
}

std::optional<double> Api::Reliability(const std::string& user_id) const {
  if (!services_.crowd) return std::nullopt;
  auto snapshot = services_.crowd->Current();
  return snapshot ? snapshot->Reliability(user_id) : std::nullopt;
}

std::vector<Api::Endpoint> Api::Endpoints() const {
  std::vector<Endpoint> out;
  for (const Route& r : routes_) {
    const bool token = r.access == Route::Access::kUser || r.access == Route::Access::kAdmin;
    for (const std::string& path : r.paths)
      out.push_back({std::string(http::to_string(r.method)), path, r.name, token, r.prefix});
  }
  return out;
}

}  // namespace truthbyte
