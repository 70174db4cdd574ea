#include "bench_fixtures.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <vector>

#include "core/question_generator.h"
#include "store/sqlite_store.h"

namespace truthbyte::bench {
namespace {

constexpr std::uint64_t kSeed = 1;
constexpr std::size_t kUpsertBatch = 1000;

// Everything built for the run; the stores close before their directory
// is removed (members are destroyed in reverse order).
struct Fixtures {
  std::mutex mu;
  std::string temp_dir;
  std::map<std::size_t, std::unique_ptr<QuestionCatalog::Snapshot>> snapshots;
  std::map<std::size_t, StoreWithCatalog> stores;

  ~Fixtures() {
    stores.clear();
    if (!temp_dir.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(temp_dir, ignored);
    }
  }
};

Fixtures& TheFixtures() {
  static Fixtures fixtures;
  return fixtures;
}

const std::string& TempDirLocked(Fixtures& f) {
  if (f.temp_dir.empty()) {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/truthbyte-bench-XXXXXX";
    CheckSetup(mkdtemp(pattern.data()) != nullptr, "cannot create a temporary directory from " + pattern);
    f.temp_dir = pattern;
  }
  return f.temp_dir;
}

}  // namespace

void CheckSetup(bool ok, const std::string& what) {
  if (ok) return;
  std::fprintf(stderr, "benchmark set-up failed: %s\n", what.c_str());
  std::abort();
}

const QuestionCatalog::Snapshot& GeneratedSnapshot(std::size_t questions) {
  Fixtures& f = TheFixtures();
  std::lock_guard lock(f.mu);
  auto& snapshot = f.snapshots[questions];
  if (!snapshot) {
    snapshot = std::make_unique<QuestionCatalog::Snapshot>();
    QuestionGenerator generator(kSeed, "gen-");
    // Zero-padded indexes in order are ids in byte order, as Add requires.
    for (std::size_t i = 0; i < questions; ++i) snapshot->Add(generator.Generate(i));
    snapshot->Seal();
  }
  return *snapshot;
}

const std::string& BenchTempDir() {
  Fixtures& f = TheFixtures();
  std::lock_guard lock(f.mu);
  return TempDirLocked(f);
}

StoreWithCatalog& SqliteStoreWithQuestions(std::size_t questions) {
  Fixtures& f = TheFixtures();
  std::lock_guard lock(f.mu);
  StoreWithCatalog& built = f.stores[questions];
  if (built.store) return built;
  const std::string path = TempDirLocked(f) + "/questions-" + std::to_string(questions) + ".db";
  auto store = OpenSqliteStore(path);
  CheckSetup(store.ok(), "cannot open " + path + ": " + (store.ok() ? "" : store.status().ToString()));
  built.store = std::move(*store);
  QuestionGenerator generator(kSeed, "gen-");
  std::vector<Question> batch;
  for (std::size_t i = 0; i < questions; ++i) {
    batch.push_back(generator.Generate(i));
    if (batch.size() == kUpsertBatch || i + 1 == questions) {
      const Status s = built.store->UpsertQuestions(batch, nullptr);
      CheckSetup(s.ok(), "cannot store questions: " + s.ToString());
      batch.clear();
    }
  }
  built.catalog = std::make_unique<QuestionCatalog>(*built.store);
  const Status refreshed = built.catalog->RefreshNow();
  CheckSetup(refreshed.ok(), "cannot load the catalog: " + refreshed.ToString());
  return built;
}

}  // namespace truthbyte::bench
