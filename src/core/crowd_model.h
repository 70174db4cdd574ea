// Crowd truth: two-class Dawid–Skene. Every player has a sensitivity (how
// often they say true when the truth is true) and a specificity (false when
// it is false); every question has a posterior P(true) from all answers
// together, with the question's canonical label as a prior of configurable
// strength. Fitted by EM from a majority-vote start. Pure: no I/O, no
// allocation per answer; a fit is a function of its input.
#pragma once

#include <cstdint>
#include <vector>

namespace truthbyte {

// The answers of a crowd as flat arrays, one entry per answer (players and
// questions numbered from 0), and one label per question.
struct CrowdAnswers {
  std::uint32_t players = 0;
  std::uint32_t questions = 0;
  std::vector<std::uint32_t> player;    // per answer
  std::vector<std::uint32_t> question;  // per answer
  std::vector<std::uint8_t> says_true;  // per answer: 1 true, 0 false
  std::vector<float> weight;            // per answer; empty means all 1
  // Per question: 1 labelled true, 0 labelled false, -1 unlabelled.
  std::vector<std::int8_t> label;

  std::size_t size() const { return player.size(); }
  void Add(std::uint32_t p, std::uint32_t q, bool value, float w = 1.0f);
};

struct CrowdModelOptions {
  // P(true) a question's label gives before any answer: 0.9 trusts a "true"
  // label 9 to 1; 0.5 means the label carries no information (plain
  // Dawid–Skene, with a learned class prior).
  double label_prior = 0.9;
  // Pseudo-answers, half right and half wrong, added to each player's
  // counts: a player with one answer stays near 0.5 (and weighs almost
  // nothing), and no estimate reaches 0 or 1.
  double smoothing = 2.0;
  int max_iterations = 100;
  // Stops when the log-likelihood changes by less than this, relative.
  double tolerance = 1e-7;
};

struct CrowdFit {
  std::vector<double> p_true;       // per question: the posterior P(true)
  std::vector<double> sensitivity;  // per player: P(says true | true)
  std::vector<double> specificity;  // per player: P(says false | false)
  double class_prior = 0.5;         // the learned share of true questions
  int iterations = 0;
  bool converged = false;
  double log_likelihood = 0;  // of the answers and labels, smoothing included
};

// REQUIRES: every index below `players`/`questions`, label.size() ==
// questions, weight empty or of size(), label_prior in (0, 1).
CrowdFit FitCrowdModel(const CrowdAnswers& answers, const CrowdModelOptions& options = {});

// A player's reliability: the share of answers they would get right on a
// balanced set, (sensitivity + specificity) / 2. 0.5 is random; below 0.5
// reads the question backwards.
double PlayerReliability(double sensitivity, double specificity);

}  // namespace truthbyte
