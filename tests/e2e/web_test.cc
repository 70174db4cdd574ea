// End-to-end: the real binary serves the game at "/" and the dashboard at
// "/admin" from the files compiled into it, with their headers, and the
// API beside them is unchanged.
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "e2e/e2e_support.h"

namespace truthbyte::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

class WebTest : public SharedServerTest<WebTest> {
 public:
  static constexpr const char* kStoreFile = "web.db";
};

void ExpectWebHeaders(const HttpResult& r, const std::string& what) {
  EXPECT_EQ(kPolicy, r.Header("Content-Security-Policy")) << what;
  EXPECT_EQ("nosniff", r.Header("X-Content-Type-Options")) << what;
  EXPECT_EQ("no-referrer", r.Header("Referrer-Policy")) << what;
  EXPECT_EQ("no-cache", r.Header("Cache-Control")) << what;
  EXPECT_THAT(r.Header("ETag"), StartsWith("\"")) << what;
}

// The values of the src and href attributes of a page.
std::vector<std::string> References(const std::string& html) {
  static const std::regex kAttribute(R"re(\b(?:src|href)\s*=\s*"([^"]*)")re");
  std::vector<std::string> out;
  for (std::sregex_iterator it(html.begin(), html.end(), kAttribute), end; it != end; ++it) out.push_back((*it)[1]);
  return out;
}

// The modules a script imports ("./api.js").
std::vector<std::string> Imports(const std::string& script) {
  static const std::regex kImport(R"re(\bimport\b[^;]*?\bfrom\s*'([^']*)')re");
  std::vector<std::string> out;
  for (std::sregex_iterator it(script.begin(), script.end(), kImport), end; it != end; ++it) out.push_back((*it)[1]);
  return out;
}

TEST_F(WebTest, TheGameIsAtTheRoot) {
  HttpClient c(port());
  HttpResult page = c.Get("/");
  ASSERT_EQ(200, page.status) << page.body;
  EXPECT_EQ("text/html; charset=utf-8", page.Header("Content-Type"));
  ExpectWebHeaders(page, "/");
  EXPECT_THAT(page.body, HasSubstr("data-testid=\"mode-arcade\""));
  EXPECT_THAT(page.body, HasSubstr("<script type=\"module\""));
}

TEST_F(WebTest, TheDashboardIsAtAdmin) {
  HttpClient c(port());
  HttpResult page = c.Get("/admin");
  ASSERT_EQ(200, page.status) << page.body;
  EXPECT_EQ("text/html; charset=utf-8", page.Header("Content-Type"));
  ExpectWebHeaders(page, "/admin");
  EXPECT_THAT(page.body, HasSubstr("data-testid=\"admin-token\""));
  EXPECT_THAT(page.body, HasSubstr("data-testid=\"admin-login\""));
}

TEST_F(WebTest, ThePagesReferenceOnlyTheirOwnOriginAndEveryReferenceIsServed) {
  HttpClient c(port());
  std::set<std::string> scripts;
  for (const std::string page : {"/", "/admin"}) {
    HttpResult html = c.Get(page);
    ASSERT_EQ(200, html.status);
    const std::vector<std::string> refs = References(html.body);
    EXPECT_FALSE(refs.empty()) << page;
    for (const std::string& ref : refs) {
      // Absolute paths on this origin: no scheme, no other host.
      EXPECT_THAT(ref, StartsWith("/")) << page << " references " << ref;
      EXPECT_THAT(ref, ::testing::Not(StartsWith("//"))) << page << " references " << ref;
      HttpResult asset = c.Get(ref);
      EXPECT_EQ(200, asset.status) << page << " references " << ref << ", which is not served";
      ExpectWebHeaders(asset, ref);
      if (ref.ends_with(".js")) {
        EXPECT_EQ("text/javascript; charset=utf-8", asset.Header("Content-Type")) << ref;
        scripts.insert(ref);
      }
      if (ref.ends_with(".css")) {
        EXPECT_EQ("text/css; charset=utf-8", asset.Header("Content-Type")) << ref;
      }
      if (ref.ends_with(".svg")) {
        EXPECT_EQ("image/svg+xml", asset.Header("Content-Type")) << ref;
      }
    }
  }
  EXPECT_TRUE(scripts.count("/assets/game.js"));
  EXPECT_TRUE(scripts.count("/assets/admin.js"));
  // The modules the scripts import are relative, in the same folder, and served.
  for (const std::string& script : scripts) {
    HttpResult js = c.Get(script);
    for (const std::string& module : Imports(js.body)) {
      ASSERT_THAT(module, StartsWith("./")) << script << " imports " << module;
      const std::string url = script.substr(0, script.rfind('/') + 1) + module.substr(2);
      HttpResult imported = c.Get(url);
      EXPECT_EQ(200, imported.status) << script << " imports " << url;
      EXPECT_EQ("text/javascript; charset=utf-8", imported.Header("Content-Type")) << url;
    }
  }
}

TEST_F(WebTest, RevalidationHeadAndGzip) {
  HttpClient c(port());
  HttpResult js = c.Get("/assets/game.js");
  ASSERT_EQ(200, js.status);
  const std::string etag = js.Header("ETag");

  HttpResult again = c.Get("/assets/game.js", {{"If-None-Match", etag}});
  EXPECT_EQ(304, again.status);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(etag, again.Header("ETag"));

  HttpResult head = c.Request("HEAD", "/assets/game.js");
  EXPECT_EQ(200, head.status);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(std::to_string(js.body.size()), head.Header("Content-Length"));
  EXPECT_EQ(etag, head.Header("ETag"));

  HttpResult gz = c.Get("/assets/game.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_EQ(200, gz.status);
  if (gz.Header("Content-Encoding") == "gzip") {
    EXPECT_LT(gz.body.size(), js.body.size());
    ASSERT_GE(gz.body.size(), 2u);
    EXPECT_EQ('\x1f', gz.body[0]);
    EXPECT_EQ('\x8b', gz.body[1]);
    EXPECT_NE(etag, gz.Header("ETag"));
    EXPECT_THAT(gz.Header("Vary"), HasSubstr("Accept-Encoding"));
  } else {
    EXPECT_EQ(js.body, gz.body) << "without gzip the file is sent as it is";
  }
  // The connection is still good after all of that.
  EXPECT_EQ(200, c.Get("/").status);
}

TEST_F(WebTest, TheApiAndItsErrorsAreUnchanged) {
  HttpClient c(port());
  HttpResult categories = c.Get("/v1/categories");
  ASSERT_EQ(200, categories.status) << categories.body;
  EXPECT_EQ("application/json", categories.Header("Content-Type"));
  EXPECT_TRUE(categories.Json()["categories"].is_array());
  EXPECT_FALSE(categories.HasHeader("Content-Security-Policy"));
  for (const std::string path : {"/nope", "/index.html", "/assets/", "/v1/nope", "/v1/"}) {
    HttpResult r = c.Get(path);
    EXPECT_EQ(404, r.status) << path;
    EXPECT_EQ("application/json", r.Header("Content-Type")) << path;
    EXPECT_EQ("not_found", r.Json().value("error_code", "")) << path << ": " << r.body;
  }
  HttpResult post = c.Post("/", "{}");
  EXPECT_EQ(405, post.status);
  EXPECT_EQ("GET, HEAD", post.Header("Allow"));
}

}  // namespace
}  // namespace truthbyte::e2e
