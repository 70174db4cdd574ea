// Which requests the server hands to its blocking pool (Api::Blocks): those
// that may wait on the store. A socket thread that waited there would stall
// every other connection it serves; a write handled on a socket thread could
// never share a commit with writes from other connections.
#include <string>

#include <gtest/gtest.h>

#include "http/api.h"

namespace truthbyte::testing {
namespace {

HttpRequest Request(http::verb method, const std::string& target) {
  HttpRequest r{method, target, 11};
  return r;
}

// Blocks reads only the routes and the options; no service is called.
Api MakeApi(bool remote_store) {
  ApiOptions options;
  options.remote_store = remote_store;
  return Api(options, Api::Services{nullptr, nullptr, nullptr, nullptr, nullptr, nullptr}, [] { return 0; });
}

TEST(ApiBlocksTest, WritesAndReadsUnderTheWritersLockBlockOnAnEmbeddedStore) {
  Api api = MakeApi(false);
  for (const auto& [method, target] : std::vector<std::pair<http::verb, std::string>>{
           {http::verb::get, "/v1/session"},
           {http::verb::post, "/v1/refresh"},
           {http::verb::post, "/v1/submit-answers"},
           {http::verb::post, "/v1/submit-daily-answers"},
           {http::verb::post, "/v1/propose-question"},
           {http::verb::get, "/v1/user-submissions?limit=5"},
           {http::verb::get, "/v1/moderation-queue"},
           {http::verb::post, "/v1/approve-question"},
           {http::verb::get, "/ready"}})
    EXPECT_TRUE(api.Blocks(Request(method, target))) << target;
  // Served from memory (catalog, token cache, per-thread read connection).
  for (const std::string target : {"/health", "/metrics", "/v1/fetch-questions?category=science", "/v1/categories",
                                   "/v1/get-categories", "/v1/fetch-daily-questions", "/v1/user", "/v1/auth-ping",
                                   "/v1/ping", "/nowhere"})
    EXPECT_FALSE(api.Blocks(Request(http::verb::get, target))) << target;
  // A preflight is answered from the options alone.
  EXPECT_FALSE(api.Blocks(Request(http::verb::options, "/v1/submit-answers")));
}

TEST(ApiBlocksTest, EveryStoreCallBlocksOnARemoteStore) {
  Api api = MakeApi(true);
  for (const std::string target : {"/v1/fetch-questions", "/v1/categories", "/v1/fetch-daily-questions", "/v1/user",
                                   "/v1/auth-ping", "/v1/session", "/ready"})
    EXPECT_TRUE(api.Blocks(Request(http::verb::get, target))) << target;
  EXPECT_TRUE(api.Blocks(Request(http::verb::post, "/v1/submit-answers")));
  // No store call: the floor and the counters stay on the socket threads.
  EXPECT_FALSE(api.Blocks(Request(http::verb::get, "/health")));
  EXPECT_FALSE(api.Blocks(Request(http::verb::get, "/metrics")));
}

}  // namespace
}  // namespace truthbyte::testing
