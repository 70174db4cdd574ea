// Shared set-up for the micro-benchmarks: catalogs of generated questions
// and a SQLite store in a temporary directory. Each is built once per
// process, on first use, so a filtered run pays only for what it measures.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "service/question_catalog.h"
#include "store/store.h"

namespace truthbyte::bench {

// A snapshot of `questions` generated questions (seed 1), indexed the way a
// catalog refresh indexes them (QuestionCatalog::Snapshot::Add). Cached per
// size for the life of the process; 1,000,000 questions take about 1.5 GB.
const QuestionCatalog::Snapshot& GeneratedSnapshot(std::size_t questions);

// A directory under $TMPDIR (or /tmp), removed with everything in it when
// the process exits normally.
const std::string& BenchTempDir();

// A SQLite store in BenchTempDir() holding `questions` generated questions
// (seed 1), and a catalog refreshed from it. Built once per process.
struct StoreWithCatalog {
  std::unique_ptr<Store> store;
  std::unique_ptr<QuestionCatalog> catalog;
};
StoreWithCatalog& SqliteStoreWithQuestions(std::size_t questions);

// Aborts the run with `what` when `ok` is false: set-up failures must not
// produce figures. (The temporary directory is left behind then.)
void CheckSetup(bool ok, const std::string& what);

}  // namespace truthbyte::bench
