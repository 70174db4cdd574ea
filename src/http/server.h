// HttpServer: HTTP/1.1 with keep-alive on a pool of threads (Boost.Beast),
// handing each complete request to the Api. Bounded bodies (1 MiB, with a
// lingering close after a 413), `Expect: 100-continue`, read timeouts for
// slow or idle clients, client addresses from trusted proxies, a pause in
// accepting when out of file descriptors, and a graceful drain on
// SIGTERM/SIGINT.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "core/forwarded_for.h"
#include "core/status.h"
#include "http/api.h"

namespace truthbyte {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port
  int threads = 0;            // 0: one per core
  int blocking_threads = 64;  // for requests that block on the store (Api::Blocks)
  std::size_t body_limit = 1 << 20;
  std::chrono::seconds request_timeout{15};  // to read one request, and idle keep-alive
  std::chrono::seconds drain_timeout{10};    // SIGTERM waits this long for in-flight requests
  TrustedProxies trusted_proxies;            // whose forwarding headers name the client; none by default
};

// Raises the soft limit on open files to the hard one, then serves until
// SIGTERM or SIGINT: then stops accepting, closes idle connections, answers
// the requests already received (pipelined ones included) and returns ok,
// all within `drain_timeout`. When a store call is still running at that
// limit it ends the process (exit code 0) instead of returning, since the
// call uses `api`. `on_listening` runs once with the bound port. Fails when
// the address cannot be bound.
Status RunHttpServer(const ServerOptions& options, Api& api, const std::function<void(std::uint16_t)>& on_listening);

}  // namespace truthbyte
