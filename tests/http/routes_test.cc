// The route table's matching: exact paths and aliases, and prefix routes
// (the room for static files at "/").
#include <gtest/gtest.h>

#include "http/api_internal.h"

namespace truthbyte::testing {
namespace {

TEST(RoutesTest, AnExactRouteServesItsPathsOnly) {
  Api::Route r{"categories", {"/v1/categories", "/v1/get-categories"}, http::verb::get, nullptr,
               Api::Route::Access::kCounted};
  EXPECT_TRUE(r.Serves("/v1/categories"));
  EXPECT_TRUE(r.Serves("/v1/get-categories"));
  EXPECT_FALSE(r.Serves("/v1/categories/"));
  EXPECT_FALSE(r.Serves("/v1/categorie"));
  EXPECT_FALSE(r.Serves("/v1/categories.json"));
}

TEST(RoutesTest, APrefixRouteServesEverythingUnderItsPrefix) {
  Api::Route r{"assets", {"/assets/"}, http::verb::get, nullptr, Api::Route::Access::kOpen,
               Api::Route::StoreUse::kNone, /*prefix=*/true};
  EXPECT_TRUE(r.Serves("/assets/"));
  EXPECT_TRUE(r.Serves("/assets/app.js"));
  EXPECT_TRUE(r.Serves("/assets/img/logo.svg"));
  EXPECT_FALSE(r.Serves("/assets"));
  EXPECT_FALSE(r.Serves("/v1/assets/app.js"));
}

}  // namespace
}  // namespace truthbyte::testing
