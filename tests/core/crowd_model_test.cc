// The two-class Dawid–Skene model on crowds small enough to check by hand.
#include "core/crowd_model.h"

#include <cmath>

#include <gtest/gtest.h>

namespace truthbyte {
namespace {

// 20 questions whose labels are right (true, false, true, ...), answered
// correctly by `good` players 0..good-1: enough to learn who is reliable.
constexpr std::uint32_t kCalibration = 20;
bool Truth(std::uint32_t q) { return q % 2 == 0; }

CrowdAnswers Calibrated(std::uint32_t good) {
  CrowdAnswers a;
  for (std::uint32_t p = 0; p < good; ++p)
    for (std::uint32_t q = 0; q < kCalibration; ++q) a.Add(p, q, Truth(q));
  for (std::uint32_t q = 0; q < kCalibration; ++q) a.label[q] = Truth(q) ? 1 : 0;
  return a;
}

// Adds a question with `label` (-1 none); returns its index.
std::uint32_t NewQuestion(CrowdAnswers& a, std::int8_t label) {
  const std::uint32_t q = a.questions++;
  a.label.push_back(label);
  return q;
}

TEST(CrowdModelTest, AUnanimousCrowdOverturnsTheLabel) {
  CrowdAnswers a = Calibrated(8);
  const std::uint32_t wrong = NewQuestion(a, 1);  // labelled true
  for (std::uint32_t p = 0; p < 8; ++p) a.Add(p, wrong, false);
  const CrowdFit fit = FitCrowdModel(a);
  EXPECT_TRUE(fit.converged);
  EXPECT_LT(fit.p_true[wrong], 0.01);
  for (std::uint32_t q = 0; q < kCalibration; ++q)
    EXPECT_EQ(fit.p_true[q] > 0.5, Truth(q)) << q;
  EXPECT_GT(PlayerReliability(fit.sensitivity[0], fit.specificity[0]), 0.85);
}

TEST(CrowdModelTest, ARandomPlayerWeighsNothing) {
  CrowdAnswers a = Calibrated(5);
  const std::uint32_t spammer = 5;
  // Says true on every other question, whatever the truth: right half the
  // time on both classes.
  for (std::uint32_t q = 0; q < kCalibration; ++q) a.Add(spammer, q, (q / 2) % 2 == 0);
  const std::uint32_t only_spammer = NewQuestion(a, -1);
  a.Add(spammer, only_spammer, true);
  const CrowdFit fit = FitCrowdModel(a, {.label_prior = 0.5});
  EXPECT_NEAR(PlayerReliability(fit.sensitivity[spammer], fit.specificity[spammer]), 0.5, 0.06);
  // Its answer hardly moves the question away from the class prior.
  EXPECT_NEAR(fit.p_true[only_spammer], fit.class_prior, 0.05);
}

TEST(CrowdModelTest, AnAdversaryIsReadBackwards) {
  CrowdAnswers a = Calibrated(5);
  const std::uint32_t adversary = 5;
  for (std::uint32_t q = 0; q < kCalibration; ++q) a.Add(adversary, q, !Truth(q));
  const std::uint32_t only_adversary = NewQuestion(a, -1);
  a.Add(adversary, only_adversary, true);
  const CrowdFit fit = FitCrowdModel(a, {.label_prior = 0.5});
  EXPECT_LT(PlayerReliability(fit.sensitivity[adversary], fit.specificity[adversary]), 0.15);
  EXPECT_LT(fit.p_true[only_adversary], 0.2) << "the adversary's true means false";
  for (std::uint32_t q = 0; q < kCalibration; ++q) EXPECT_EQ(fit.p_true[q] > 0.5, Truth(q)) << q;
}

TEST(CrowdModelTest, APlayerWithOneAnswerWeighsAlmostNothing) {
  CrowdAnswers a = Calibrated(5);
  const std::uint32_t newcomer = 5;
  const std::uint32_t q = NewQuestion(a, -1);
  a.Add(newcomer, q, true);
  const CrowdFit fit = FitCrowdModel(a, {.label_prior = 0.5});
  EXPECT_NEAR(fit.sensitivity[newcomer], 0.5, 0.2);
  EXPECT_NEAR(fit.specificity[newcomer], 0.5, 0.2);
  EXPECT_NEAR(fit.p_true[q], fit.class_prior, 0.15);
}

TEST(CrowdModelTest, AQuestionWithNoAnswersKeepsItsLabelsPrior) {
  CrowdAnswers a = Calibrated(5);
  const std::uint32_t labelled_true = NewQuestion(a, 1);
  const std::uint32_t labelled_false = NewQuestion(a, 0);
  const std::uint32_t unlabelled = NewQuestion(a, -1);
  const CrowdFit fit = FitCrowdModel(a, {.label_prior = 0.9});
  // The calibration set is balanced, so the class prior is near 0.5 and
  // the label alone decides.
  EXPECT_NEAR(fit.class_prior, 0.5, 0.05);
  EXPECT_NEAR(fit.p_true[labelled_true], 0.9, 0.02);
  EXPECT_NEAR(fit.p_true[labelled_false], 0.1, 0.02);
  EXPECT_NEAR(fit.p_true[unlabelled], 0.5, 0.05);
}

TEST(CrowdModelTest, WithANeutralPriorTheLabelsChangeNothing) {
  CrowdAnswers a = Calibrated(4);
  for (std::uint32_t q = 0; q < kCalibration; ++q) a.Add(4, q, q % 3 == 0);
  CrowdAnswers flipped = a;
  for (auto& l : flipped.label) l = static_cast<std::int8_t>(l == 1 ? 0 : 1);
  const CrowdFit x = FitCrowdModel(a, {.label_prior = 0.5});
  const CrowdFit y = FitCrowdModel(flipped, {.label_prior = 0.5});
  for (std::uint32_t q = 0; q < a.questions; ++q) EXPECT_NEAR(x.p_true[q], y.p_true[q], 1e-9) << q;
}

TEST(CrowdModelTest, AWeightOfZeroIsNoAnswer) {
  CrowdAnswers a = Calibrated(5);
  const std::uint32_t q = NewQuestion(a, -1);
  a.Add(0, q, true);
  CrowdAnswers with_zero = a;
  with_zero.Add(1, q, false, 0.0f);
  const CrowdFit x = FitCrowdModel(a, {.label_prior = 0.5});
  const CrowdFit y = FitCrowdModel(with_zero, {.label_prior = 0.5});
  EXPECT_NEAR(x.p_true[q], y.p_true[q], 1e-9);
  EXPECT_NEAR(x.sensitivity[1], y.sensitivity[1], 1e-9);
}

TEST(CrowdModelTest, AnEmptyCrowdIsFittedToItsPriors) {
  CrowdAnswers a;
  a.questions = 3;
  a.label = {1, 0, -1};
  const CrowdFit fit = FitCrowdModel(a);
  ASSERT_EQ(fit.p_true.size(), 3u);
  EXPECT_NEAR(fit.p_true[0], 0.9, 1e-6);
  EXPECT_NEAR(fit.p_true[1], 0.1, 1e-6);
  EXPECT_NEAR(fit.p_true[2], 0.5, 1e-6);
  EXPECT_TRUE(fit.converged);
  EXPECT_TRUE(std::isfinite(fit.log_likelihood));
}

}  // namespace
}  // namespace truthbyte
