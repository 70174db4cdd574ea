#include "http/api.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <iterator>
#include <map>
#include <optional>

#include <fmt/core.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/civil_date.h"
#include "core/json_text.h"
#include "core/record_json.h"
#include "core/text.h"
#include "core/proposal.h"
#include "http/error_status.h"
#include "http/openapi.h"

namespace truthbyte {
namespace {

constexpr std::int64_t kHourSeconds = 3600;
constexpr int kMaxJsonDepth = 32;

// Decodes application/x-www-form-urlencoded text; nullopt on a bad escape or
// invalid UTF-8.
std::optional<std::string> PercentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      const int hi = HexDigitValue(in[i + 1]), lo = HexDigitValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  if (!IsValidUtf8(out)) return std::nullopt;
  return out;
}

// The JSON nesting depth of `body`, counting brackets outside strings; the
// parser recurses, so depth is bounded before parsing.
int JsonDepth(std::string_view body) {
  int depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') max_depth = std::max(max_depth, ++depth);
    else if (c == ']' || c == '}') --depth;
  }
  return max_depth;
}

std::string JsonString(const std::string& s) {
  // Printable ASCII but '"' and '\\' is written as it is (the common case,
  // a category name on every fetch); anything else through nlohmann, which
  // escapes and replaces invalid UTF-8.
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  if (plain) return '"' + s + '"';
  return JsonText(nlohmann::json(s));
}

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

void AppendNumber(std::string& out, std::int64_t n) { out += Decimal(n).view(); }

}  // namespace

struct Api::Route {
  std::string name;
  std::vector<std::string> paths;
  http::verb method;
  Handler handler;
  enum class Access { kOpen, kCounted, kSession, kUser, kAdmin } access;
  // Whether the handler may wait on the store: for a commit, or for the
  // lock a commit holds (see Api::Blocks).
  bool waits = false;
};

struct Api::Context {
  const HttpRequest& request;
  const std::string& client_ip;
  std::string request_id;
  std::int64_t now_ms = 0;
  std::size_t route = 0;
  bool routed = false;
  std::map<std::string, std::string> query;
  Caller caller;
  std::optional<RateDecision> rate;
};

Api::Api(ApiOptions options, Services services, std::function<std::int64_t()> clock_ms)
    : options_(std::move(options)),
      services_(services),
      clock_ms_(std::move(clock_ms)),
      routes_({
          {"session", {"/v1/session"}, http::verb::get, &Api::Session, Route::Access::kSession, true},
          {"refresh", {"/v1/refresh"}, http::verb::post, &Api::Refresh, Route::Access::kCounted, true},
          {"auth-ping", {"/v1/auth-ping", "/v1/ping"}, http::verb::get, &Api::AuthPing, Route::Access::kUser},
          {"fetch-questions", {"/v1/fetch-questions"}, http::verb::get, &Api::FetchQuestions, Route::Access::kUser},
          {"submit-answers", {"/v1/submit-answers"}, http::verb::post, &Api::SubmitAnswers, Route::Access::kUser, true},
          {"categories", {"/v1/categories", "/v1/get-categories"}, http::verb::get, &Api::Categories,
           Route::Access::kCounted},
          {"fetch-daily-questions", {"/v1/fetch-daily-questions"}, http::verb::get, &Api::FetchDaily,
           Route::Access::kUser},
          {"submit-daily-answers", {"/v1/submit-daily-answers"}, http::verb::post, &Api::SubmitDaily,
           Route::Access::kUser, true},
          {"user", {"/v1/user"}, http::verb::get, &Api::UserProfile, Route::Access::kUser},
          {"propose-question", {"/v1/propose-question"}, http::verb::post, &Api::ProposeQuestion, Route::Access::kUser, true},
          {"user-submissions", {"/v1/user-submissions"}, http::verb::get, &Api::UserSubmissions, Route::Access::kUser, true},
          {"moderation-queue", {"/v1/moderation-queue"}, http::verb::get, &Api::ModerationQueue, Route::Access::kAdmin, true},
          {"approve-question", {"/v1/approve-question"}, http::verb::post, &Api::ApproveQuestion, Route::Access::kAdmin, true},
          {"health", {"/health"}, http::verb::get, &Api::Health, Route::Access::kOpen},
          {"ready", {"/ready"}, http::verb::get, &Api::Ready, Route::Access::kOpen, true},
          {"metrics", {"/metrics"}, http::verb::get, &Api::MetricsText, Route::Access::kOpen},
          {"openapi", {"/v1/openapi.json"}, http::verb::get, &Api::OpenApi, Route::Access::kOpen},
      }),
      metrics_([&] {
        std::vector<std::string> names;
        for (const Route& r : routes_) names.push_back(r.name);
        names.push_back("unrouted");
        return names;
      }()) {}

