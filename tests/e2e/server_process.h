// Runs the real `truthbyte serve` as a child process for the end-to-end
// tests: started with posix_spawn on 127.0.0.1 and a free port (--port 0),
// stdout and stderr captured in files; ready when it prints its "on
// http://127.0.0.1:PORT/" line. Stop() sends SIGTERM and waits for a clean
// exit; the destructor kills a server that is still running.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/sha256.h"
#include "support/dynalite.h"
#include "support/test_support.h"


// Set when the binary is built with a sanitizer: runs a callback before the
// sanitizer ends the process after a report.
extern "C" void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

namespace truthbyte::e2e {

// ---- A safety net: no server outlives the test binary --------------------------
//
// Every running child is registered; if the test binary dies (a fatal
// signal, exit(), a sanitizer report) the children are killed first.
namespace detail {

inline std::array<std::atomic<pid_t>, 256>& LiveChildren() {
  static std::array<std::atomic<pid_t>, 256> pids{};
  return pids;
}

// Async-signal-safe.
inline void KillLiveChildren() {
  for (auto& slot : LiveChildren()) {
    const pid_t pid = slot.exchange(0);
    if (pid > 0) ::kill(pid, SIGKILL);
  }
}

inline void OnFatalSignal(int sig) {
  KillLiveChildren();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

inline void InstallSafetyNet() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGABRT, SIGQUIT}) {
      struct sigaction current {};
      if (sigaction(sig, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
        struct sigaction action {};
        action.sa_handler = &OnFatalSignal;
        sigemptyset(&action.sa_mask);
        sigaction(sig, &action, nullptr);
      }
    }
    std::atexit([] { KillLiveChildren(); });
    if (&__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback([] { KillLiveChildren(); });
  });
}

inline void RegisterChild(pid_t pid) {
  for (auto& slot : LiveChildren()) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pid)) return;
  }
}

inline void UnregisterChild(pid_t pid) {
  for (auto& slot : LiveChildren()) {
    pid_t expected = pid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

}  // namespace detail

using truthbyte::testing::ReadFile;
using truthbyte::testing::TempDir;

// A started child process with its output in files.
class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() { Kill(); }

  // Starts TRUTHBYTE_BINARY with `args`; stdout/stderr go to files in io_.
  void Spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
    SpawnProgram(TRUTHBYTE_BINARY, args, env);
  }

  // Starts `program` (a path) with `args`, the same way.
  void SpawnProgram(const std::string& program, const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env) {
    out_path_ = io_.File("stdout");
    err_path_ = io_.File("stderr");
    detail::InstallSafetyNet();
    pid_ = truthbyte::testing::SpawnProgram(program, args, env, out_path_, err_path_);
    detail::RegisterChild(pid_);
    running_ = true;
  }

  // Non-blocking: the exit code once the process has ended (128+signal for
  // a signal), nullopt while it runs.
  std::optional<int> Poll() {
    if (!running_) return exit_code_;
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      detail::UnregisterChild(pid_);
      running_ = false;
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_code_;
    }
    return std::nullopt;
  }

  // Waits up to `timeout` for the exit; nullopt when still running.
  std::optional<int> Wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      if (auto code = Poll()) return code;
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  void Signal(int sig) {
    if (running_) ::kill(pid_, sig);
  }

  // SIGKILL and reap, when still running.
  void Kill() {
    if (!running_) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    detail::UnregisterChild(pid_);
    running_ = false;
    exit_code_ = 128 + SIGKILL;
  }

  bool running() { return !Poll().has_value(); }
  pid_t pid() const { return pid_; }
  std::string Stdout() const { return SafeRead(out_path_); }
  std::string Stderr() const { return SafeRead(err_path_); }

 private:
  static std::string SafeRead(const std::string& path) {
    try {
      return ReadFile(path);
    } catch (const std::exception&) {
      return {};
    }
  }

  TempDir io_;
  std::string out_path_, err_path_;
  pid_t pid_ = -1;
  bool running_ = false;
  std::optional<int> exit_code_;
};

struct CommandOutcome {
  std::optional<int> exit_code;  // nullopt: still running at the timeout (then killed)
  std::string out;
  std::string err;
};

// Runs truthbyte with `args` and waits up to `timeout`; a process still
// running then is killed (so a command that should fail but serves instead
// cannot hang the suite).
inline CommandOutcome RunWithTimeout(const std::vector<std::string>& args,
                                     const std::map<std::string, std::string>& env = {},
                                     std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  ChildProcess child;
  child.Spawn(args, env);
  CommandOutcome outcome;
  outcome.exit_code = child.Wait(timeout);
  child.Kill();
  outcome.out = child.Stdout();
  outcome.err = child.Stderr();
  return outcome;
}

// The engine under test. The suite runs twice (see tests/CMakeLists.txt):
// on SQLite, and with TRUTHBYTE_E2E_ENGINE=dynalite on DynamoDB (one
// dynalite per test process; each store path becomes its own --env).
inline bool OnDynalite() {
  const char* engine = std::getenv("TRUTHBYTE_E2E_ENGINE");
  return engine && std::string(engine) == "dynalite";
}

inline truthbyte::testing::Dynalite& SharedDynalite() {
  static auto* dynalite = new truthbyte::testing::Dynalite();  // lives until the process ends
  return *dynalite;
}

