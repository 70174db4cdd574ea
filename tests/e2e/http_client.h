// A small synchronous HTTP/1.1 client for the end-to-end tests (Boost.Beast),
// and a raw-socket helper for sending arbitrary bytes.
//
// HttpClient keeps one connection open across requests (keep-alive) and
// reconnects when the server closed it. Every network operation has a
// timeout, so a hanging server fails a test instead of hanging it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

namespace truthbyte::e2e {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace asio = boost::asio;

using Headers = std::vector<std::pair<std::string, std::string>>;

inline std::string LowerAscii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// One HTTP response as the client saw it.
struct HttpResult {
  int status = 0;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;
  bool keep_alive = true;

  bool HasHeader(const std::string& name) const { return headers.count(LowerAscii(name)) > 0; }
  // The first value of `name`, or "" when absent.
  std::string Header(const std::string& name) const {
    auto it = headers.find(LowerAscii(name));
    return it == headers.end() ? std::string() : it->second;
  }
  // The body as JSON; a discarded value (is_discarded()) when it is not JSON.
  nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
};

// Fills `out` from a parsed Beast response.
inline void FillResult(const http::response<http::string_body>& res, HttpResult* out) {
  out->status = static_cast<int>(res.result_int());
  out->headers.clear();
  for (const auto& field : res) out->headers.emplace(LowerAscii(std::string(field.name_string())), std::string(field.value()));
  out->body = res.body();
  out->keep_alive = res.keep_alive();
}

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(20))
      : port_(port), timeout_(timeout) {}

  // Sends one request and reads its response. `method` is any token
  // ("GET", "POST", "BREW"); Host and Content-Length are added. Throws
  // std::runtime_error on a network failure or timeout.
  HttpResult Request(const std::string& method, const std::string& target, const Headers& headers = {},
                     const std::optional<std::string>& body = std::nullopt) {
    http::request<http::string_body> req;
    const http::verb verb = http::string_to_verb(method);
    if (verb == http::verb::unknown) req.method_string(method);
    else req.method(verb);
    req.target(target);
    req.version(11);
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
    for (const auto& [name, value] : headers) req.insert(name, value);
    if (body) req.body() = *body;
    if (body || verb == http::verb::post) req.prepare_payload();

    last_read_had_header_ = false;
    if (!stream_ || !open_) Connect();
    beast::error_code ec;
    stream_->expires_after(timeout_);
    http::async_write(*stream_, req, [&](beast::error_code e, std::size_t) { ec = e; });
    Run();
    if (ec) {
      open_ = false;
      throw std::runtime_error("write failed: " + ec.message());
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.header_limit(64 * 1024);
    // The answer to a HEAD has a Content-Length but no content.
    parser.skip(verb == http::verb::head);
    stream_->expires_after(timeout_);
    http::async_read(*stream_, buffer_, parser, [&](beast::error_code e, std::size_t) { ec = e; });
    Run();
    if (ec) {
      open_ = false;
      last_read_had_header_ = parser.is_header_done();
      throw std::runtime_error("read failed: " + ec.message());
    }
    HttpResult result;
    FillResult(parser.get(), &result);
    if (!result.keep_alive) Close();
    return result;
  }

  HttpResult Get(const std::string& target, const Headers& headers = {}) { return Request("GET", target, headers); }
  HttpResult Post(const std::string& target, const std::string& body, Headers headers = {}) {
    bool has_type = false;
    for (const auto& h : headers) has_type = has_type || LowerAscii(h.first) == "content-type";
    if (!has_type) headers.emplace_back("Content-Type", "application/json");
    return Request("POST", target, headers, body);
  }
  HttpResult PostJson(const std::string& target, const nlohmann::json& body, const Headers& headers = {}) {
    return Post(target, body.dump(), headers);
  }

  // Whether the last failed read had already received a response header
  // (a truncated response).
  bool last_read_had_header() const { return last_read_had_header_; }
  bool connected() const { return stream_ && open_; }
  std::uint16_t port() const { return port_; }

  void Close() {
    if (stream_) {
      beast::error_code ec;
      stream_->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
      stream_->socket().close(ec);
    }
    stream_.reset();
    buffer_.clear();
    open_ = false;
  }

 private:
  void Connect() {
    Close();
    stream_.emplace(ioc_);
    beast::error_code ec;
    const asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port_);
    stream_->expires_after(timeout_);
    stream_->async_connect(endpoint, [&](beast::error_code e) { ec = e; });
    Run();
    if (ec) {
      stream_.reset();
      throw std::runtime_error("connect to port " + std::to_string(port_) + " failed: " + ec.message());
    }
    open_ = true;
  }

  void Run() {
    ioc_.restart();
    ioc_.run();
  }

  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
  asio::io_context ioc_;
  std::optional<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  bool open_ = false;
  bool last_read_had_header_ = false;
};

// A plain TCP connection for sending arbitrary bytes and reading what comes
// back, with poll() timeouts.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      throw std::runtime_error("connect() failed");
    }
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Sends all of `bytes`; false when the peer has closed or reset.
  bool Send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  // Reads until the peer closes the connection or `timeout` passes; the
  // bytes received. `closed` tells which.
  std::string ReadUntilClose(std::chrono::milliseconds timeout, bool* closed = nullptr) {
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    if (closed) *closed = false;
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return out;
      pollfd p{fd_, POLLIN, 0};
      const int r = ::poll(&p, 1, static_cast<int>(left.count()));
      if (r <= 0) continue;
      char buf[16384];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        if (closed) *closed = true;
        return out;
      }
      out.append(buf, static_cast<std::size_t>(n));
    }
  }

  // Reads one complete HTTP response (or nullopt when the connection ended
  // or `timeout` passed before it was complete). `to_head` reads it as the
  // answer to a HEAD request: a header without content (RFC 9110 9.3.2).
  std::optional<HttpResult> ReadResponse(std::chrono::milliseconds timeout = std::chrono::seconds(20),
                                         bool to_head = false) {
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    parser.skip(to_head);
    parser.body_limit(64 * 1024 * 1024);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      // Feed what is buffered.
      while (!pending_.empty() && !parser.is_done()) {
        beast::error_code ec;
        const std::size_t used = parser.put(asio::buffer(pending_), ec);
        if (ec == http::error::need_more) break;
        if (ec) return std::nullopt;
        pending_.erase(0, used);
        if (used == 0) break;
      }
      if (parser.is_done()) {
        HttpResult result;
        FillResult(parser.get(), &result);
        return result;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[16384];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        // End of stream: a body delimited by close is complete now.
        if (parser.is_header_done() && !parser.is_done() && parser.need_eof()) {
          beast::error_code ec;
          parser.put_eof(ec);
          if (!ec) {
            HttpResult result;
            FillResult(parser.get(), &result);
            return result;
          }
        }
        return std::nullopt;
      }
      pending_.append(buf, static_cast<std::size_t>(n));
    }
  }

  // Waits up to `timeout` for the peer to close the connection (any bytes
  // that arrive are discarded); true when it closed.
  bool WaitForClose(std::chrono::milliseconds timeout) {
    bool closed = false;
    ReadUntilClose(timeout, &closed);
    return closed;
  }

 private:
  int fd_ = -1;
  std::string pending_;
};

}  // namespace truthbyte::e2e