Api::~Api() = default;

// ---- Request plumbing -------------------------------------------------------

std::optional<std::size_t> Api::FindRoute(std::string_view target) const {
  const std::string_view path = target.substr(0, target.find('?'));
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    for (const std::string& p : routes_[i].paths) {
      if (p == path) return i;
    }
  }
  return std::nullopt;
}

bool Api::Blocks(const HttpRequest& request) const {
  if (request.method() == http::verb::options) return false;
  const auto route = FindRoute(std::string_view(request.target().data(), request.target().size()));
  if (!route) return false;
  const Route& r = routes_[*route];
  return r.waits || (options_.remote_store && r.access != Route::Access::kOpen);
}

HttpResponse Api::Handle(const HttpRequest& request, const std::string& client_ip) {
  static std::atomic<std::uint64_t> counter{0};
  static const std::string prefix = RandomHex(4);
  const auto start = std::chrono::steady_clock::now();
  Context ctx{request, client_ip, RequestId(prefix, counter.fetch_add(1)), clock_ms_(), 0, false, {}, {}, {}};
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
  metrics_.Record(ctx.routed ? ctx.route : routes_.size(), static_cast<int>(response.result_int()), seconds);
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
    std::string_view rest = target.substr(question_mark + 1);
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      const std::string_view pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      if (pair.empty()) continue;
      const auto eq = pair.find('=');
      auto key = PercentDecode(pair.substr(0, eq));
      auto value = PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
      if (!key || !value) {
        counted();
        return Error(ctx, ServiceError::InvalidParameter("the query string is not valid UTF-8 form encoding"));
      }
      ctx.query.emplace(std::move(*key), std::move(*value));
    }
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
        r.set(http::field::vary, "Origin");
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
  // A HEAD response has the headers of the GET response and no content.
  if (ctx.request.method() == http::verb::head) r.body().clear();
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
  if (e.code == ErrorCode::kRateLimited) r.set(http::field::retry_after, std::to_string(std::max<std::int64_t>(1, e.retry_after)));
  return r;
}

HttpResponse Api::ErrorResponse(ErrorCode code, const std::string& message,
                                const HttpRequest& partial, const std::string& client_ip) {
  HttpRequest request = partial;  // headers only; the body was refused
  request.body().clear();
  request.keep_alive(false);
  Context ctx{request, client_ip, "conn-" + RandomHex(4), clock_ms_(), 0, false, {}, {}, {}};
  ctx.rate = services_.limiter->Peek("ip:" + client_ip, options_.user_limit, kHourSeconds, ctx.now_ms / 1000);
  HttpResponse r = Error(ctx, ServiceError::Of(code, message));
  Finish(ctx, r);
  metrics_.Record(routes_.size(), HttpStatusOf(code), 0);
  return r;
}

