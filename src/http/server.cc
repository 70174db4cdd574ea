#include "http/server.h"

#include <sys/resource.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <fmt/core.h>

namespace truthbyte {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct ServerState {
  // Connections alive on any worker: a drain ends when none is left.
  std::atomic<int> connections{0};
  std::atomic<bool> draining{false};
  // Requests handed to the blocking pool and not back from the store yet.
  std::atomic<int> blocking_calls{0};
  // Where requests that block on the store are handled (Api::Blocks).
  asio::thread_pool* blocking = nullptr;
};

// After a 413 the rest of the body is read and dropped for a while before
// the close, so that a client still sending it reads the 413 instead of a
// reset (a close with unread data sends RST, which discards what the client
// has not read yet).
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 16 << 20;

class Connection;

// One thread with its own io_context (no strands, no cross-thread locking on
// the request path). Its connections are swept for deadlines by one timer,
// so a request costs no timer operations.
class Worker {
 public:
  explicit Worker(std::chrono::seconds timeout) : timeout_(timeout), ioc_(1), sweep_timer_(ioc_) {}

  asio::io_context& ioc() { return ioc_; }
  std::chrono::seconds timeout() const { return timeout_; }

  // Connections register themselves; only this worker's thread calls these.
  void Add(Connection* c) { connections_.push_back(c); }
  void Remove(Connection* c) {
    for (auto& slot : connections_) {
      if (slot == c) {
        slot = connections_.back();
        connections_.pop_back();
        return;
      }
    }
  }

  void StartSweeping();
  // The drain has begun: closes the connections that wait for a request of
  // which no byte has arrived. Runs on this worker's thread.
  void CloseIdle();

 private:
  // Declared first so it outlives the io_context, whose destruction drops
  // pending handlers and with them the last connections.
  std::vector<Connection*> connections_;
  const std::chrono::seconds timeout_;
  asio::io_context ioc_;
  asio::steady_timer sweep_timer_;
};

// One connection: reads requests one at a time, answers each, and closes on
// error, deadline, "Connection: close" or drain. Lives on one worker's thread.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Worker& worker, Api& api, const ServerOptions& options, ServerState& state)
      : socket_(std::move(socket)), worker_(worker), api_(api), options_(options), state_(state) {
    beast::error_code ec;
    auto endpoint = socket_.remote_endpoint(ec);
    peer_ip_ = ec ? "unknown" : endpoint.address().to_string();
    worker_.Add(this);
    state_.connections.fetch_add(1);
  }
  ~Connection() {
    worker_.Remove(this);
    state_.connections.fetch_sub(1);
  }

  void Start() {
    if (state_.draining.load() && !NextRequestHere()) return Close();
    Read();
  }

  // Called by the sweep: closes the socket when its deadline passed, which
  // ends the pending read or write with an error.
  void CheckDeadline(Clock::time_point now) {
    if (now < deadline_ || !socket_.is_open()) return;
    beast::error_code ec;
    socket_.close(ec);
  }

  // Closes the connection when it waits for a request and none has begun
  // to arrive; a request whose first bytes are here is read and answered.
  // It cancels the read rather than closing: bytes the read has already
  // taken from the socket (its completion queued, not yet in buffer_) then
  // still arrive, and only a read that got nothing ends (operation_aborted).
  void CloseIfIdle() {
    if (waiting_for_request_ && !parser_->got_some() && !NextRequestHere()) {
      beast::error_code ec;
      socket_.cancel(ec);
    }
  }

 private:
  // Whether bytes past the current request are here: buffered (pipelined
  // behind it) or in the socket's receive queue.
  bool NextRequestHere() {
    beast::error_code ec;
    return buffer_.size() > 0 || socket_.available(ec) > 0;
  }

