// dynalite (npm, pinned in tests/package.json): a DynamoDB-compatible server
// in Node.js, started by the tests on a free loopback port. Installed into
// tests/node_modules by scripts/install-deps.sh.
//
//   truthbyte::testing::Dynalite dynalite;            // started, in memory
//   ClientOptions options; options.endpoint = dynalite.endpoint();
//
// With `persist`, the data lives in LevelDB under a directory (a fresh
// temporary one unless `path` is given), so Stop() and Start() keep the
// tables. The process dies with this object, and also on its own when the
// test process that started it dies (it watches its parent).
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

namespace truthbyte::testing {

class TempDir;

struct DynaliteOptions {
  bool persist = false;  // --path: keep the data across Stop()/Start()
  std::string path;      // the LevelDB directory; empty: a temporary one (when persist)
};

class Dynalite {
 public:
  // Starts the server; throws std::runtime_error (with dynalite's output)
  // when node or dynalite is missing or it does not come up within 20 s.
  explicit Dynalite(DynaliteOptions options = {});
  ~Dynalite();
  Dynalite(const Dynalite&) = delete;
  Dynalite& operator=(const Dynalite&) = delete;

  // "http://127.0.0.1:PORT" (the same after a restart).
  const std::string& endpoint() const { return endpoint_; }
  int port() const { return port_; }
  bool running() const { return pid_ > 0; }
  // The node process (for tests that stop it with SIGSTOP); -1 when stopped.
  pid_t pid() const { return pid_; }
  // The LevelDB directory, empty when in memory.
  const std::string& data_path() const { return data_path_; }
  // What dynalite printed (stdout and stderr) so far.
  std::string Log() const;

  // SIGTERM, then SIGKILL after 5 s; waits for the process. No-op when stopped.
  void Stop();
  // Starts it again on the same port (and path). No-op when running.
  void Start();

  // The paths used: tests/node_modules/dynalite/cli.js and node from PATH
  // (empty when not found).
  static std::string CliPath();
  static std::string NodePath();

 private:
  // Spawns node on port_; true when it accepts connections, false when the
  // process exited (e.g. the port was taken). Throws on timeout.
  bool Launch();

  DynaliteOptions options_;
  std::unique_ptr<TempDir> dir_;  // log, parent watchdog script, data (when temporary)
  std::string data_path_;
  std::string log_path_;
  std::string endpoint_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace truthbyte::testing
