// The route table: every endpoint of the API with its paths, method, access
// and store use. docs/openapi.json is checked against it (Api::Endpoints),
// and Api::Blocks reads it.
#include "http/api_internal.h"

namespace truthbyte {

bool Api::Route::Serves(std::string_view path) const {
  for (const std::string& p : paths) {
    if (prefix ? path.substr(0, p.size()) == p : path == p) return true;
  }
  return false;
}

std::vector<Api::Route> Api::RouteTable() {
  using A = Route::Access;
  using S = Route::StoreUse;
  const http::verb get = http::verb::get, post = http::verb::post;
  return {
      {"session", {"/v1/session"}, get, &Api::Session, A::kSession, S::kWrite},
      {"refresh", {"/v1/refresh"}, post, &Api::Refresh, A::kCounted, S::kRead},
      {"auth-ping", {"/v1/auth-ping", "/v1/ping"}, get, &Api::AuthPing, A::kUser, S::kNone},
      // From the catalog; a category it does not know yet is asked of the store.
      {"fetch-questions", {"/v1/fetch-questions"}, get, &Api::FetchQuestions, A::kUser, S::kRead},
      {"submit-answers", {"/v1/submit-answers"}, post, &Api::SubmitAnswers, A::kUser, S::kWrite},
      {"categories", {"/v1/categories", "/v1/get-categories"}, get, &Api::Categories, A::kCounted, S::kNone},
      // Reads the player's day; freezes the day's challenge at its first use.
      {"fetch-daily-questions", {"/v1/fetch-daily-questions"}, get, &Api::FetchDaily, A::kUser, S::kRead, false,
       &Api::FetchDailyFreezes},
      {"submit-daily-answers", {"/v1/submit-daily-answers"}, post, &Api::SubmitDaily, A::kUser, S::kWrite},
      {"user", {"/v1/user"}, get, &Api::UserProfile, A::kUser, S::kRead},
      {"propose-question", {"/v1/propose-question"}, post, &Api::ProposeQuestion, A::kUser, S::kWrite},
      {"user-submissions", {"/v1/user-submissions"}, get, &Api::UserSubmissions, A::kUser, S::kRead},
      {"moderation-queue", {"/v1/moderation-queue"}, get, &Api::ModerationQueue, A::kAdmin, S::kRead},
      {"approve-question", {"/v1/approve-question"}, post, &Api::ApproveQuestion, A::kAdmin, S::kWrite},
      {"disputed-questions", {"/v1/disputed-questions"}, get, &Api::DisputedQuestions, A::kAdmin, S::kNone},
      {"resolve-dispute", {"/v1/resolve-dispute"}, post, &Api::ResolveDispute, A::kAdmin, S::kWrite},
      {"question-stats", {"/v1/question-stats"}, get, &Api::QuestionStats, A::kUser, S::kNone},
      {"health", {"/health"}, get, &Api::Health, A::kOpen, S::kNone},
      {"ready", {"/ready"}, get, &Api::Ready, A::kOpen, S::kRead},
      {"metrics", {"/metrics"}, get, &Api::MetricsText, A::kOpen, S::kNone},
      {"openapi", {"/v1/openapi.json"}, get, &Api::OpenApi, A::kOpen, S::kNone},
  };
}

}  // namespace truthbyte