namespace {

// A parsed JSON request body or the 400 that explains why not.
Outcome<nlohmann::json> ParseBody(const std::string& body) {
  if (TrimWhitespace(body).empty()) return ServiceError::Of(ErrorCode::kInvalidJson, "a JSON body is required");
  if (JsonDepth(body) > kMaxJsonDepth)
    return ServiceError::Of(ErrorCode::kInvalidJson, "the JSON body is nested too deeply");
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) {
    return ServiceError::Of(ErrorCode::kInvalidJson, IsValidUtf8(body) ? "the body is not valid JSON"
                                                                      : "the body is not valid UTF-8");
  }
  return j;
}

// An integer query parameter within [min, max], or the default when absent.
Outcome<int> IntParam(const std::map<std::string, std::string>& query, const std::string& name, int min, int max,
                      int fallback) {
  auto it = query.find(name);
  if (it == query.end() || it->second.empty()) return fallback;
  const std::string& v = it->second;
  const bool digits = v.size() <= 9 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
  const int n = digits ? std::stoi(v) : -1;
  if (!digits || n < min || n > max)
    return ServiceError::InvalidParameter(fmt::format("{} must be an integer from {} to {}", name, min, max));
  return n;
}

// Reads answers from a JSON list; collects every problem. The token decides
// who answers: an answer's optional user_id must name the caller, as their
// user id or as their token's session id (the deployed client sends its
// session id there).
Outcome<std::vector<AnswerInput>> ReadAnswers(const nlohmann::json& list, const Caller& caller, std::int64_t now_ms) {
  if (!list.is_array()) return ServiceError::Of(ErrorCode::kValidationFailed, "answers must be a list");
  if (list.empty() || list.size() > kMaxAnswersPerRequest)
    return ServiceError::Of(ErrorCode::kValidationFailed,
                                    fmt::format("send 1 to {} answers", kMaxAnswersPerRequest));
  std::vector<AnswerInput> out;
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const nlohmann::json& a = list[i];
    const std::string where = fmt::format("answers[{}]", i);
    if (!a.is_object()) {
      problems.push_back(where + " must be an object");
      continue;
    }
    AnswerInput in;
    auto qid = a.find("question_id");
    if (qid == a.end() || !qid->is_string() || qid->get_ref<const std::string&>().empty() ||
        qid->get_ref<const std::string&>().size() > 128) {
      problems.push_back(where + ".question_id must be a non-empty string");
    } else {
      in.question_id = qid->get<std::string>();
    }
    auto answer = a.find("answer");
    if (answer == a.end() || !answer->is_boolean()) {
      problems.push_back(where + ".answer must be true or false");
    } else {
      in.answer = answer->get<bool>();
    }
    auto ts = a.find("timestamp");
    if (ts == a.end() || ts->is_null()) {
      in.timestamp = static_cast<double>(now_ms) / 1000.0;
    } else if (!ts->is_number() || ts->get<double>() < 0 || ts->get<double>() > 1e13) {
      problems.push_back(where + ".timestamp must be a non-negative number");
    } else {
      in.timestamp = ts->get<double>();
    }
    auto rt = a.find("response_time_ms");
    if (rt != a.end() && !rt->is_null()) {
      if (!rt->is_number() || rt->get<double>() < 0 || rt->get<double>() > 86400000.0) {
        problems.push_back(where + ".response_time_ms must be a number of milliseconds up to a day");
      } else {
        in.response_time_ms = static_cast<std::int64_t>(rt->get<double>());
      }
    }
    auto uid = a.find("user_id");
    if (uid != a.end() && !uid->is_null()) {
      if (!uid->is_string()) {
        problems.push_back(where + ".user_id must be a string");
      } else if (const std::string& named = uid->get_ref<const std::string&>();
                 named != caller.session_id && ToLowerAscii(named) != caller.user_id) {
        return ServiceError::Of(ErrorCode::kUserMismatch, where + ".user_id is not the authenticated user");
      }
    }
    out.push_back(std::move(in));
  }
  if (!problems.empty()) {
    return ServiceError::Of(ErrorCode::kValidationFailed, "some answers are not valid", std::move(problems));
  }
  return out;
}

