// The crowd model on real Mechanical Turk judgments with gold labels
// (../shared/data/crowd: RTE and TEMP, Snow et al. 2008): with the labels
// carrying no information it must find the gold label at least as often as
// two-coin Dawid–Skene does in the literature (RTE 0.9275 of 800 items,
// TEMP 0.9416 of 462), which beats majority vote (0.897, 0.936).
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/crowd_model.h"
#include "support/test_support.h"

namespace truthbyte {
namespace {

struct RealCrowd {
  CrowdAnswers answers;
  std::vector<bool> gold;  // per question
};

// Reads the first five columns of a standardized CSV (annotation id, worker
// id, item id, response, gold: none of them quoted); "1" and "after" are true.
RealCrowd ReadCrowd(const std::string& name) {
  RealCrowd crowd;
  std::ifstream in(testing::SharedDataFile("../crowd/" + name));
  EXPECT_TRUE(in.good()) << "cannot read ../shared/data/crowd/" << name;
  std::map<std::string, std::uint32_t> workers, items;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string annotation, worker, item, response, gold;
    std::getline(fields, annotation, ',');
    std::getline(fields, worker, ',');
    std::getline(fields, item, ',');
    std::getline(fields, response, ',');
    std::getline(fields, gold, ',');
    const auto w = workers.emplace(worker, static_cast<std::uint32_t>(workers.size())).first->second;
    const auto q = items.emplace(item, static_cast<std::uint32_t>(items.size())).first->second;
    crowd.answers.Add(w, q, response == "1" || response == "after");
    if (crowd.gold.size() <= q) crowd.gold.resize(q + 1);
    crowd.gold[q] = gold == "1" || gold == "after";
  }
  return crowd;
}

// How many items the fit labels as gold does.
int Agreeing(const RealCrowd& crowd, const CrowdFit& fit) {
  int right = 0;
  for (std::uint32_t q = 0; q < crowd.answers.questions; ++q) right += (fit.p_true[q] > 0.5) == crowd.gold[q];
  return right;
}

TEST(CrowdRealDataTest, RteMatchesTwoCoinDawidSkene) {
  const RealCrowd rte = ReadCrowd("rte.standardized.csv");
  ASSERT_EQ(rte.answers.size(), 8000u);
  ASSERT_EQ(rte.answers.questions, 800u);
  ASSERT_EQ(rte.answers.players, 164u);
  const CrowdFit fit = FitCrowdModel(rte.answers, {.label_prior = 0.5});
  EXPECT_TRUE(fit.converged);
  EXPECT_GE(Agreeing(rte, fit), 742);  // 0.9275 of 800
}

TEST(CrowdRealDataTest, TempMatchesTwoCoinDawidSkene) {
  const RealCrowd temp = ReadCrowd("temp.standardized.csv");
  ASSERT_EQ(temp.answers.size(), 4620u);
  ASSERT_EQ(temp.answers.questions, 462u);
  const CrowdFit fit = FitCrowdModel(temp.answers, {.label_prior = 0.5});
  EXPECT_TRUE(fit.converged);
  EXPECT_GE(Agreeing(temp, fit), 435);  // 0.9416 of 462, rounded
}

}  // namespace
}  // namespace truthbyte
