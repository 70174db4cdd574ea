// The store engines the conformance suite (store_conformance_test.cc) runs
// against. Every test of that suite runs once per engine listed here, with
// the engine's name in the test name (e.g. Engines/StoreConformanceTest.
// QuestionsInsertCountsInserted/Sqlite).
//
// Adding an engine is one line in StoreEngines() below, e.g.
//
//   {"DynamoDbLocal", [](const std::string& dir) { return OpenDynamoDbTestStore(dir); }},
//
// A factory's contract:
//  * `open(scratch_dir)` returns a ready store (schema created), or a non-ok
//    Status explaining why it could not (the test then fails with it);
//  * a new scratch_dir (a fresh, empty temporary directory, removed after
//    the test) gives an empty store, independent of every other one;
//  * calling `open` again with the SAME scratch_dir gives a second handle on
//    the SAME data, as a second server instance or an operator command would
//    have (engines without local files derive e.g. a table prefix from it).
//
// Header-only on purpose: only *_test.cc files are compiled into store_test.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/sha256.h"
#include "core/status.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/sqlite_store.h"
#include "store/store.h"
#include "support/dynalite.h"

namespace truthbyte::testing {

struct StoreEngine {
  // Used in test names: letters, digits and '_' only.
  std::string name;
  std::function<Result<std::unique_ptr<Store>>(const std::string& scratch_dir)> open;
};

// One dynalite for the whole test binary; each scratch directory gets its
// own table prefix (its --env), derived from the directory's path.
inline DynamoDbOptions DynaliteOptions(const std::string& dir) {
  static Dynalite* dynalite = new Dynalite();  // lives until the process ends
  DynamoDbOptions options;
  options.env = "t" + Sha256Hex(dir).substr(0, 12);
  options.client.endpoint = dynalite->endpoint();
  options.client.region = "us-east-1";
  options.client.credentials = {"test-access-key", "test-secret-key", ""};
  return options;
}

inline Result<std::unique_ptr<Store>> OpenDynaliteStore(const std::string& dir) {
  const DynamoDbOptions options = DynaliteOptions(dir);
  auto store = OpenDynamoDbStore(options);
  if (!store.ok()) return store;
  if (Status s = (*store)->Init(); !s.ok()) return s;
  return store;
}

inline std::vector<StoreEngine> StoreEngines() {
  return {
      {"Sqlite", [](const std::string& dir) { return OpenSqliteStore(dir + "/truthbyte.db"); }},
      {"Dynalite", OpenDynaliteStore},
  };
}

// For INSTANTIATE_TEST_SUITE_P: names each instantiation after its engine.
inline std::string StoreEngineTestName(const ::testing::TestParamInfo<StoreEngine>& info) {
  return info.param.name;
}

// Lets GoogleTest print the parameter as its name (not as raw bytes).
inline void PrintTo(const StoreEngine& engine, std::ostream* os) { *os << engine.name; }

}  // namespace truthbyte::testing