CivilDate TodayFromMs(std::int64_t now_ms) { return CivilDate::FromUnixSeconds(now_ms / 1000); }

// The `date` parameter: a real date, not in the future; today when absent.
Outcome<CivilDate> DateParam(const std::optional<std::string>& text, const CivilDate& today) {
  if (!text || text->empty()) return today;
  auto date = CivilDate::Parse(*text);
  if (!date) return ServiceError::InvalidParameter("date must be a real date as YYYY-MM-DD");
  if (*date > today) return ServiceError::InvalidParameter("date must not be in the future");
  return *date;
}

nlohmann::ordered_json ProfileJson(const PlayerProfile& profile) {
  const User& u = profile.user;
  nlohmann::ordered_json j;
  j["user_id"] = u.user_id;
  j["trust_score"] = profile.trust_score;
  j["created_at"] = u.created_at.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(u.created_at);
  j["last_active"] = u.last_active.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(u.last_active);
  nlohmann::ordered_json progress = nlohmann::ordered_json::object();
  for (const auto& [date, p] : u.daily_progress) progress[date] = DailyProgressToJson(p);
  j["daily_progress"] = std::move(progress);
  j["current_daily_streak"] = profile.current_streak;
  j["best_daily_streak"] = profile.best_streak;
  j["total_answers"] = u.total_answers;
  j["correct_answers"] = u.correct_answers;
  return j;
}

std::string Dump(const nlohmann::ordered_json& j) {
  return JsonText(j);
}

// The token response of /v1/session (with the refresh token) and
// /v1/refresh (without one).
std::string GrantJson(const SessionGrant& grant, bool with_refresh_token) {
  nlohmann::ordered_json j;
  j["access_token"] = grant.access_token;
  if (with_refresh_token) j["refresh_token"] = grant.refresh_token;
  j["token_type"] = "Bearer";
  j["expires_in"] = grant.expires_in;
  j["token"] = grant.access_token;
  j["session_id"] = grant.session_id;
  j["user_id"] = grant.user_id.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(grant.user_id);
  return Dump(j);
}

}  // namespace

std::string FetchQuestionsBody(const FetchedQuestions& fetched, const std::string& category, int difficulty,
                               int requested_count, bool debug) {
  std::string body;
  body.reserve(1024 * fetched.question_json.size() + 128);
  body += "{\"questions\":[";
  for (std::size_t i = 0; i < fetched.question_json.size(); ++i) {
    if (i) body += ',';
    body += fetched.question_json[i];
  }
  body += "],\"count\":";
  AppendNumber(body, static_cast<std::int64_t>(fetched.question_json.size()));
  body += ",\"category\":";
  body += JsonString(category);
  body += ",\"difficulty\":";
  if (difficulty) AppendNumber(body, difficulty); else body += "null";
  body += ",\"requested_count\":";
  AppendNumber(body, requested_count);
  if (debug) {
    body += fmt::format(",\"debug_info\":{{\"strategy\":\"{}\",\"catalog_version\":{},\"catalog_questions\":{}}}",
                        fetched.strategy, fetched.snapshot->version, fetched.snapshot->entries.size());
  }
  body += '}';
  return body;
}

// ---- Handlers ---------------------------------------------------------------

HttpResponse Api::Session(Context& ctx) {
  auto it = ctx.request.find("X-User-ID");
  const std::string user = it == ctx.request.end() ? std::string() : std::string(it->value());
  auto grant = services_.auth->CreateSession(ctx.client_ip, user, ctx.now_ms / 1000);
  if (!grant.ok()) return Error(ctx, grant.error());
  return Json(ctx, 200, GrantJson(*grant, /*with_refresh_token=*/true));
}

