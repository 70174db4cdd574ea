#include "core/crowd_model.h"

#include <algorithm>
#include <cmath>

namespace truthbyte {
namespace {

// Probabilities are kept inside (kEdge, 1 - kEdge) so that logs stay finite.
constexpr double kEdge = 1e-9;

double Clamp(double p) { return std::min(1.0 - kEdge, std::max(kEdge, p)); }
double Logit(double p) {
  p = Clamp(p);
  return std::log(p / (1.0 - p));
}
double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// log(exp(a) + exp(b)) without overflow.
double LogSumExp(double a, double b) {
  const double m = std::max(a, b);
  return m + std::log(std::exp(a - m) + std::exp(b - m));
}

}  // namespace

void CrowdAnswers::Add(std::uint32_t p, std::uint32_t q, bool value, float w) {
  player.push_back(p);
  question.push_back(q);
  says_true.push_back(value ? 1 : 0);
  if (!weight.empty() || w != 1.0f) {
    weight.resize(player.size() - 1, 1.0f);
    weight.push_back(w);
  }
  players = std::max(players, p + 1);
  questions = std::max(questions, q + 1);
  if (label.size() < questions) label.resize(questions, -1);
}

double PlayerReliability(double sensitivity, double specificity) { return (sensitivity + specificity) / 2.0; }

CrowdFit FitCrowdModel(const CrowdAnswers& a, const CrowdModelOptions& options) {
  const std::size_t n = a.size();
  const std::uint32_t P = a.players, Q = a.questions;
  const bool weighted = !a.weight.empty();
  auto weight = [&](std::size_t i) { return weighted ? static_cast<double>(a.weight[i]) : 1.0; };
  const double label_logit = Logit(options.label_prior);
  const double alpha = options.smoothing / 2.0;

  // The label's part of each question's prior log-odds; the learned class
  // prior is added to it each iteration.
  std::vector<double> label_log_odds(Q, 0.0);
  for (std::uint32_t q = 0; q < Q; ++q) {
    const std::int8_t l = q < a.label.size() ? a.label[q] : -1;
    label_log_odds[q] = l == 1 ? label_logit : l == 0 ? -label_logit : 0.0;
  }

  CrowdFit fit;
  fit.p_true.assign(Q, 0.0);
  fit.sensitivity.assign(P, 0.5);
  fit.specificity.assign(P, 0.5);

  // Majority-vote start: each question's share of true votes, its prior
  // when it has none.
  {
    std::vector<double> yes(Q, 0.0), all(Q, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const double w = weight(i);
      yes[a.question[i]] += w * a.says_true[i];
      all[a.question[i]] += w;
    }
    for (std::uint32_t q = 0; q < Q; ++q)
      fit.p_true[q] = all[q] > 0 ? yes[q] / all[q] : Sigmoid(label_log_odds[q]);
  }

  std::vector<double> true_mass(P), true_said(P), false_mass(P), false_said(P);
  std::vector<double> log_s(P), log_1s(P), log_t(P), log_1t(P);  // logs of the rates
  std::vector<double> log_true(Q), log_false(Q);  // per question: log P(prior, answers, class)
  double previous = 0;
  for (int iteration = 1; iteration <= options.max_iterations; ++iteration) {
    // M-step: each player's rates from the current posteriors.
    std::fill(true_mass.begin(), true_mass.end(), 0.0);
    std::fill(true_said.begin(), true_said.end(), 0.0);
    std::fill(false_mass.begin(), false_mass.end(), 0.0);
    std::fill(false_said.begin(), false_said.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const double w = weight(i), mu = fit.p_true[a.question[i]];
      const std::uint32_t p = a.player[i];
      true_mass[p] += w * mu;
      false_mass[p] += w * (1.0 - mu);
      if (a.says_true[i]) {
        true_said[p] += w * mu;
      } else {
        false_said[p] += w * (1.0 - mu);
      }
    }
    for (std::uint32_t p = 0; p < P; ++p) {
      const double s = Clamp((alpha + true_said[p]) / (2.0 * alpha + true_mass[p]));
      const double t = Clamp((alpha + false_said[p]) / (2.0 * alpha + false_mass[p]));
      fit.sensitivity[p] = s;
      fit.specificity[p] = t;
      log_s[p] = std::log(s);
      log_1s[p] = std::log(1.0 - s);
      log_t[p] = std::log(t);
      log_1t[p] = std::log(1.0 - t);
    }
    double mass = 0;
    for (std::uint32_t q = 0; q < Q; ++q) mass += fit.p_true[q];
    fit.class_prior = Clamp((1.0 + mass) / (2.0 + Q));
    const double class_log_odds = Logit(fit.class_prior);

    // E-step: each question's posterior from its prior and its answers.
    // The log-likelihood is kept per class so that it can be reported.
    for (std::uint32_t q = 0; q < Q; ++q) {
      const double prior = Sigmoid(class_log_odds + label_log_odds[q]);
      log_true[q] = std::log(Clamp(prior));
      log_false[q] = std::log(Clamp(1.0 - prior));
    }
    for (std::size_t i = 0; i < n; ++i) {
      const double w = weight(i);
      const std::uint32_t p = a.player[i], q = a.question[i];
      if (a.says_true[i]) {
        log_true[q] += w * log_s[p];
        log_false[q] += w * log_1t[p];
      } else {
        log_true[q] += w * log_1s[p];
        log_false[q] += w * log_t[p];
      }
    }
    double ll = 0;
    for (std::uint32_t q = 0; q < Q; ++q) {
      fit.p_true[q] = Sigmoid(log_true[q] - log_false[q]);
      ll += LogSumExp(log_true[q], log_false[q]);
    }
    // The smoothing's pseudo-answers, as a Beta prior on each rate.
    for (std::uint32_t p = 0; p < P; ++p)
      ll += alpha * (log_s[p] + log_1s[p] + log_t[p] + log_1t[p]);
    fit.iterations = iteration;
    fit.log_likelihood = ll;
    if (iteration > 1 && std::fabs(ll - previous) <= options.tolerance * std::max(1.0, std::fabs(ll))) {
      fit.converged = true;
      break;
    }
    previous = ll;
  }
  return fit;
}

}  // namespace truthbyte