// The global options that select the store for `store_path`.
inline std::vector<std::string> StoreArgs(const std::string& store_path) {
  if (!OnDynalite()) return {"--store", "sqlite:" + store_path};
  return {"--store", "dynamodb:", "--endpoint", SharedDynalite().endpoint(), "--env",
          "e" + truthbyte::Sha256Hex(store_path).substr(0, 12)};
}

// Runs a truthbyte command against the store of `store_path` (creating the
// DynamoDB tables first when needed).
// The environment a truthbyte process needs for the engine under test;
// on dynalite, also creates the store's tables (once per store path).
inline std::map<std::string, std::string> EngineEnv(const std::string& store_path,
                                                    std::map<std::string, std::string> env) {
  if (!OnDynalite()) return env;
  env.emplace("AWS_ACCESS_KEY_ID", "e2e");
  env.emplace("AWS_SECRET_ACCESS_KEY", "e2e");
  static std::set<std::string> initialised;
  if (initialised.insert(store_path).second) {
    std::vector<std::string> init = StoreArgs(store_path);
    init.push_back("init");
    auto r = truthbyte::testing::RunTruthbyte(init, env);
    if (r.exit_code != 0) throw std::runtime_error("truthbyte init failed: " + r.err);
  }
  return env;
}

inline truthbyte::testing::CommandResult RunCli(const std::string& store_path, std::vector<std::string> args,
                                                const std::map<std::string, std::string>& env = {}) {
  const std::map<std::string, std::string> full_env = EngineEnv(store_path, env);
  std::vector<std::string> all = StoreArgs(store_path);
  all.insert(all.end(), args.begin(), args.end());
  return truthbyte::testing::RunTruthbyte(all, full_env);
}

struct ServerConfig {
  bool demo = true;
  std::vector<std::string> serve_args;        // after "serve"
  std::map<std::string, std::string> env;     // extra environment
  // When set, the global store options used instead of StoreArgs(store_path)
  // (e.g. a test's own dynalite); `env` is then passed as it is (no
  // EngineEnv), so it must hold what that store needs (AWS keys).
  std::optional<std::vector<std::string>> store_args;
};

// A running `truthbyte --store ... serve --host 127.0.0.1 --port 0` on the engine under test.
class ServerProcess {
 public:
  // Starts the server on `store_path` and waits (up to 20 s) until it
  // listens. Throws with its output when it does not come up.
  ServerProcess(std::string store_path, ServerConfig config = {})
      : store_path_(std::move(store_path)), config_(std::move(config)) {
    Start();
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess() { child_.Kill(); }

  std::uint16_t port() const { return port_; }
  const std::string& store_path() const { return store_path_; }
  pid_t pid() const { return child_.pid(); }
  bool running() { return child_.running(); }
  std::string Stdout() const { return child_.Stdout(); }
  std::string Stderr() const { return child_.Stderr(); }
  void Signal(int sig) { child_.Signal(sig); }

  // SIGTERM, then waits up to `timeout` for the exit; expects exit code 0.
  // Returns the exit code (-1 when it had to be killed).
  int Stop(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    child_.Signal(SIGTERM);
    return WaitForExit(timeout);
  }

  // Waits for an exit already under way (after Signal); expects code 0.
  int WaitForExit(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    auto code = child_.Wait(timeout);
    if (!code) {
      ADD_FAILURE() << "the server did not exit within " << timeout.count() << " ms after SIGTERM; killing it";
      child_.Kill();
      return -1;
    }
    EXPECT_EQ(0, *code) << "server exit code; stderr:\n" << Stderr();
    return *code;
  }

 private:
  void Start() {
    const std::map<std::string, std::string> env =
        config_.store_args ? config_.env : EngineEnv(store_path_, config_.env);
    std::vector<std::string> args = config_.store_args ? *config_.store_args : StoreArgs(store_path_);
    args.insert(args.end(), {"serve", "--host", "127.0.0.1", "--port", "0"});
    if (config_.demo) args.push_back("--demo");
    args.insert(args.end(), config_.serve_args.begin(), config_.serve_args.end());
    child_.Spawn(args, env);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    const std::string marker = "on http://127.0.0.1:";
    while (true) {
      const std::string out = child_.Stdout();
      const auto at = out.find(marker);
      if (at != std::string::npos) {
        const auto start = at + marker.size();
        const auto slash = out.find('/', start);
        if (slash != std::string::npos) {
          port_ = static_cast<std::uint16_t>(std::stoi(out.substr(start, slash - start)));
          return;
        }
      }
      if (auto code = child_.Poll()) {
        throw std::runtime_error("truthbyte serve exited with " + std::to_string(*code) + " before listening\nstdout:\n" +
                                 out + "\nstderr:\n" + child_.Stderr());
      }
      if (std::chrono::steady_clock::now() > deadline) {
        child_.Kill();
        throw std::runtime_error("truthbyte serve did not listen within 20 s\nstdout:\n" + out + "\nstderr:\n" +
                                 child_.Stderr());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  std::string store_path_;
  ServerConfig config_;
  ChildProcess child_;
  std::uint16_t port_ = 0;
};

}  // namespace truthbyte::e2e