HttpResponse Api::Refresh(Context& ctx) {
  auto body = ParseBody(ctx.request.body());
  if (!body.ok()) return Error(ctx, body.error());
  const nlohmann::json& j = *body;
  if (!j.is_object() || !j.contains("refresh_token") || !j["refresh_token"].is_string())
    return Error(ctx, ServiceError::Of(ErrorCode::kValidationFailed, "refresh_token (a string) is required"));
  auto grant = services_.auth->Refresh(j["refresh_token"].get<std::string>(), ctx.now_ms / 1000);
  if (!grant.ok()) return Error(ctx, grant.error());
  return Json(ctx, 200, GrantJson(*grant, /*with_refresh_token=*/false));
}

HttpResponse Api::AuthPing(Context& ctx) {
  nlohmann::ordered_json j;
  j["valid"] = true;
  j["payload"] = ctx.caller.token_payload ? *ctx.caller.token_payload : nlohmann::json::object();
  j["user_id"] = ctx.caller.user_id;
  j["message"] = "the token is valid";
  return Json(ctx, 200, Dump(j));
}

HttpResponse Api::FetchQuestions(Context& ctx) {
  auto given = [&](const char* key) { auto it = ctx.query.find(key); return it != ctx.query.end() && !it->second.empty(); };
  auto count_param = given("num_questions") ? "num_questions" : "count";
  auto count = IntParam(ctx.query, count_param, 1, kMaxFetchQuestions, kDefaultFetchQuestions);
  if (!count.ok()) return Error(ctx, count.error());
  auto difficulty = IntParam(ctx.query, "difficulty", 1, 5, 0);
  if (!difficulty.ok()) return Error(ctx, difficulty.error());
  std::string category = "general";
  if (auto it = ctx.query.find("category"); it != ctx.query.end() && !TrimWhitespace(it->second).empty())
    category = ToLowerAscii(TrimWhitespace(it->second));
  if (category.size() > 50) return Error(ctx, ServiceError::InvalidParameter("category must be at most 50 characters"));

  auto fetched = services_.game->FetchQuestions(category, *difficulty, *count);
  if (!fetched.ok()) return Error(ctx, fetched.error());
  metrics_.CountFetch(fetched->strategy);
  return Json(ctx, 200, FetchQuestionsBody(*fetched, category, *difficulty, *count, options_.debug));
}

HttpResponse Api::SubmitAnswers(Context& ctx) {
  auto body = ParseBody(ctx.request.body());
  if (!body.ok()) return Error(ctx, body.error());
  const nlohmann::json* list = &*body;
  if (body->is_object()) {
    auto it = body->find("answers");
    if (it == body->end()) return Error(ctx, ServiceError::Of(ErrorCode::kValidationFailed, "answers is required"));
    list = &*it;
  }
  auto answers = ReadAnswers(*list, ctx.caller, ctx.now_ms);
  if (!answers.ok()) return Error(ctx, answers.error());
  auto result = services_.game->SubmitAnswers(ctx.caller.user_id, *answers, ctx.now_ms);
  if (!result.ok()) return Error(ctx, result.error());
  nlohmann::ordered_json j;
  j["success"] = true;
  j["message"] = fmt::format("recorded {} answer{}", result->recorded, result->recorded == 1 ? "" : "s");
  j["trust_score"] = result->trust_score;
  j["correct_answers"] = result->correct_answers;
  j["total_answers"] = result->total_answers;
  j["recorded"] = result->recorded;
  j["duplicates"] = result->duplicates;
  j["unknown_questions"] = result->unknown_questions;
  return Json(ctx, 200, Dump(j));
}

HttpResponse Api::Categories(Context& ctx) {
  // Serialised once per catalog snapshot.
  return Json(ctx, 200, services_.catalog->Current()->categories_json);
}

