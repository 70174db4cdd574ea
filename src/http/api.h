// The HTTP/JSON API v1 (SPEC section 5) as a plain function from request to
// response: no sockets here, so every rule is testable without a network.
// Thread-safe; one Api serves all connections. The route table is in
// routes.cc, the reading of requests in request_parsing, the handlers by
// resource in *_handlers.cc.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_message.h"
#include "http/metrics.h"
#include "http/static_files.h"
#include "service/auth_service.h"
#include "service/crowd_truth.h"
#include "service/game_service.h"
#include "service/proposal_service.h"
#include "service/question_catalog.h"
#include "service/rate_limiter.h"
#include "store/store.h"

namespace truthbyte {

struct ApiOptions {
  std::vector<std::string> cors_origins{"*"};
  bool debug = false;                 // add debug_info to question responses
  std::int64_t session_limit = 100;   // GET /v1/session per IP per hour
  std::int64_t user_limit = 1000;     // protected calls per user per hour
};

// The body of a fetch-questions response: the fetched questions' JSON as
// it is, then the request's parameters (`difficulty` 0 for any);
// `debug` adds debug_info.
std::string FetchQuestionsBody(const FetchedQuestions& fetched, const std::string& category, int difficulty,
                               int requested_count, bool debug);

class Api {
 public:
  // The services the handlers call; all must outlive the Api.
  struct Services {
    Store* store;
    QuestionCatalog* catalog;
    AuthService* auth;
    GameService* game;
    ProposalService* proposals;
    RateLimiter* limiter;
    CrowdTruth* crowd = nullptr;  // the players' reliabilities, when the server fits them
    // The web files served outside /v1/ (the game, the dashboard), if any.
    const StaticFiles* web = nullptr;
  };
  // `clock_ms` gives the current time (milliseconds since the epoch).
  Api(ApiOptions options, Services services, std::function<std::int64_t()> clock_ms);
  ~Api();

  HttpResponse Handle(const HttpRequest& request, const std::string& client_ip);
  // Whether handling `request` may block its thread on the store (a write's
  // commit, a lock held during one, a network round trip), so that a server
  // should call Handle off the threads that serve its sockets. Read from
  // the route table and asked of the store (Store::MayBlock) and the rate
  // limiter; the day's challenge is frozen (a write) only off them.
  bool Blocks(const HttpRequest& request) const;
  // A complete error response (connection closing) for failures found by
  // the connection layer before a request was whole: 413, malformed HTTP.
  // `partial` holds whatever headers were parsed.
  HttpResponse ErrorResponse(ErrorCode code, const std::string& message,
                             const HttpRequest& partial, const std::string& client_ip);

  Metrics& metrics() { return metrics_; }

  // Every (method, path) the route table serves, aliases included, with
  // the route's name: what docs/openapi.json must describe.
  struct Endpoint {
    std::string method;  // "GET", "POST"
    std::string path;
    std::string name;
    bool needs_token = false;  // a player's or an admin's access token
    bool prefix = false;       // `path` is a prefix
  };
  std::vector<Endpoint> Endpoints() const;

  // An entry of the route table and a request's context (api_internal.h).
  struct Route;
  struct Context;

 private:
  using Handler = HttpResponse (Api::*)(Context&);

  static std::vector<Route> RouteTable();  // routes.cc
  // The route serving `target` (its path, the query ignored), if any.
  std::optional<std::size_t> FindRoute(std::string_view target) const;
  // Whether fetch-daily-questions `request` will freeze its day.
  bool FetchDailyFreezes(const HttpRequest& request) const;
  HttpResponse Dispatch(Context& ctx);
  HttpResponse Session(Context& ctx);
  HttpResponse Refresh(Context& ctx);
  HttpResponse AuthPing(Context& ctx);
  HttpResponse FetchQuestions(Context& ctx);
  HttpResponse SubmitAnswers(Context& ctx);
  HttpResponse Categories(Context& ctx);
  HttpResponse FetchDaily(Context& ctx);
  HttpResponse SubmitDaily(Context& ctx);
  HttpResponse UserProfile(Context& ctx);
  HttpResponse ProposeQuestion(Context& ctx);
  HttpResponse UserSubmissions(Context& ctx);
  HttpResponse ModerationQueue(Context& ctx);
  HttpResponse ApproveQuestion(Context& ctx);
  HttpResponse DisputedQuestions(Context& ctx);
  HttpResponse ResolveDispute(Context& ctx);
  HttpResponse QuestionStats(Context& ctx);
  HttpResponse Health(Context& ctx);
  HttpResponse Ready(Context& ctx);
  HttpResponse MetricsText(Context& ctx);
  HttpResponse OpenApi(Context& ctx);
  // Files outside the route table: the web files (static_files.h), served
  // when no route matches, not counted against any limit.
  const StaticFile* FindWebFile(std::string_view target) const;
  HttpResponse WebFile(Context& ctx, const StaticFile& file);

  HttpResponse Error(Context& ctx, const ServiceError& error);
  // The player's reliability from the latest crowd fit, if there is one.
  std::optional<double> Reliability(const std::string& user_id) const;
  // The latest crowd fit: 404 when this server does not refit, 503 before
  // the first fit.
  Outcome<std::shared_ptr<const CrowdSnapshot>> CrowdFit() const;
  HttpResponse Json(Context& ctx, int status, std::string body);
  void Finish(Context& ctx, HttpResponse& response);

  ApiOptions options_;
  Services services_;
  std::function<std::int64_t()> clock_ms_;
  std::vector<Route> routes_;
  Metrics metrics_;
};

}  // namespace truthbyte