  void Read() {
    parser_.emplace();
    parser_->body_limit(options_.body_limit);
    parser_->header_limit(16 * 1024);
    deadline_ = Clock::now() + worker_.timeout();
    waiting_for_request_ = true;
    http::async_read_header(socket_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->OnHeader(ec);
    });
  }

  // The header is in: a client that sent `Expect: 100-continue` waits for
  // the interim response before it sends the body (RFC 9110 10.1.1). A
  // declared body over the limit has already failed the header read (413).
  void OnHeader(beast::error_code ec) {
    waiting_for_request_ = false;
    if (ec || parser_->is_done()) return OnRead(ec);
    const HttpRequest& request = parser_->get();
    const auto expect = request.find(http::field::expect);
    const bool wants_continue = request.version() >= 11 && expect != request.end() &&
                                beast::iequals(expect->value(), "100-continue") && buffer_.size() == 0;
    if (!wants_continue) return ReadBody();
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return self->Close();
                        self->ReadBody();
                      });
  }

  void ReadBody() {
    http::async_read(socket_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->OnRead(ec);
    });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor ||
        ec == asio::error::connection_reset || ec == asio::error::eof || !socket_.is_open()) {
      return Close();
    }
    if (ec == http::error::body_limit) {
      linger_after_write_ = true;
      return Send(api_.ErrorResponse(ErrorCode::kPayloadTooLarge, "the body is larger than 1 MiB", parser_->get(),
                                     ClientIp()));
    }
    if (ec) {
      // Anything else the parser rejects is a malformed request. It carries
      // the CORS headers as every error does, so its Origin is looked for
      // in the raw bytes when the parser stopped before it.
      HttpRequest partial = parser_->get();
      if (partial.find(http::field::origin) == partial.end()) {
        if (auto origin = RawOrigin()) partial.set(http::field::origin, *origin);
      }
      return Send(api_.ErrorResponse(ErrorCode::kInvalidParameter, "malformed HTTP request", partial, ClientIp()));
    }
    ClientIp();  // sets client_ip_, which the handlers below read (on the blocking pool too)
    if (api_.Blocks(parser_->get())) {
      // A write waits for its commit, which it shares with the writes of
      // other connections (group commit): it waits on a blocking thread,
      // and this worker's other connections go on meanwhile. The request
      // and the connection stay untouched here until the response is back.
      state_.blocking_calls.fetch_add(1);
      asio::post(*state_.blocking, [self = shared_from_this()] {
        HttpResponse response = self->api_.Handle(self->parser_->get(), self->client_ip_);
        asio::post(self->worker_.ioc(), [self, response = std::move(response)]() mutable {
          self->Respond(std::move(response));
        });
        self->state_.blocking_calls.fetch_sub(1);
      });
      return;
    }
    Respond(api_.Handle(parser_->get(), client_ip_));
  }

  // The value of an `Origin:` line among the unparsed bytes of a request
  // the parser rejected, if there is one of visible ASCII.
  std::optional<std::string> RawOrigin() const {
    const std::string_view raw(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    static constexpr std::string_view kName = "\norigin:";
    for (std::size_t i = 0; i + kName.size() <= raw.size(); ++i) {
      if (!beast::iequals(raw.substr(i, kName.size()), kName)) continue;
      std::size_t start = i + kName.size();
      while (start < raw.size() && (raw[start] == ' ' || raw[start] == '\t')) ++start;
      std::size_t end = start;
      while (end < raw.size() && raw[end] > ' ' && raw[end] < 0x7F) ++end;
      if (end == start || end - start > 1024 || (end < raw.size() && raw[end] != '\r' && raw[end] != '\n')) break;
      return std::string(raw.substr(start, end - start));
    }
    return std::nullopt;
  }

  // The address the request counts against (rate limits, the session's IP
  // hash, logs): the peer, or what trusted proxies say it forwards for.
  // Kept in client_ip_ for the request's life.
  const std::string& ClientIp() {
    if (!options_.trusted_proxies.enabled()) {
      if (client_ip_.empty()) client_ip_ = peer_ip_;
      return client_ip_;
    }
    std::vector<std::string_view> forwarded, x_forwarded_for;
    const HttpRequest& request = parser_->get();
    for (auto [it, end] = request.equal_range(http::field::forwarded); it != end; ++it)
      forwarded.emplace_back(it->value().data(), it->value().size());
    for (auto [it, end] = request.equal_range("X-Forwarded-For"); it != end; ++it)
      x_forwarded_for.emplace_back(it->value().data(), it->value().size());
    client_ip_ = options_.trusted_proxies.ClientAddress(peer_ip_, forwarded, x_forwarded_for);
    return client_ip_;
  }

  // While draining, a response closes the connection unless the client has
  // already sent more (pipelined requests): those are read and answered.
  void Respond(HttpResponse response) {
    if (state_.draining.load() && !NextRequestHere()) response.keep_alive(false);
    Send(std::move(response));
  }

  // Writes the status line and the fields as the Api set them (Content-Length
  // included) from one buffer, and the body from its own: one writev, no
  // copy of the body.
  void Send(HttpResponse response) {
    keep_alive_ = response.keep_alive();
    out_.clear();
    out_ += response.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    out_ += std::to_string(response.result_int());
    out_ += ' ';
    const auto reason = response.reason();
    out_.append(reason.data(), reason.size());
    out_ += "\r\n";
    for (const auto& field : response) {
      const auto name = field.name_string();
      const auto value = field.value();
      out_.append(name.data(), name.size());
      out_ += ": ";
      out_.append(value.data(), value.size());
      out_ += "\r\n";
    }
    out_ += "\r\n";
    body_ = std::move(response.body());
    deadline_ = Clock::now() + worker_.timeout();
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(out_), asio::buffer(body_)};
    asio::async_write(socket_, buffers, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (!ec && self->linger_after_write_) return self->Linger();
      // A drain that began during the write closes an idle connection here.
      if (ec || !self->keep_alive_ || (self->state_.draining.load() && !self->NextRequestHere())) return self->Close();
      self->body_ = std::string();
      self->Read();
    });
  }

  // The lingering close: no more sending, the rest of the request dropped
  // until the client closes, kLingerBytes were read or kLingerTime passed.
  void Linger() {
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    deadline_ = std::min(deadline_, Clock::now() + kLingerTime);
    out_.resize(64 * 1024);
    DropInput();
  }
  void DropInput() {
    socket_.async_read_some(asio::buffer(out_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->lingered_ += n;
      if (ec || self->lingered_ >= kLingerBytes) return self->Close();
      self->DropInput();
    });
  }

  void Close() {
    waiting_for_request_ = false;
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    socket_.close(ec);
  }

  tcp::socket socket_;
  Worker& worker_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string out_;   // status line and fields; the drop buffer when lingering
  std::string body_;  // the body being written
  Api& api_;
  const ServerOptions& options_;
  ServerState& state_;
  std::string peer_ip_;    // the TCP peer
  std::string client_ip_;  // the current request's client (ClientIp)
  Clock::time_point deadline_ = Clock::time_point::max();
  bool waiting_for_request_ = false;  // a read is pending and no request has been parsed
  bool keep_alive_ = false;
  bool linger_after_write_ = false;
  std::size_t lingered_ = 0;
};

