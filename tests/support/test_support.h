// Helpers shared by the test suites: temporary directories, the real data
// sets, and running the truthbyte binary as a user would.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace truthbyte::testing {

// A fresh directory under $TMPDIR, removed with everything in it on exit.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // path() + "/" + name
  std::string File(const std::string& name) const;

 private:
  std::string path_;
};

// Path of one of the real data files in ../shared/data/truthbyte.
std::string SharedDataFile(const std::string& name);
// Path of a file in the source tree (e.g. "data/starter_questions.jsonl").
std::string SourceFile(const std::string& relative);

// Runs body(0) .. body(n - 1) on n threads released at the same moment (a
// race), and returns when all have finished.
void RunTogether(int n, const std::function<void(int)>& body);

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);
std::vector<std::string> SplitLines(const std::string& text);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Starts `program` (a path) with `args`, stdin from /dev/null, stdout and
// stderr into the two files, and the environment without any TRUTHBYTE_*
// variable plus `env`. Returns the process id; throws when it cannot start.
int SpawnProgram(const std::string& program, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env, const std::string& out_path,
                 const std::string& err_path);

// SpawnProgram with the truthbyte binary under test.
int SpawnTruthbyte(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                   const std::string& out_path, const std::string& err_path);

// Runs the truthbyte binary with `args`, no stdin, and captures stdout,
// stderr and the exit code. `env` adds environment variables.
CommandResult RunTruthbyte(const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env = {});

}  // namespace truthbyte::testing
