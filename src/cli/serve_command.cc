// truthbyte serve and truthbyte token.

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/core.h>

#include "cli/commands.h"
#include "core/forwarded_for.h"
#include "http/api.h"
#include "http/server.h"
#include "http/web_files.h"
#include "service/auth_service.h"
#include "service/game_service.h"
#include "service/crowd_truth.h"
#include "service/proposal_service.h"
#include "service/question_catalog.h"

namespace truthbyte::cli {
namespace {

// A thread that calls `step` after `first_wait`, and again after whatever
// wait each call returns, until it is destroyed (which wakes and joins it).
constexpr std::chrono::milliseconds kServedFlushInterval(200);

class BackgroundLoop {
 public:
  using Step = std::function<std::chrono::steady_clock::duration()>;
  // `low_priority`: the thread runs at nice 19, so that the scheduler
  // serves requests first.
  BackgroundLoop(std::chrono::steady_clock::duration first_wait, bool low_priority, Step step)
      : step_(std::move(step)), thread_([this, first_wait, low_priority] { Loop(first_wait, low_priority); }) {}
  ~BackgroundLoop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  void Loop(std::chrono::steady_clock::duration wait, bool low_priority) {
    if (low_priority) setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19);
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, wait, [&] { return stop_; })) {
      lock.unlock();
      wait = step_();
      lock.lock();
    }
  }

  const Step step_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the rest is built
};

// Checks the store's question version every `interval` and reloads the
// catalog when it moved (an import, an approval on another instance); and
// reloads everything every `full_interval` (when not zero), for questions
// written by other tools that do not move the version.
BackgroundLoop::Step CatalogRefresh(QuestionCatalog& catalog, std::chrono::milliseconds interval,
                                    std::chrono::milliseconds full_interval) {
  return [&catalog, interval, full_interval,
          next_full = std::chrono::steady_clock::now() + full_interval]() mutable -> std::chrono::steady_clock::duration {
    const bool full = full_interval.count() > 0 && std::chrono::steady_clock::now() >= next_full;
    if (full) next_full = std::chrono::steady_clock::now() + full_interval;
    Status s = full ? catalog.RefreshNow() : catalog.CheckForChanges();
    if (!s.ok()) std::cerr << "truthbyte: catalog refresh failed: " << s.message() << std::endl;
    return interval;
  };
}

// Refits the crowd model: at start, then every `interval` while this process
// records answers, and every `full_interval` whatever happens (answers
// recorded by other instances or tools). After a refit the next waits at
// least 10 times as long as it took, so that refits take at most a tenth of
// a core however many answers there are. Requests read the latest fit; none
// waits for one.
BackgroundLoop::Step CrowdRefit(CrowdTruth& crowd, std::chrono::milliseconds interval,
                                std::chrono::milliseconds full_interval) {
  // next_full starts at the clock's epoch: the first call refits.
  return [&crowd, interval, full_interval,
          next_full = std::chrono::steady_clock::time_point()]() mutable -> std::chrono::steady_clock::duration {
    const auto start = std::chrono::steady_clock::now();
    if (start < next_full && !crowd.HasNewAnswers()) return interval;
    if (Status s = crowd.RefitNow(); !s.ok()) std::cerr << "truthbyte: crowd refit failed: " << s.message() << std::endl;
    const auto end = std::chrono::steady_clock::now();
    next_full = end + full_interval;
    return std::max<std::chrono::steady_clock::duration>(interval, 10 * (end - start));
  };
}

}  // namespace