namespace {

// The `include` parameter of fetch-daily-questions: a comma list of the
// parts the compact default leaves out.
struct DailyInclude {
  DailyQuestionParts question;
  bool answer_timestamps = false;
};

Outcome<DailyInclude> DailyIncludeParam(const std::map<std::string, std::string>& query) {
  DailyInclude include;
  auto it = query.find("include");
  if (it == query.end()) return include;
  for (std::string_view rest = it->second; !rest.empty();) {
    const std::size_t comma = rest.find(',');
    const std::string_view part = TrimWhitespace(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (part == "passage") {
      include.question.passage = true;
    } else if (part == "tags") {
      include.question.tags = true;
    } else if (part == "timestamps") {
      include.answer_timestamps = true;
    } else if (part == "all") {
      include = {{.passage = true, .tags = true}, true};
    } else if (!part.empty()) {
      return ServiceError::InvalidParameter("include takes a comma list of passage, tags, timestamps and all, not \"" +
                                            std::string(part.substr(0, 40)) + "\"");
    }
  }
  return include;
}

}  // namespace

HttpResponse Api::FetchDaily(Context& ctx) {
  const CivilDate today = TodayFromMs(ctx.now_ms);
  auto it = ctx.query.find("date");
  auto date = DateParam(it == ctx.query.end() ? std::nullopt : std::optional<std::string>(it->second), today);
  if (!date.ok()) return Error(ctx, date.error());
  auto include = DailyIncludeParam(ctx.query);
  if (!include.ok()) return Error(ctx, include.error());
  auto view = services_.game->FetchDaily(ctx.caller.user_id, *date, today, include->question);
  if (!view.ok()) return Error(ctx, view.error());
  const std::string& questions = *view->questions_json;
  std::string body;
  body.reserve(questions.size() + 1024);
  body += "{\"questions\":";
  body += questions;
  // Written directly: this is a hot path, and every value is a number, a
  // boolean or a date (YYYY-MM-DD, nothing to escape). The streaks carry a
  // fraction (3.0): the deployed client reads them as floats, and reads an
  // integer's bits as 0.
  const std::string progress =
      view->progress ? Dump(DailyProgressToJson(*view->progress, include->answer_timestamps))
                     : fmt::format(R"({{"completed":false,"score":null,"rank":null,"correct_count":0,)"
                                   R"("total_questions":{},"answers":[],"completed_at":null}})",
                                   view->total_questions);
  fmt::format_to(std::back_inserter(body),
                 R"(,"date":"{}","daily_progress":{},"streak_info":{{"current_streak":{}.0,"best_streak":{}.0,)"
                 R"("streak_eligible":{}}},"total_questions":{}}})",
                 view->date, progress, view->current_streak, view->best_streak, view->streak_eligible,
                 view->total_questions);
  return Json(ctx, 200, std::move(body));
}

HttpResponse Api::SubmitDaily(Context& ctx) {
  auto body = ParseBody(ctx.request.body());
  if (!body.ok()) return Error(ctx, body.error());
  if (!body->is_object()) return Error(ctx, ServiceError::Of(ErrorCode::kValidationFailed, "the body must be an object"));
  const CivilDate today = TodayFromMs(ctx.now_ms);
  std::optional<std::string> date_text;
  if (auto d = body->find("date"); d != body->end() && !d->is_null()) {
    if (!d->is_string()) return Error(ctx, ServiceError::InvalidParameter("date must be a string YYYY-MM-DD"));
    date_text = d->get<std::string>();
  }
  auto date = DateParam(date_text, today);
  if (!date.ok()) return Error(ctx, date.error());
  if (*date != today) return Error(ctx, DailySubmissionDateError(today));
  auto list = body->find("answers");
  if (list == body->end()) return Error(ctx, ServiceError::Of(ErrorCode::kValidationFailed, "answers is required"));
  auto answers = ReadAnswers(*list, ctx.caller, ctx.now_ms);
  if (!answers.ok()) return Error(ctx, answers.error());
  auto result = services_.game->SubmitDaily(ctx.caller.user_id, *date, *answers, today, ctx.now_ms);
  if (!result.ok()) return Error(ctx, result.error());
  nlohmann::ordered_json score;
  score["correct_count"] = result->score.correct;
  score["total_questions"] = result->score.total;
  score["score_percentage"] = result->score.percentage;
  score["rank"] = std::string(1, result->score.rank);
  score["streak_eligible"] = result->score.streak_eligible;
  nlohmann::ordered_json streak;
  streak["current_streak"] = result->streak.state.current;
  streak["best_streak"] = result->streak.state.best;
  streak["streak_continued"] = result->streak.continued;
  nlohmann::ordered_json j;
  j["success"] = true;
  j["score"] = std::move(score);
  j["streak_info"] = std::move(streak);
  j["date"] = result->date;
  return Json(ctx, 200, Dump(j));
}

HttpResponse Api::UserProfile(Context& ctx) {
  auto profile = services_.game->Profile(ctx.caller.user_id, TodayFromMs(ctx.now_ms));
  if (!profile.ok()) return Error(ctx, profile.error());
  return Json(ctx, 200, Dump(ProfileJson(*profile)));
}

HttpResponse Api::ProposeQuestion(Context& ctx) {
  auto body = ParseBody(ctx.request.body());
  if (!body.ok()) return Error(ctx, body.error());
  ProposalCheck check = CheckProposal(*body);
  if (!check.ok()) {
    std::vector<std::string> problems;
    for (const ProposalProblem& p : check.problems) problems.push_back(p.field + " " + p.message);
    return Error(ctx, ServiceError::Of(ErrorCode::kValidationFailed, "Input validation failed", std::move(problems)));
  }
  auto submission = services_.proposals->Propose(ctx.caller.user_id, check.proposal, ctx.now_ms);
  if (!submission.ok()) return Error(ctx, submission.error());
  nlohmann::ordered_json data;
  data["id"] = submission->id;
  data["question"] = submission->question;
  data["answer"] = submission->answer;
  data["title"] = submission->title;
  data["passage"] = submission->passage;
  data["categories"] = submission->categories;
  data["difficulty"] = submission->difficulty;
  data["status"] = "pending";
  data["submitted_at"] = submission->submitted_at;
  data["author"] = submission->author;
  data["accepted"] = false;
  nlohmann::ordered_json j;
  j["success"] = true;
  j["data"] = std::move(data);
  return Json(ctx, 201, Dump(j));
}

namespace {

std::string SubmissionList(const std::vector<Submission>& list) {
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const Submission& s : list) items.push_back(SubmissionToJson(s));
  nlohmann::ordered_json j;
  j["submissions"] = std::move(items);
  j["count"] = list.size();
  return Dump(j);
}

}  // namespace