void Worker::CloseIdle() {
  // Closing never runs a handler inline, so the list is stable here.
  for (Connection* c : connections_) c->CloseIfIdle();
}

void Worker::StartSweeping() {
  sweep_timer_.expires_after(std::chrono::milliseconds(250));
  sweep_timer_.async_wait([this](beast::error_code ec) {
    if (ec) return;
    const auto now = Clock::now();
    // Closing never runs a handler inline, so the list is stable here.
    for (Connection* c : connections_) c->CheckDeadline(now);
    StartSweeping();
  });
}

// Accepts on the first worker and hands connections to the workers in turn.
// Out of file descriptors, accept() fails at once for as long as the backlog
// holds a connection: accepting pauses instead (100 ms, doubling to 1 s, as
// nginx does) while the open connections are served, and one line is logged
// per episode.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(tcp::acceptor acceptor, std::vector<std::unique_ptr<Worker>>& workers, Api& api,
           const ServerOptions& options, ServerState& state)
      : acceptor_(std::move(acceptor)),
        backoff_timer_(acceptor_.get_executor()),
        workers_(workers),
        api_(api),
        options_(options),
        state_(state) {}

  void Accept() {
    Worker& target = *workers_[next_++ % workers_.size()];
    acceptor_.async_accept(target.ioc(), [self = shared_from_this(), &target](beast::error_code ec, tcp::socket s) {
      self->OnAccept(ec, std::move(s), target);
    });
  }

  // Stops accepting. Connections already in the listen backlog are taken
  // first (their requests may have arrived already): closing the acceptor
  // would reset them.
  void Stop() {
    beast::error_code ec;
    acceptor_.non_blocking(true, ec);
    while (!ec) {
      Worker& target = *workers_[next_++ % workers_.size()];
      tcp::socket socket(target.ioc());
      acceptor_.accept(socket, ec);
      if (!ec) StartConnection(std::move(socket), target);
    }
    acceptor_.close(ec);
    backoff_timer_.cancel();
  }

 private:
  static constexpr std::chrono::milliseconds kFirstBackoff{100};
  static constexpr std::chrono::milliseconds kMaxBackoff{1000};

  static bool OutOfDescriptors(const beast::error_code& ec) {
    return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space || ec == asio::error::no_memory ||
           (ec.category() == asio::error::get_system_category() && ec.value() == ENFILE);
  }

  void OnAccept(beast::error_code ec, tcp::socket socket, Worker& target) {
    // A connection accepted just before Stop() is served like the others.
    if (!ec) StartConnection(std::move(socket), target);
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (OutOfDescriptors(ec)) return PauseAccepting(ec);
    backoff_ = std::chrono::milliseconds(0);
    Accept();
  }

  void StartConnection(tcp::socket socket, Worker& target) {
    beast::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    // The connection starts on its own worker's thread.
    asio::post(target.ioc(), [s = std::make_shared<tcp::socket>(std::move(socket)), &target, this]() mutable {
      std::make_shared<Connection>(std::move(*s), target, api_, options_, state_)->Start();
    });
  }

  void PauseAccepting(const beast::error_code& ec) {
    if (backoff_.count() == 0) {
      fmt::print(stderr, "truthbyte: accept() failed: {}; accepting paused until descriptors free up\n", ec.message());
      backoff_ = kFirstBackoff;
    } else {
      backoff_ = std::min(kMaxBackoff, backoff_ * 2);
    }
    backoff_timer_.expires_after(backoff_);
    backoff_timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (wait_ec || !self->acceptor_.is_open()) return;
      self->Accept();
    });
  }

  tcp::acceptor acceptor_;
  asio::steady_timer backoff_timer_;
  std::chrono::milliseconds backoff_{0};  // 0: accepting normally
  std::vector<std::unique_ptr<Worker>>& workers_;
  std::size_t next_ = 0;
  Api& api_;
  const ServerOptions& options_;
  ServerState& state_;
};

