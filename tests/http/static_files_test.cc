// The web files (http/static_files): URLs, content types, ETags and 304,
// gzip only when accepted and worth it, HEAD, the security headers, and
// how the Api serves them beside the API without touching /v1/.
#include <stdexcept>
#include <string>
#include <vector>

#if __has_include(<zlib.h>)
#include <zlib.h>
#define TRUTHBYTE_TEST_ZLIB 1
#endif

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/api.h"
#include "http/gzip.h"
#include "http/static_files.h"
#include "http/web_files.h"

namespace truthbyte::testing {
namespace {

// A page big and repetitive enough to be worth compressing.
const std::string kBigScript = [] {
  std::string s;
  for (int i = 0; i < 200; ++i) s += "export const answer" + std::to_string(i) + " = 'true or false';\n";
  return s;
}();

const std::vector<EmbeddedFile> kFiles = {
    {"index.html", "<!doctype html><title>game</title>"},
    {"admin.html", "<!doctype html><title>admin</title>"},
    {"assets/game.css", "body{margin:0}"},
    {"assets/game.js", kBigScript},
    {"favicon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"},
    {"v1/trap.js", "the API's paths are never web files"},
};

HttpRequest Get(const std::string& target, std::vector<std::pair<std::string, std::string>> headers = {},
                http::verb method = http::verb::get) {
  HttpRequest r{method, target, 11};
  for (const auto& [name, value] : headers) r.set(name, value);
  return r;
}

#ifdef TRUTHBYTE_TEST_ZLIB
std::string Gunzip(const std::string& data) {
  z_stream stream{};
  EXPECT_EQ(Z_OK, inflateInit2(&stream, 15 + 16));
  std::string out(1 << 20, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(Z_STREAM_END, inflate(&stream, Z_FINISH));
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return out;
}
#endif

TEST(StaticFilesTest, PagesAreServedWithoutTheirExtensionAndAssetsAtTheirPath) {
  StaticFiles files(kFiles);
  ASSERT_NE(nullptr, files.Find("/"));
  EXPECT_EQ(kFiles[0].content, files.Find("/")->content);
  ASSERT_NE(nullptr, files.Find("/admin"));
  EXPECT_EQ(kFiles[1].content, files.Find("/admin")->content);
  EXPECT_NE(nullptr, files.Find("/assets/game.css"));
  EXPECT_NE(nullptr, files.Find("/favicon.svg"));
  EXPECT_EQ(nullptr, files.Find("/index.html"));
  EXPECT_EQ(nullptr, files.Find("/admin.html"));
  EXPECT_EQ(nullptr, files.Find("/admin/"));
  EXPECT_EQ(nullptr, files.Find("/assets/"));
  EXPECT_EQ(nullptr, files.Find("/assets/nope.js"));
  EXPECT_EQ(nullptr, files.Find(""));
}

TEST(StaticFilesTest, TwoFilesAtOneUrlAreRefused) {
  const std::vector<EmbeddedFile> twice = {{"admin.html", "a"}, {"admin", "b"}};
  EXPECT_THROW(StaticFiles{twice}, std::invalid_argument);
}

TEST(StaticFilesTest, ContentTypesFollowTheExtension) {
  EXPECT_EQ("text/html; charset=utf-8", ContentTypeOf("index.html"));
  EXPECT_EQ("text/css; charset=utf-8", ContentTypeOf("assets/game.css"));
  EXPECT_EQ("text/javascript; charset=utf-8", ContentTypeOf("assets/game.js"));
  EXPECT_EQ("text/javascript; charset=utf-8", ContentTypeOf("a.MJS"));
  EXPECT_EQ("image/svg+xml", ContentTypeOf("favicon.svg"));
  EXPECT_EQ("image/png", ContentTypeOf("logo.png"));
  EXPECT_EQ("application/json", ContentTypeOf("manifest.json"));
  EXPECT_EQ("application/octet-stream", ContentTypeOf("LICENSE"));
  EXPECT_EQ("application/octet-stream", ContentTypeOf("a.b/c"));

  StaticFiles files(kFiles);
  EXPECT_EQ("text/html; charset=utf-8", files.Respond(*files.Find("/"), Get("/"))[http::field::content_type]);
  EXPECT_EQ("text/css; charset=utf-8",
            files.Respond(*files.Find("/assets/game.css"), Get("/assets/game.css"))[http::field::content_type]);
}

TEST(StaticFilesTest, TheEtagIsAStrongHashOfTheContent) {
  StaticFiles files(kFiles);
  const StaticFile& page = *files.Find("/");
  HttpResponse r = files.Respond(page, Get("/"));
  EXPECT_EQ(200, r.result_int());
  const std::string etag(r[http::field::etag]);
  ASSERT_GE(etag.size(), 34u);
  EXPECT_EQ('"', etag.front());
  EXPECT_EQ('"', etag.back());
  EXPECT_NE("W/", etag.substr(0, 2));
  // The same bytes, the same tag (another start of the server); other bytes, another.
  EXPECT_EQ(etag, StaticFiles(kFiles).Find("/")->etag);
  const std::vector<EmbeddedFile> changed = {{"index.html", "<!doctype html><title>game 2</title>"}};
  EXPECT_NE(etag, StaticFiles(changed).Find("/")->etag);
  EXPECT_NE(etag, files.Find("/admin")->etag);
}

TEST(StaticFilesTest, AMatchingIfNoneMatchIsA304WithoutBody) {
  StaticFiles files(kFiles);
  const StaticFile& page = *files.Find("/");
  for (const std::string& value : {page.etag, "W/" + page.etag, "\"other\", " + page.etag, std::string("*")}) {
    HttpResponse r = files.Respond(page, Get("/", {{"If-None-Match", value}}));
    EXPECT_EQ(304, r.result_int()) << value;
    EXPECT_TRUE(r.body().empty()) << value;
    EXPECT_EQ(page.etag, r[http::field::etag]) << value;
    EXPECT_EQ("no-cache", r[http::field::cache_control]) << value;
  }
  HttpResponse stale = files.Respond(page, Get("/", {{"If-None-Match", "\"0123\""}}));
  EXPECT_EQ(200, stale.result_int());
  EXPECT_EQ(page.content, stale.body());
}

TEST(StaticFilesTest, IfNoneMatchParsing) {
  EXPECT_TRUE(IfNoneMatchMatches("\"a\"", "\"a\""));
  EXPECT_TRUE(IfNoneMatchMatches(" \"b\" , W/\"a\"", "\"a\""));
  EXPECT_TRUE(IfNoneMatchMatches("*", "\"a\""));
  EXPECT_FALSE(IfNoneMatchMatches("\"ab\"", "\"a\""));
  EXPECT_FALSE(IfNoneMatchMatches("a", "\"a\""));
  EXPECT_FALSE(IfNoneMatchMatches("", "\"a\""));
}

TEST(StaticFilesTest, AcceptEncodingParsing) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_TRUE(AcceptsGzip("x-gzip"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("br, deflate"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0.000"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0, *"));
  EXPECT_FALSE(AcceptsGzip("*;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=nonsense"));
  EXPECT_FALSE(AcceptsGzip("gzipped"));
}

TEST(StaticFilesTest, GzipOnlyWhenAcceptedAndTheFileIsBigEnough) {
  if (!GzipAvailable()) GTEST_SKIP() << "built without zlib: files are sent as they are";
  StaticFiles files(kFiles);
  const StaticFile& script = *files.Find("/assets/game.js");
  ASSERT_FALSE(script.gzip.empty());
  EXPECT_LT(script.gzip.size(), script.content.size());

  HttpResponse gz = files.Respond(script, Get("/assets/game.js", {{"Accept-Encoding", "gzip, br"}}));
  EXPECT_EQ(200, gz.result_int());
  EXPECT_EQ("gzip", gz[http::field::content_encoding]);
  EXPECT_EQ("Accept-Encoding", gz[http::field::vary]);
  EXPECT_EQ(script.gzip_etag, gz[http::field::etag]);
  EXPECT_NE(script.etag, script.gzip_etag);
  ASSERT_GE(gz.body().size(), 2u);
  EXPECT_EQ('\x1f', gz.body()[0]);
  EXPECT_EQ('\x8b', gz.body()[1]);
#ifdef TRUTHBYTE_TEST_ZLIB
  EXPECT_EQ(kBigScript, Gunzip(gz.body()));
#endif

  for (const std::string& refusal : {std::string(), std::string("br"), std::string("gzip;q=0")}) {
    auto req = refusal.empty() ? Get("/assets/game.js") : Get("/assets/game.js", {{"Accept-Encoding", refusal}});
    HttpResponse plain = files.Respond(script, req);
    EXPECT_EQ(200, plain.result_int()) << refusal;
    EXPECT_EQ(plain.end(), plain.find(http::field::content_encoding)) << refusal;
    EXPECT_EQ(kBigScript, plain.body()) << refusal;
    EXPECT_EQ(script.etag, plain[http::field::etag]) << refusal;
    EXPECT_EQ("Accept-Encoding", plain[http::field::vary]) << refusal;
  }

  // Either representation's tag is current.
  EXPECT_EQ(304, files.Respond(script, Get("/assets/game.js", {{"If-None-Match", script.gzip_etag}})).result_int());

  // A small file is never compressed, and so does not vary.
  const StaticFile& css = *files.Find("/assets/game.css");
  EXPECT_TRUE(css.gzip.empty());
  HttpResponse small = files.Respond(css, Get("/assets/game.css", {{"Accept-Encoding", "gzip"}}));
  EXPECT_EQ(small.end(), small.find(http::field::content_encoding));
  EXPECT_EQ(small.end(), small.find(http::field::vary));
  EXPECT_EQ("body{margin:0}", small.body());
}

TEST(StaticFilesTest, EveryResponseCarriesTheSecurityHeaders) {
  StaticFiles files(kFiles);
  for (const StaticFile& f : files.files()) {
    for (const std::string& inm : {std::string(), f.etag}) {
      HttpResponse r = files.Respond(f, inm.empty() ? Get(f.url_path) : Get(f.url_path, {{"If-None-Match", inm}}));
      EXPECT_EQ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
                r["Content-Security-Policy"]) << f.url_path;
      EXPECT_EQ("nosniff", r["X-Content-Type-Options"]) << f.url_path;
      EXPECT_EQ("no-referrer", r["Referrer-Policy"]) << f.url_path;
      EXPECT_EQ("no-cache", r[http::field::cache_control]) << f.url_path;
    }
  }
}

// ---- Through the Api ------------------------------------------------------------

class WebApiTest : public ::testing::Test {
 protected:
  MemoryRateLimiter limiter;
  StaticFiles files{kFiles};
  ApiOptions options = [] {
    ApiOptions o;
    o.user_limit = 10;
    return o;
  }();
  Api api{options, Api::Services{nullptr, nullptr, nullptr, nullptr, nullptr, &limiter, nullptr, &files},
          [] { return std::int64_t{1'800'000'000'000}; }};
};

void ExpectJsonNotFound(const HttpResponse& r, const std::string& what) {
  EXPECT_EQ(404, r.result_int()) << what;
  EXPECT_EQ("application/json", r[http::field::content_type]) << what;
  const auto body = nlohmann::json::parse(r.body(), nullptr, false);
  ASSERT_TRUE(body.is_object()) << what << ": " << r.body();
  EXPECT_EQ("not_found", body.value("error_code", "")) << what;
  EXPECT_TRUE(body.contains("request_id")) << what;
}

TEST_F(WebApiTest, TheGameAndTheDashboardAreServed) {
  HttpResponse page = api.Handle(Get("/?from=home"), "127.0.0.1");
  EXPECT_EQ(200, page.result_int());
  EXPECT_EQ(kFiles[0].content, page.body());
  EXPECT_EQ("text/html; charset=utf-8", page[http::field::content_type]);
  EXPECT_EQ(std::to_string(kFiles[0].content.size()), page[http::field::content_length]);
  EXPECT_FALSE(page["Content-Security-Policy"].empty());
  EXPECT_EQ("nosniff", page["X-Content-Type-Options"]);
  EXPECT_FALSE(page["X-Request-ID"].empty());
  EXPECT_EQ(200, api.Handle(Get("/admin"), "127.0.0.1").result_int());
}

TEST_F(WebApiTest, HeadHasTheHeadersOfGetAndNoBody) {
  for (const auto& accept : {std::string("identity"), std::string("gzip")}) {
    HttpResponse get = api.Handle(Get("/assets/game.js", {{"Accept-Encoding", accept}}), "127.0.0.1");
    HttpResponse head =
        api.Handle(Get("/assets/game.js", {{"Accept-Encoding", accept}}, http::verb::head), "127.0.0.1");
    EXPECT_EQ(200, head.result_int()) << accept;
    EXPECT_TRUE(head.body().empty()) << accept;
    EXPECT_FALSE(get.body().empty()) << accept;
    for (auto field : {http::field::content_type, http::field::content_length, http::field::etag,
                       http::field::cache_control, http::field::content_encoding, http::field::vary})
      EXPECT_EQ(get[field], head[field]) << accept << " " << field;
    EXPECT_EQ(get["Content-Security-Policy"], head["Content-Security-Policy"]) << accept;
  }
}

TEST_F(WebApiTest, A304HasNoContentLength) {
  const std::string etag = files.Find("/")->etag;
  HttpResponse r = api.Handle(Get("/", {{"If-None-Match", etag}}), "127.0.0.1");
  EXPECT_EQ(304, r.result_int());
  EXPECT_TRUE(r.body().empty());
  EXPECT_EQ(r.end(), r.find(http::field::content_length));
  EXPECT_EQ(etag, r[http::field::etag]);
}

TEST_F(WebApiTest, AnOriginIsAddedToTheVaryOfACompressibleFile) {
  if (!GzipAvailable()) GTEST_SKIP() << "built without zlib";
  HttpResponse r = api.Handle(Get("/assets/game.js", {{"Origin", "http://127.0.0.1:8080"}}), "127.0.0.1");
  EXPECT_EQ("Accept-Encoding, Origin", r[http::field::vary]);
}

TEST_F(WebApiTest, UnknownPathsAndTheApiKeepTheirJsonAnswers) {
  ExpectJsonNotFound(api.Handle(Get("/nope"), "127.0.0.1"), "/nope");
  ExpectJsonNotFound(api.Handle(Get("/index.html"), "127.0.0.1"), "/index.html");
  ExpectJsonNotFound(api.Handle(Get("/assets/"), "127.0.0.1"), "/assets/");
  // A web file under /v1/ is never served: the API's paths are its own.
  ExpectJsonNotFound(api.Handle(Get("/v1/trap.js"), "127.0.0.1"), "/v1/trap.js");
  HttpResponse openapi = api.Handle(Get("/v1/openapi.json"), "127.0.0.1");
  EXPECT_EQ(200, openapi.result_int());
  EXPECT_EQ("application/json", openapi[http::field::content_type]);
  EXPECT_EQ(openapi.end(), openapi.find("Content-Security-Policy"));
}

TEST_F(WebApiTest, OnlyGetAndHeadAreAllowed) {
  HttpResponse r = api.Handle(Get("/", {}, http::verb::post), "127.0.0.1");
  EXPECT_EQ(405, r.result_int());
  EXPECT_EQ("GET, HEAD", r[http::field::allow]);
  EXPECT_EQ("application/json", r[http::field::content_type]);
}

TEST_F(WebApiTest, WebFilesAreNotCountedAgainstTheAddressLimit) {
  for (int i = 0; i < 20; ++i) {
    HttpResponse r = api.Handle(Get(i % 2 ? "/" : "/assets/game.css"), "192.0.2.7");
    ASSERT_EQ(200, r.result_int()) << i;
    EXPECT_EQ(r.end(), r.find("X-RateLimit-Remaining"));
  }
  HttpResponse unknown = api.Handle(Get("/nope"), "192.0.2.7");
  EXPECT_EQ("9", unknown["X-RateLimit-Remaining"]) << "the first counted request of the address";
  EXPECT_FALSE(api.Blocks(Get("/")));
}

TEST_F(WebApiTest, WithoutWebFilesTheRootIsAJson404) {
  Api bare(options, Api::Services{nullptr, nullptr, nullptr, nullptr, nullptr, &limiter}, [] { return 0; });
  ExpectJsonNotFound(bare.Handle(Get("/"), "127.0.0.1"), "/ without web files");
}

TEST(WebFilesTest, TheBinaryCarriesTheGameAndTheDashboard) {
  StaticFiles files(WebFiles());
  for (const char* url : {"/", "/admin", "/assets/game.js", "/assets/api.js", "/assets/admin.js", "/assets/game.css",
                          "/favicon.svg"}) {
    const StaticFile* f = files.Find(url);
    ASSERT_NE(nullptr, f) << url;
    EXPECT_FALSE(f->content.empty()) << url;
  }
  EXPECT_NE(std::string::npos, files.Find("/")->content.find("data-testid=\"mode-arcade\""));
  EXPECT_NE(std::string::npos, files.Find("/admin")->content.find("data-testid=\"admin-token\""));
}

}  // namespace
}  // namespace truthbyte::testing
