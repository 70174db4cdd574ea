#include "http/server.h"

#include <array>
#include <atomic>
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

namespace truthbyte {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct ServerState {
  std::atomic<int> in_flight{0};
  std::atomic<bool> draining{false};
  // Where requests that block on the store are handled (Api::Blocks).
  asio::thread_pool* blocking = nullptr;
};

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
    client_ip_ = ec ? "unknown" : endpoint.address().to_string();
    worker_.Add(this);
  }
  ~Connection() { worker_.Remove(this); }

  void Start() { Read(); }

  // Called by the sweep: closes the socket when its deadline passed, which
  // ends the pending read or write with an error.
  void CheckDeadline(Clock::time_point now) {
    if (now < deadline_ || !socket_.is_open()) return;
    beast::error_code ec;
    socket_.close(ec);
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(options_.body_limit);
    parser_->header_limit(16 * 1024);
    deadline_ = Clock::now() + worker_.timeout();
    http::async_read(socket_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->OnRead(ec);
    });
  }

  void OnRead(beast::error_code ec) {
    // Counted in flight from the first moment, so a drain waits for it.
    state_.in_flight.fetch_add(1);
    in_flight_ = true;
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor ||
        ec == asio::error::connection_reset || ec == asio::error::eof || !socket_.is_open()) {
      return Close();
    }
    if (ec == http::error::body_limit) {
      return Send(api_.ErrorResponse(413, "payload_too_large", "the body is larger than 1 MiB", parser_->get(),
                                     client_ip_));
    }
    if (ec) {
      // Anything else the parser rejects is a malformed request.
      return Send(api_.ErrorResponse(400, "invalid_parameter", "malformed HTTP request", parser_->get(), client_ip_));
    }
    if (api_.Blocks(parser_->get())) {
      // A write waits for its commit, which it shares with the writes of
      // other connections (group commit): it waits on a blocking thread,
      // and this worker's other connections go on meanwhile. The request
      // and the connection stay untouched here until the response is back.
      asio::post(*state_.blocking, [self = shared_from_this()] {
        HttpResponse response = self->api_.Handle(self->parser_->get(), self->client_ip_);
        asio::post(self->worker_.ioc(), [self, response = std::move(response)]() mutable {
          self->Respond(std::move(response));
        });
      });
      return;
    }
    Respond(api_.Handle(parser_->get(), client_ip_));
  }

  void Respond(HttpResponse response) {
    if (state_.draining.load()) response.keep_alive(false);
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
      if (self->in_flight_) {
        self->in_flight_ = false;
        self->state_.in_flight.fetch_sub(1);
      }
      if (ec || !self->keep_alive_ || self->state_.draining.load()) return self->Close();
      self->body_ = std::string();
      self->Read();
    });
  }

  void Close() {
    if (in_flight_) {
      in_flight_ = false;
      state_.in_flight.fetch_sub(1);
    }
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    socket_.close(ec);
  }

  tcp::socket socket_;
  Worker& worker_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string out_;   // status line and fields
  std::string body_;  // the body being written
  Api& api_;
  const ServerOptions& options_;
  ServerState& state_;
  std::string client_ip_;
  Clock::time_point deadline_ = Clock::time_point::max();
  bool in_flight_ = false;
  bool keep_alive_ = false;
};

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
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(tcp::acceptor acceptor, std::vector<std::unique_ptr<Worker>>& workers, Api& api,
           const ServerOptions& options, ServerState& state)
      : acceptor_(std::move(acceptor)), workers_(workers), api_(api), options_(options), state_(state) {}

  void Accept() {
    Worker& target = *workers_[next_++ % workers_.size()];
    acceptor_.async_accept(target.ioc(), [self = shared_from_this(), &target](beast::error_code ec, tcp::socket s) {
      self->OnAccept(ec, std::move(s), target);
    });
  }

  void Stop() {
    beast::error_code ec;
    acceptor_.close(ec);
  }

 private:
  void OnAccept(beast::error_code ec, tcp::socket socket, Worker& target) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      // The connection starts on its own worker's thread.
      asio::post(target.ioc(), [s = std::make_shared<tcp::socket>(std::move(socket)), &target, this]() mutable {
        std::make_shared<Connection>(std::move(*s), target, api_, options_, state_)->Start();
      });
    }
    Accept();
  }

  tcp::acceptor acceptor_;
  std::vector<std::unique_ptr<Worker>>& workers_;
  std::size_t next_ = 0;
  Api& api_;
  const ServerOptions& options_;
  ServerState& state_;
};

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
  auto listener = std::make_shared<Listener>(std::move(acceptor), workers, api, options, state);
  listener->Accept();
  for (auto& w : workers) w->StartSweeping();

  // SIGTERM/SIGINT: stop accepting, wait for in-flight requests (bounded),
  // then stop every worker.
  asio::signal_set signals(main_ioc, SIGINT, SIGTERM);
  asio::steady_timer drain_timer(main_ioc);
  const auto drain_deadline = std::make_shared<Clock::time_point>();
  // Idle must be seen twice, 10 ms apart: a request whose read completed
  // just as the signal arrived has counted itself in by then.
  int idle_checks = 0;
  std::function<void()> wait_for_drain = [&] {
    idle_checks = state.in_flight.load() == 0 ? idle_checks + 1 : 0;
    if (idle_checks >= 2 || Clock::now() >= *drain_deadline) {
      for (auto& w : workers) w->ioc().stop();
      return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(10));
    drain_timer.async_wait([&](beast::error_code) { wait_for_drain(); });
  };
  signals.async_wait([&](beast::error_code, int) {
    state.draining.store(true);
    listener->Stop();
    *drain_deadline = Clock::now() + options.drain_timeout;
    wait_for_drain();
  });

  on_listening(port);
  std::vector<std::thread> pool;
  pool.reserve(workers.size() - 1);
  for (std::size_t i = 1; i < workers.size(); ++i) pool.emplace_back([&w = *workers[i]] { w.ioc().run(); });
  main_ioc.run();
  for (auto& t : pool) t.join();
  // Requests still on blocking threads finish (their store calls complete);
  // their responses go to stopped workers and are dropped with them.
  blocking.join();
  return Status::Ok();
}

}  // namespace truthbyte