// Raises the soft limit on open files to the hard limit (each connection
// is a descriptor) and logs the limit in force.
void RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY) {
    fmt::print(stderr, "truthbyte: open file limit: unlimited\n");
  } else {
    fmt::print(stderr, "truthbyte: open file limit: {}\n", static_cast<std::uint64_t>(limit.rlim_cur));
  }
}

}  // namespace

Status RunHttpServer(const ServerOptions& options, Api& api, const std::function<void(std::uint16_t)>& on_listening) {
  const int threads = options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < threads; ++i) workers.push_back(std::make_unique<Worker>(options.request_timeout));
  asio::io_context& main_ioc = workers[0]->ioc();

  beast::error_code ec;
  const auto address = asio::ip::make_address(options.host, ec);
  if (ec) return Status::InvalidArgument("--host " + options.host + " is not an IP address");
  tcp::acceptor acceptor(main_ioc);
  const tcp::endpoint endpoint(address, options.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Status::IoError("cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + ec.message());
  const std::uint16_t port = acceptor.local_endpoint().port();

  // Enough threads that every connection of a busy server can wait for a
  // commit at once: the more wait, the more share one.
  asio::thread_pool blocking(static_cast<std::size_t>(std::max(1, options.blocking_threads)));
  ServerState state;
  state.blocking = &blocking;
  RaiseOpenFileLimit();
  auto listener = std::make_shared<Listener>(std::move(acceptor), workers, api, options, state);
  listener->Accept();
  for (auto& w : workers) w->StartSweeping();

  // SIGTERM/SIGINT: stop accepting, close idle connections, answer every
  // request whose bytes have arrived (closing each connection after its
  // last), then stop every worker; all within the drain limit.
  asio::signal_set signals(main_ioc, SIGINT, SIGTERM);
  asio::steady_timer drain_timer(main_ioc);
  Clock::time_point drain_deadline = Clock::time_point::max();
  std::function<void()> wait_for_drain = [&] {
    if (state.connections.load() == 0 || Clock::now() >= drain_deadline) {
      for (auto& w : workers) w->ioc().stop();
      return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(10));
    drain_timer.async_wait([&](beast::error_code) { wait_for_drain(); });
  };
  signals.async_wait([&](beast::error_code, int) {
    state.draining.store(true);
    listener->Stop();
    drain_deadline = Clock::now() + options.drain_timeout;
    for (auto& w : workers) asio::post(w->ioc(), [&w = *w] { w.CloseIdle(); });
    wait_for_drain();
  });

  on_listening(port);
  std::vector<std::thread> pool;
  pool.reserve(workers.size() - 1);
  for (std::size_t i = 1; i < workers.size(); ++i) pool.emplace_back([&w = *workers[i]] { w.ioc().run(); });
  main_ioc.run();
  for (auto& t : pool) t.join();
  // Store calls still running at the drain limit hold `api` and the
  // caller's store: returning would destroy them under their feet, and
  // waiting would break the limit. The process ends here instead.
  if (const int hung = state.blocking_calls.load(); hung > 0 && Clock::now() >= drain_deadline) {
    fmt::print(stderr, "truthbyte: {} request(s) still waiting on the store at the {} s drain limit; exiting\n", hung,
               options.drain_timeout.count());
    std::fflush(nullptr);
    std::_Exit(0);
  }
  // Requests still on blocking threads finish (their store calls complete);
  // their responses go to stopped workers and are dropped with them.
  blocking.join();
  return Status::Ok();
}

}  // namespace truthbyte
