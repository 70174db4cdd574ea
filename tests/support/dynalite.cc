#include "support/dynalite.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/test_support.h"

extern char** environ;

namespace truthbyte::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kStartTimeout = std::chrono::seconds(20);
constexpr auto kStopTimeout = std::chrono::seconds(5);
constexpr int kPortAttempts = 8;

// A port that was free a moment ago: bind port 0 on loopback and ask.
int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const int err = errno;
    close(fd);
    throw std::runtime_error(std::string("cannot find a free port: ") + std::strerror(err));
  }
  close(fd);
  return ntohs(addr.sin_port);
}

bool AcceptsConnections(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

bool IsExecutable(const std::string& path) {
  struct stat st{};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

std::uintmax_t FileSize(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

std::string ReadFrom(const std::string& path, std::uintmax_t offset) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(static_cast<std::streamoff>(offset));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Preloaded into node: ends dynalite when the test process that started it
// is gone (crashed or killed before its destructors ran).
constexpr const char* kWatchParentScript = R"js(
const fs = require('fs');
const parent = Number(process.env.TRUTHBYTE_DYNALITE_PARENT || 0);
function parentGone() {
  try {  // process.ppid is fixed at start; /proc has the current parent
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== parent;
  } catch (e) {
    try { process.kill(parent, 0); return false; } catch (e2) { return true; }
  }
}
if (parent > 0) setInterval(() => { if (parentGone()) process.exit(0); }, 250).unref();
)js";

}  // namespace

std::string Dynalite::CliPath() { return std::string(TRUTHBYTE_SOURCE_DIR) + "/tests/node_modules/dynalite/cli.js"; }

std::string Dynalite::NodePath() {
  const char* path_env = std::getenv("PATH");
  std::string path = path_env && *path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/node";
    if (IsExecutable(candidate)) return candidate;
  }
  return "";
}

Dynalite::Dynalite(DynaliteOptions options) : options_(std::move(options)), dir_(std::make_unique<TempDir>()) {
  log_path_ = dir_->File("dynalite.log");
  WriteFile(dir_->File("watch-parent.js"), kWatchParentScript);
  if (options_.persist) {
    data_path_ = options_.path.empty() ? dir_->File("data") : options_.path;
    std::filesystem::create_directories(data_path_);
  }
  if (NodePath().empty()) {
    throw std::runtime_error("dynalite: no node in PATH; run scripts/install-deps.sh");
  }
  if (!std::filesystem::exists(CliPath())) {
    throw std::runtime_error("dynalite: " + CliPath() + " is missing; run scripts/install-deps.sh");
  }
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    port_ = FreeLoopbackPort();
    if (Launch()) {
      endpoint_ = "http://127.0.0.1:" + std::to_string(port_);
      return;
    }
  }
  throw std::runtime_error("dynalite did not start after " + std::to_string(kPortAttempts) + " ports: " + Log());
}

Dynalite::~Dynalite() {
  try {
    Stop();
  } catch (...) {
  }
}

std::string Dynalite::Log() const { return ReadFrom(log_path_, 0); }

bool Dynalite::Launch() {
  const std::string node = NodePath();
  const std::string port = std::to_string(port_);
  std::vector<std::string> args = {node,
                                   "--require",
                                   dir_->File("watch-parent.js"),
                                   CliPath(),
                                   "--host",
                                   "127.0.0.1",
                                   "--port",
                                   port,
                                   "--createTableMs",
                                   "0",
                                   "--deleteTableMs",
                                   "0",
                                   "--updateTableMs",
                                   "0"};
  if (!data_path_.empty()) {
    args.push_back("--path");
    args.push_back(data_path_);
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_storage;
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "TRUTHBYTE_DYNALITE_PARENT=", 26) == 0) continue;
    env_storage.emplace_back(*e);
  }
  env_storage.push_back("TRUTHBYTE_DYNALITE_PARENT=" + std::to_string(getpid()));
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  const auto log_offset = FileSize(log_path_);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  // Default signal dispositions and an empty mask in the child, whatever
  // the test process has set up.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  pid_t pid = -1;
  const int rc = posix_spawn(&pid, node.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw std::runtime_error("dynalite: cannot start " + node + ": " + std::strerror(rc));
  pid_ = pid;

  // Ready when it has said so (it prints in its listen callback) and takes
  // a connection: the message rules out another program on a taken port.
  const auto deadline = Clock::now() + kStartTimeout;
  while (Clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;  // exited: most likely the port was taken meanwhile
    }
    if (ReadFrom(log_path_, log_offset).find("Dynalite listening at") != std::string::npos &&
        AcceptsConnections(port_)) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Stop();
  throw std::runtime_error("dynalite did not accept connections on port " + port + " within 20 s: " +
                           ReadFrom(log_path_, log_offset));
}

void Dynalite::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + kStopTimeout;
  int status = 0;
  while (Clock::now() < deadline) {
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

void Dynalite::Start() {
  if (pid_ > 0) return;
  // The same port: the old socket is closed, and node binds with SO_REUSEADDR.
  // Retry briefly in case the port is still being released.
  const auto deadline = Clock::now() + kStopTimeout;
  do {
    if (Launch()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (Clock::now() < deadline);
  throw std::runtime_error("dynalite did not restart on port " + std::to_string(port_) + ": " + Log());
}

}  // namespace truthbyte::testing
