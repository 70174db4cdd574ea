// Which address a request comes from when it passes through proxies: the
// `--trust-proxy` setting and the reading of `Forwarded` (RFC 7239) and
// `X-Forwarded-For`. Pure functions of the peer address and the header
// values; the server calls them once per request when a setting is on.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace truthbyte {

// An IPv4 or IPv6 address. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, as a
// dual-stack socket reports IPv4 peers) are IPv4.
struct IpAddress {
  std::array<unsigned char, 16> bytes{};  // IPv4 in the first 4
  bool v4 = false;

  // nullopt unless `text` is a dotted IPv4 or an RFC 4291 IPv6 address
  // (no brackets, no port, no zone).
  static std::optional<IpAddress> Parse(std::string_view text);
  // Dotted IPv4 or the RFC 5952 form of IPv6.
  std::string ToString() const;
};

// The proxies whose forwarding headers are believed. Off by default: the
// peer of the TCP connection is the client. Either a number of hops (the
// server is reached only through that many proxies in a row, the nearest
// being the peer) or a list of trusted networks. Immutable; safe to share
// between threads.
class TrustedProxies {
 public:
  TrustedProxies() = default;  // off

  // "" or "off": off. "N" (1-64): N hops. Otherwise a comma-separated list
  // of networks: "10.0.0.0/8", "::1/128", or a bare address (a /32 or
  // /128). Host bits below the prefix are ignored. An InvalidArgument
  // naming the bad part otherwise.
  static Result<TrustedProxies> Parse(std::string_view spec);

  bool enabled() const { return hops_ > 0 || !networks_.empty(); }
  // Whether `address` is in a trusted network (always false in hop mode).
  bool Trusts(const IpAddress& address) const;

  // The client's address for a request from `peer` (as the socket reports
  // it) carrying these `Forwarded` and `X-Forwarded-For` header values (each
  // header's values in the order received). Off, or with an untrusted peer:
  // `peer` as it is. Otherwise the addresses of `Forwarded` (when it has any
  // value) or else of `X-Forwarded-For`, followed by the peer, are walked
  // from the right: in hop mode past exactly that many hops (the leftmost
  // address when the list is shorter), in network mode past every trusted
  // address (the leftmost when all are trusted). A missing header, or one
  // that does not parse up to the address chosen, gives `peer`.
  std::string ClientAddress(std::string_view peer, const std::vector<std::string_view>& forwarded,
                            const std::vector<std::string_view>& x_forwarded_for) const;

 private:
  struct Network {
    IpAddress base;  // host bits cleared
    int prefix = 0;
  };

  int hops_ = 0;
  std::vector<Network> networks_;
};

// The addresses named by `for=` in `Forwarded` header values, in order
// (RFC 7239: quoted-strings, "[v6]:port", "v4:port"); an element that names
// no address ("unknown", an obfuscated node, no `for`) is nullopt in its
// place. nullopt for the whole when the syntax is broken.
std::optional<std::vector<std::optional<IpAddress>>> ParseForwardedFor(const std::vector<std::string_view>& values);
// The addresses of `X-Forwarded-For` header values (comma lists), in order;
// an entry that is no address is nullopt in its place. Ports and brackets
// are accepted as in Forwarded.
std::vector<std::optional<IpAddress>> ParseXForwardedFor(const std::vector<std::string_view>& values);

}  // namespace truthbyte
