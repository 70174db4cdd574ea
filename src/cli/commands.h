// The operator commands. Each returns the process exit code (0 success,
// 1 failure with one line on stderr) and writes its output to `out`.
#pragma once

#include <cstdint>
#include <fstream>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/civil_date.h"
#include "core/status.h"
#include "store/open_store.h"

namespace truthbyte::cli {

// Prints "truthbyte: <message>" on stderr and returns 1.
int Fail(const std::string& message);
int Fail(const Status& status);

struct ImportOptions {
  std::vector<std::string> files;
  bool strict = false;
  std::size_t batch_size = 5000;
};
int RunImport(const StoreOptions& store, const ImportOptions& options, std::ostream& out);
// Answers as JSON Lines (core/answer_format.h): the first answer per player
// and question is kept; answers to unknown questions are skipped.
int RunAnswerImport(const StoreOptions& store, const ImportOptions& options, std::ostream& out);

struct ExportOptions {
  std::string what = "questions";  // questions | answers | users | submissions | judgments
  std::string out_path;            // empty: stdout
  std::string question_id;         // answers: only this question's (the question_id index)
  double label_prior = 0.9;        // judgments, answers: the crowd fit's
};
int RunExport(const StoreOptions& store, const ExportOptions& options, std::ostream& out);

int RunInit(const StoreOptions& store, std::ostream& out);
int RunCategories(const StoreOptions& store, bool json, std::ostream& out);
int RunDaily(const StoreOptions& store, const std::string& date, bool json, std::ostream& out);
int RunReindex(const StoreOptions& store, std::ostream& out);

struct GenerateOptions {
  std::int64_t count = 0;
  std::uint64_t seed = 1;
  std::string id_prefix = "gen-";
  std::string out_path;  // empty: stdout
};
int RunGenerate(const GenerateOptions& options, std::ostream& out);

int RunModerateList(const StoreOptions& store, int limit, std::ostream& out);
int RunModerateDecide(const StoreOptions& store, const std::string& id, bool approve, const std::string& reviewer,
                      const std::string& notes, std::ostream& out);

struct ServeOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  int threads = 0;
  bool demo = false;
  bool debug = false;
  std::vector<std::string> cors_origins{"*"};
  double catalog_refresh = 2.0;        // seconds between version checks
  double catalog_full_refresh = 0;  // seconds between full reloads; 0: never
  std::int64_t session_rate_limit = 100;
  std::int64_t user_rate_limit = 1000;
  int request_timeout = 15;  // seconds
  int daily_window = 30;     // days
  std::string trust_proxy;   // "" (off), a number of hops or CIDR networks; see TrustedProxies::Parse
  double crowd_refit = 5.0;  // seconds between refits of the crowd model while answers arrive; 0: off
  double label_prior = 0.9;  // CrowdAnalysisOptions::label_prior
  std::int64_t min_answer_ms = 1000;         // JudgmentPolicy; 0: off
  std::int64_t max_judgments_per_hour = 600;  // JudgmentPolicy; 0: off
};
int RunServe(const StoreOptions& store, const ServeOptions& options, std::ostream& out);
int RunToken(const StoreOptions& store, bool admin, double hours, std::ostream& out);
// A full fit of the crowd model over the store's answers, and its summary.
int RunCrowdAnalyze(const StoreOptions& store, double label_prior, bool json, std::ostream& out);
// crowd resolve: a reviewer's decision on a question's label, as POST /v1/resolve-dispute.
int RunCrowdResolve(const StoreOptions& store, const std::string& question_id, const std::string& action,
                    const std::string& reviewer, const std::string& notes, std::ostream& out);

// crowd simulate (docs/CROWD.md, "Simulated crowds"); the players' mix
// beyond the bad share is CrowdMix's.
struct SimulateOptions {
  std::string questions_path;
  double flip = 0.05;  // share of the labels flipped
  double answers_per_question = 10;
  int players = 100;
  double bad_players = 0.2;  // random or adversarial, half each
  std::string choice = "adaptive";  // adaptive | uniform
  double label_prior = 0.9;
  int refit_every = 0;  // answers between refits; 0: a fiftieth of the budget
  std::uint64_t seed = 1;
  bool json = false;
};
// Plays on a temporary SQLite store, removed at the end, unless
// `store_given` (--store): then on that one, which must have no questions.
int RunCrowdSimulate(const StoreOptions& store, bool store_given, const SimulateOptions& options, std::ostream& out);

// The bundled starter question file: $TRUTHBYTE_STARTER_FILE, else the
// installed copy beside the binary (../share/truthbyte), else the source tree.
std::string StarterQuestionsPath();

// Current time as ISO-8601 UTC with milliseconds, and in milliseconds
// since the epoch.
std::string NowIso();
std::int64_t NowUnixMs();
CivilDate TodayUtc();

// Where a command writes its JSON Lines: standard output, or with --out an
// AtomicFile. Finish() commits the file (or flushes stdout) and reports a
// failed write.
class OutputTarget {
 public:
  OutputTarget(std::ostream& stdout_stream, const std::string& out_path);
  Status Open();
  std::ostream& stream() { return *stream_; }
  Status Finish();

 private:
  std::ostream* stream_;
  std::unique_ptr<class AtomicFile> file_;
};

// Writes to a temporary file beside `path` and renames it into place on
// Commit(), so a failed export never leaves a partial file behind.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  Status Open();
  std::ostream& stream();
  Status Commit();

 private:
  std::string path_;
  std::string tmp_path_;
  std::unique_ptr<std::ofstream> file_;
  bool committed_ = false;
};

}  // namespace truthbyte::cli