HttpResponse Api::UserSubmissions(Context& ctx) {
  auto limit = IntParam(ctx.query, "limit", 1, 100, 20);
  if (!limit.ok()) return Error(ctx, limit.error());
  std::optional<SubmissionStatus> status;
  if (auto it = ctx.query.find("status"); it != ctx.query.end() && !it->second.empty()) {
    status = ParseSubmissionStatus(it->second);
    if (!status) return Error(ctx, ServiceError::InvalidParameter("status must be pending, approved or rejected"));
  }
  auto list = services_.proposals->ListOwn(ctx.caller.user_id, status, *limit);
  if (!list.ok()) return Error(ctx, list.error());
  return Json(ctx, 200, SubmissionList(*list));
}

HttpResponse Api::ModerationQueue(Context& ctx) {
  auto limit = IntParam(ctx.query, "limit", 1, 100, 50);
  if (!limit.ok()) return Error(ctx, limit.error());
  auto list = services_.proposals->Queue(*limit);
  if (!list.ok()) return Error(ctx, list.error());
  return Json(ctx, 200, SubmissionList(*list));
}

HttpResponse Api::ApproveQuestion(Context& ctx) {
  auto body = ParseBody(ctx.request.body());
  if (!body.ok()) return Error(ctx, body.error());
  const nlohmann::json& j = *body;
  std::vector<std::string> problems;
  if (!j.is_object()) {
    problems.push_back("the body must be an object");
  } else {
    if (!j.contains("question_id") || !j["question_id"].is_string()) problems.push_back("question_id must be a string");
    if (!j.contains("action") || !j["action"].is_string() ||
        (j["action"] != "approve" && j["action"] != "reject"))
      problems.push_back("action must be \"approve\" or \"reject\"");
    if (j.contains("reviewer_notes") && !j["reviewer_notes"].is_null() &&
        (!j["reviewer_notes"].is_string() || j["reviewer_notes"].get_ref<const std::string&>().size() > 1000))
      problems.push_back("reviewer_notes must be a string of at most 1000 characters");
  }
  if (!problems.empty()) {
    return Error(ctx, ServiceError::Of(ErrorCode::kValidationFailed, "the decision is not valid", std::move(problems)));
  }
  const bool approve = j["action"] == "approve";
  const std::string notes = j.contains("reviewer_notes") && j["reviewer_notes"].is_string()
                                ? j["reviewer_notes"].get<std::string>()
                                : std::string();
  auto decided = services_.proposals->Decide(j["question_id"].get<std::string>(), approve, ctx.caller.user_id, notes,
                                             ctx.now_ms);
  if (!decided.ok()) return Error(ctx, decided.error());
  nlohmann::ordered_json out;
  out["success"] = true;
  out["message"] = approve ? "approved and published" : "rejected";
  out["submission"] = SubmissionToJson(*decided);
  out["question_id"] = decided->approved_question_id.empty() ? nlohmann::ordered_json()
                                                             : nlohmann::ordered_json(decided->approved_question_id);
  return Json(ctx, 200, Dump(out));
}