int RunServe(const StoreOptions& cli_store_options, const ServeOptions& options, std::ostream& out) {
  auto trusted_proxies = TrustedProxies::Parse(options.trust_proxy);
  if (!trusted_proxies.ok()) return Fail(trusted_proxies.status());
  if (!(options.label_prior > 0 && options.label_prior < 1))
    return Fail(fmt::format("--label-prior must be above 0 and below 1, not {}", options.label_prior));
  if (!(options.crowd_refit >= 0)) return Fail("--crowd-refit must be a number of seconds (0: off)");
  StoreOptions store_options = cli_store_options;
  store_options.fail_fast = true;
  auto opened = OpenStore(store_options);
  if (!opened.ok()) return Fail(opened.status());
  Store& store = **opened;

  if (options.demo) {
    auto count = store.CountQuestions();
    if (!count.ok()) return Fail(count.status());
    if (*count == 0) {
      ImportOptions starter;
      starter.files = {StarterQuestionsPath()};
      if (int rc = RunImport(store_options, starter, out); rc != 0) return rc;
    }
  }
  auto secret = LoadJwtSecret(store, store_options.env);
  if (!secret.ok()) return Fail(secret.status());
  auto salt = LoadIpSalt(store);
  if (!salt.ok()) return Fail(salt.status());

  QuestionCatalog catalog(store);
  if (Status s = catalog.RefreshNow(); !s.ok()) return Fail(s);
  AuthService auth(store, *secret, *salt);

  ApiOptions api_options;
  api_options.cors_origins = options.cors_origins;
  api_options.debug = options.debug;
  api_options.session_limit = options.session_rate_limit;
  api_options.user_limit = options.user_rate_limit;
  // One process owns a SQLite file's limits; DynamoDB instances share theirs.
  std::unique_ptr<RateLimiter> limiter;
  if (store_options.url.rfind("dynamodb:", 0) == 0) {
    limiter = std::make_unique<StoreRateLimiter>(store);
  } else {
    limiter = std::make_unique<MemoryRateLimiter>();
  }
  CrowdAnalysisOptions crowd_options;
  crowd_options.label_prior = options.label_prior;
  CrowdTruth crowd(store, crowd_options);
  const JudgmentHygiene hygiene({.min_answer_ms = options.min_answer_ms, .max_per_hour = options.max_judgments_per_hour},
                                limiter.get());
  ServedQuestions served(store);
  GameService game(store, catalog, options.daily_window, options.crowd_refit > 0 ? &crowd : nullptr,
                   options.label_prior, &hygiene, &served);
  ProposalService proposals(store, catalog);
  const StaticFiles web(WebFiles());
  Api api(api_options,
          Api::Services{&store, &catalog, &auth, &game, &proposals, limiter.get(),
                        options.crowd_refit > 0 ? &crowd : nullptr, &web},
          NowUnixMs);

  ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  server_options.threads = options.threads;
  server_options.request_timeout = std::chrono::seconds(options.request_timeout);
  server_options.trusted_proxies = *trusted_proxies;

  auto ms = [](double seconds) { return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000)); };
  BackgroundLoop refresher(ms(options.catalog_refresh), /*low_priority=*/false,
                           CatalogRefresh(catalog, ms(options.catalog_refresh), ms(options.catalog_full_refresh)));
  std::optional<BackgroundLoop> refitter;
  if (options.crowd_refit > 0) {
    // The fit `crowd analyze` stored serves until the first refit is done.
    auto stored = LoadFit(store);
    if (!stored.ok()) {
      std::cerr << "truthbyte: the stored crowd fit is not used: " << stored.status().message() << std::endl;
    } else if (*stored) {
      const std::string fitted_at = (*stored)->fitted_at;
      if (crowd.StartFrom(std::move(**stored)))
        out << "Starting from the crowd fit stored at " << fitted_at << " until the first refit\n";
    }
  }
  if (options.crowd_refit > 0)
    refitter.emplace(std::chrono::milliseconds(0), /*low_priority=*/true,
                     CrowdRefit(crowd, ms(options.crowd_refit), std::chrono::minutes(1)));
  // What fetch-questions served reaches the store within a fifth of a
  // second, where other instances find it.
  BackgroundLoop served_flush(kServedFlushInterval, /*low_priority=*/false, [&served] {
    if (Status st = served.Flush(); !st.ok())
      std::cerr << "truthbyte: recording served questions failed (retrying): " << st.message() << std::endl;
    return std::chrono::steady_clock::duration(kServedFlushInterval);
  });
  Status s = RunHttpServer(server_options, api, [&](std::uint16_t port) {
    const std::string shown_host = options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
    out << fmt::format("TruthByte is serving {} questions from {} on http://{}:{}/ (the game; moderation at http://{}:{}/admin)\n",
                       catalog.Current()->entries.size(), store.Describe(), shown_host, port, shown_host, port);
    out.flush();
  });
  if (Status flushed = served.Flush(); !flushed.ok())
    std::cerr << "truthbyte: recording served questions failed: " << flushed.message() << std::endl;
  if (!s.ok()) return Fail(s);
  out << "TruthByte stopped\n";
  return 0;
}

int RunToken(const StoreOptions& store_options, bool admin, double hours, std::ostream& out) {
  if (!admin) return Fail("only admin tokens are printed here (--admin); players get tokens from GET /v1/session");
  auto store = OpenStore(store_options);
  if (!store.ok()) return Fail(store.status());
  auto secret = LoadJwtSecret(**store, store_options.env);
  if (!secret.ok()) return Fail(secret.status());
  auto salt = LoadIpSalt(**store);
  if (!salt.ok()) return Fail(salt.status());
  AuthService auth(**store, *secret, *salt);
  out << auth.AdminToken(NowUnixMs() / 1000, static_cast<std::int64_t>(hours * 3600)) << '\n';
  return 0;
}

}  // namespace truthbyte::cli
