// Synthetic questions for benchmarks and load tests: deterministic for a
// seed, with realistic spreads of text lengths, categories, difficulties and
// answers. The text is grammatical filler, not facts.
#pragma once

#include <cstdint>
#include <string>

#include "core/daily_challenge.h"
#include "core/question.h"

namespace truthbyte {

class QuestionGenerator {
 public:
  // Ids are `id_prefix` followed by the 7-digit zero-padded index.
  QuestionGenerator(std::uint64_t seed, std::string id_prefix);
  // The question at `index`; the same seed and index always give the same
  // question.
  Question Generate(std::uint64_t index);

 private:
  std::uint64_t seed_;
  std::string id_prefix_;
};

}  // namespace truthbyte