HttpResponse Api::Health(Context& ctx) { return Json(ctx, 200, R"({"status":"ok"})"); }

HttpResponse Api::Ready(Context& ctx) {
  auto version = services_.store->QuestionsVersion();
  if (!version.ok()) return Error(ctx, ServiceError::FromStatus(Status::Unavailable(version.status().message())));
  return Json(ctx, 200, fmt::format(R"({{"status":"ready","questions":{}}})", services_.catalog->Current()->entries.size()));
}

HttpResponse Api::OpenApi(Context& ctx) {
  HttpResponse r = Json(ctx, 200, std::string(OpenApiDocument()));
  r.set(http::field::cache_control, "public, max-age=3600");
  return r;
}

std::vector<Api::Endpoint> Api::Endpoints() const {
  std::vector<Endpoint> out;
  for (const Route& r : routes_)
    for (const std::string& path : r.paths) out.push_back({std::string(http::to_string(r.method)), path, r.name});
  return out;
}

HttpResponse Api::MetricsText(Context& ctx) {
  auto snapshot = services_.catalog->Current();
  HttpResponse r{http::status::ok, ctx.request.version()};
  r.set(http::field::content_type, "text/plain; version=0.0.4");
  const QueryStrategyCounts store_queries = services_.store->QueryStrategies();
  std::vector<std::pair<std::string, double>> gauges = {
      {"truthbyte_catalog_questions", static_cast<double>(snapshot->entries.size())},
      {"truthbyte_store_category_index_queries", static_cast<double>(store_queries.category_index)},
      {"truthbyte_store_scan_fallbacks", static_cast<double>(store_queries.scan_fallback)},
      {"truthbyte_catalog_version", static_cast<double>(snapshot->version)},
      {"truthbyte_catalog_refreshes_total", static_cast<double>(services_.catalog->refreshes())}};
  for (auto& engine : services_.store->EngineMetrics()) gauges.push_back(std::move(engine));
  r.body() = metrics_.Render(gauges);
  return r;
}

}  // namespace truthbyte
