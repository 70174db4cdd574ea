// Shared set-up for the command-line tests: a scratch store per test and
// short-hands for running truthbyte against it.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace truthbyte::testing {

class CliTest : public ::testing::Test {
 protected:
  std::string StoreUrl() const { return "sqlite:" + dir_.File("truthbyte.db"); }

  // Runs truthbyte with --store pointing at this test's database.
  CommandResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--store", StoreUrl()});
    return RunTruthbyte(args);
  }

  // Runs and expects success; returns stdout.
  std::string RunOk(const std::vector<std::string>& args) {
    CommandResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << "stderr: " << r.err;
    return r.out;
  }

  // Exports the questions and returns them by id.
  std::map<std::string, nlohmann::json> ExportedQuestions() {
    std::map<std::string, nlohmann::json> by_id;
    for (const std::string& line : SplitLines(RunOk({"export"}))) {
      nlohmann::json j = nlohmann::json::parse(line);
      by_id[j["id"].get<std::string>()] = j;
    }
    return by_id;
  }

  TempDir dir_;
};

}  // namespace truthbyte::testing
