// The DynamoDB engine's own behaviour beyond the conformance suite: how a
// category query is served is reported by the call that served it.
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/dynamodb/dynamodb_client.h"
#include "store/store_factories.h"
#include "store/store_test_helpers.h"
#include "support/test_support.h"

namespace truthbyte::testing {
namespace {

using ::testing::ElementsAre;

Question MakeQuestion(const std::string& id, const std::string& category, int difficulty) {
  Question q;
  q.id = id;
  q.question = "Is " + id + " a question?";
  q.answer = true;
  q.categories = NormaliseCategories({category});
  q.difficulty = difficulty;
  return q;
}

TEST(DynamoDbStoreTest, ACategoryQuerySaysWhetherTheIndexOrTheFallbackScanServedIt) {
  TempDir dir;
  const DynamoDbOptions options = DynaliteOptions(dir.path());
  auto store = Must(OpenDynaliteStore(dir.path()));
  const std::vector<Question> questions = {MakeQuestion("q1", "science", 2), MakeQuestion("q2", "science", 3),
                                           MakeQuestion("q3", "history", 2)};
  Must(store->UpsertQuestions(questions, nullptr));

  const CategoryIds indexed = Must(store->QueryCategoryIndex("science", std::nullopt));
  EXPECT_EQ(QueryStrategy::kCategoryIndex, indexed.strategy);
  EXPECT_THAT(indexed.ids, ElementsAre("q1", "q2"));

  // Without its index table the engine falls back to a filtered scan of the
  // questions (SPEC section 3) and says so.
  dynamodb::DynamoDbClient client(options.client);
  ASSERT_TRUE(client.Call("DeleteTable", {{"TableName", DynamoDbTableName(options.env, "question-categories")}}).ok());
  const CategoryIds scanned = Must(store->QueryCategoryIndex("science", 2));
  EXPECT_EQ(QueryStrategy::kScanFallback, scanned.strategy);
  EXPECT_THAT(scanned.ids, ElementsAre("q1"));
  EXPECT_EQ(1u, store->QueryStrategies().scan_fallback);
  EXPECT_EQ(1u, store->QueryStrategies().category_index);
}

}  // namespace
}  // namespace truthbyte::testing
