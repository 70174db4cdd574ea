#include "http/server.h"

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace truthbyte {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

struct ServerState {
  std::atomic<int> in_flight{0};
  std::atomic<bool> draining{false};
};

// One connection: reads requests one at a time, answers each, and closes on
// error, timeout, "Connection: close" or drain.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Api& api, const ServerOptions& options, ServerState& state)
      : stream_(std::move(socket)), api_(api), options_(options), state_(state) {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    client_ip_ = ec ? "unknown" : endpoint.address().to_string();
  }

  void Start() {
    asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Connection::Read, shared_from_this()));
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(options_.body_limit);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(options_.request_timeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Connection::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    // Counted in flight from the first moment, so a drain waits for it.
    state_.in_flight.fetch_add(1);
    in_flight_ = true;
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::eof) {
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
    HttpResponse response = api_.Handle(parser_->get(), client_ip_);
    if (state_.draining.load()) response.keep_alive(false);
    Send(std::move(response));
  }

  void Send(HttpResponse response) {
    auto shared = std::make_shared<HttpResponse>(std::move(response));
    const bool keep_alive = shared->keep_alive();
    stream_.expires_after(options_.request_timeout);
    http::async_write(stream_, *shared,
                      [self = shared_from_this(), shared, keep_alive](beast::error_code ec, std::size_t) {
                        if (self->in_flight_) {
                          self->in_flight_ = false;
                          self->state_.in_flight.fetch_sub(1);
                        }
                        if (ec || !keep_alive || self->state_.draining.load()) return self->Close();
                        self->Read();
                      });
  }

  void Close() {
    if (in_flight_) {
      in_flight_ = false;
      state_.in_flight.fetch_sub(1);
    }
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Api& api_;
  const ServerOptions& options_;
  ServerState& state_;
  std::string client_ip_;
  bool in_flight_ = false;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(asio::io_context& ioc, tcp::acceptor acceptor, Api& api, const ServerOptions& options, ServerState& state)
      : ioc_(ioc), acceptor_(std::move(acceptor)), api_(api), options_(options), state_(state) {}

  void Accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }

  void Stop() {
    beast::error_code ec;
    acceptor_.close(ec);
  }

 private:
  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Connection>(std::move(socket), api_, options_, state_)->Start();
    }
    Accept();
  }

  asio::io_context& ioc_;
  tcp::acceptor acceptor_;
  Api& api_;
  const ServerOptions& options_;
  ServerState& state_;
};

}  // namespace

Status RunHttpServer(const ServerOptions& options, Api& api, const std::function<void(std::uint16_t)>& on_listening) {
  const int threads = options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  asio::io_context ioc(threads);

  beast::error_code ec;
  const auto address = asio::ip::make_address(options.host, ec);
  if (ec) return Status::InvalidArgument("--host " + options.host + " is not an IP address");
  tcp::acceptor acceptor(ioc);
  const tcp::endpoint endpoint(address, options.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Status::IoError("cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + ec.message());
  const std::uint16_t port = acceptor.local_endpoint().port();

  ServerState state;
  auto listener = std::make_shared<Listener>(ioc, std::move(acceptor), api, options, state);
  listener->Accept();

  // SIGTERM/SIGINT: stop accepting, wait for in-flight requests (bounded),
  // then stop the loop.
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  asio::steady_timer drain_timer(ioc);
  const auto drain_deadline = std::make_shared<std::chrono::steady_clock::time_point>();
  // Idle must be seen twice, 10 ms apart: a request whose read completed
  // just as the signal arrived has counted itself in by then.
  int idle_checks = 0;
  std::function<void()> wait_for_drain = [&] {
    idle_checks = state.in_flight.load() == 0 ? idle_checks + 1 : 0;
    if (idle_checks >= 2 || std::chrono::steady_clock::now() >= *drain_deadline) {
      ioc.stop();
      return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(10));
    drain_timer.async_wait([&](beast::error_code) { wait_for_drain(); });
  };
  signals.async_wait([&](beast::error_code, int) {
    state.draining.store(true);
    listener->Stop();
    *drain_deadline = std::chrono::steady_clock::now() + options.drain_timeout;
    wait_for_drain();
  });

  on_listening(port);
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads - 1));
  for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  return Status::Ok();
}

}  // namespace truthbyte
