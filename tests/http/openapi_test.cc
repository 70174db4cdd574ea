// docs/openapi.json describes exactly the routes the API serves, and the
// API serves it.
#include <set>
#include <string>
#include <utility>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/api.h"
#include "http/openapi.h"

namespace truthbyte::testing {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The object a local "$ref" ("#/components/...") names, or null.
const nlohmann::json* Resolve(const nlohmann::json& doc, const std::string& ref) {
  if (ref.rfind("#/", 0) != 0) return nullptr;
  try {
    return &doc.at(nlohmann::json::json_pointer(ref.substr(1)));
  } catch (const nlohmann::json::exception&) {
    return nullptr;
  }
}

void CheckRefs(const nlohmann::json& doc, const nlohmann::json& node, const std::string& where) {
  if (node.is_object()) {
    if (auto it = node.find("$ref"); it != node.end() && it->is_string()) {
      EXPECT_NE(nullptr, Resolve(doc, *it)) << where << ": unresolved " << *it;
    }
    for (const auto& [key, child] : node.items()) CheckRefs(doc, child, where + "/" + key);
  } else if (node.is_array()) {
    for (const auto& child : node) CheckRefs(doc, child, where);
  }
}

TEST(OpenApiTest, TheDocumentDescribesEveryRouteAndNothingElse) {
  const auto doc = nlohmann::json::parse(OpenApiDocument(), nullptr, false);
  ASSERT_TRUE(doc.is_object()) << "docs/openapi.json is not JSON";
  EXPECT_EQ("3.1.0", doc.value("openapi", ""));
  ASSERT_TRUE(doc.contains("paths"));

  MemoryRateLimiter limiter;
  Api api(ApiOptions{}, Api::Services{nullptr, nullptr, nullptr, nullptr, nullptr, &limiter}, [] { return 0; });
  std::set<std::pair<std::string, std::string>> served;
  for (const Api::Endpoint& e : api.Endpoints()) {
    served.insert({Lower(e.method), e.path});
    const auto path = doc["paths"].find(e.path);
    ASSERT_NE(path, doc["paths"].end()) << e.path << " is not in docs/openapi.json";
    EXPECT_TRUE(path->contains(Lower(e.method))) << e.method << " " << e.path << " is not in docs/openapi.json";
    if (path->contains(Lower(e.method))) {
      const nlohmann::json& operation = (*path)[Lower(e.method)];
      const bool documented_token = operation.contains("security") && !operation["security"].empty();
      EXPECT_EQ(e.needs_token, documented_token)
          << e.method << " " << e.path << ": the route table and docs/openapi.json disagree on the bearer token";
    }
  }
  static const std::set<std::string> kMethods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      if (!kMethods.count(method)) continue;
      EXPECT_TRUE(served.count({method, path})) << method << " " << path << " is documented but not served";
      EXPECT_TRUE(operation.contains("responses")) << method << " " << path;
    }
  }
  CheckRefs(doc, doc, "#");
}

TEST(OpenApiTest, ServedAtV1OpenapiJson) {
  MemoryRateLimiter limiter;
  Api api(ApiOptions{}, Api::Services{nullptr, nullptr, nullptr, nullptr, nullptr, &limiter}, [] { return 0; });
  HttpRequest request{http::verb::get, "/v1/openapi.json", 11};
  HttpResponse response = api.Handle(request, "127.0.0.1");
  EXPECT_EQ(200, response.result_int());
  EXPECT_EQ("application/json", response[http::field::content_type]);
  EXPECT_EQ(std::string(OpenApiDocument()), response.body());
}

}  // namespace
}  // namespace truthbyte::testing
