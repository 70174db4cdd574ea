#include "core/forwarded_for.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include "core/text.h"

namespace truthbyte {
namespace {

constexpr int kMaxHops = 64;

bool IsOws(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && IsOws(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsOws(s.back())) s.remove_suffix(1);
  return s;
}

// Splits `s` at `separator` outside double quotes (a backslash escapes the
// next character inside them); nullopt when a quote is left open.
std::optional<std::vector<std::string_view>> SplitOutsideQuotes(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quoted && c == '\\') {
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == separator) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  if (quoted) return std::nullopt;
  parts.push_back(s.substr(start));
  return parts;
}

// A quoted-string's content with its escapes resolved, or a token as it is.
std::optional<std::string> Unquote(std::string_view value) {
  if (value.empty() || value.front() != '"') return std::string(value);
  if (value.size() < 2 || value.back() != '"') return std::nullopt;
  std::string out;
  for (std::size_t i = 1; i + 1 < value.size(); ++i) {
    if (value[i] == '\\') ++i;
    if (i + 1 < value.size()) out.push_back(value[i]);
  }
  return out;
}

// A node as Forwarded and X-Forwarded-For write it: "1.2.3.4",
// "1.2.3.4:80", "[2001:db8::1]", "[2001:db8::1]:80", or a bare IPv6
// address (not RFC 7239, but what some proxies send in X-Forwarded-For).
std::optional<IpAddress> ParseNode(std::string_view node) {
  node = TrimOws(node);
  if (!node.empty() && node.front() == '[') {
    const auto close = node.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view rest = node.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return std::nullopt;
    auto address = IpAddress::Parse(node.substr(1, close - 1));
    if (!address || address->v4) return std::nullopt;
    return address;
  }
  const auto colon = node.find(':');
  if (colon != std::string_view::npos && node.find(':', colon + 1) == std::string_view::npos) {
    auto address = IpAddress::Parse(node.substr(0, colon));  // IPv4 with a port
    if (!address || !address->v4) return std::nullopt;
    return address;
  }
  return IpAddress::Parse(node);
}

bool InNetwork(const IpAddress& a, const IpAddress& base, int prefix) {
  if (a.v4 != base.v4) return false;
  const int whole = prefix / 8;
  if (std::memcmp(a.bytes.data(), base.bytes.data(), static_cast<std::size_t>(whole)) != 0) return false;
  const int bits = prefix % 8;
  if (bits == 0) return true;
  const auto mask = static_cast<unsigned char>(0xFF << (8 - bits));
  return (a.bytes[static_cast<std::size_t>(whole)] & mask) == (base.bytes[static_cast<std::size_t>(whole)] & mask);
}

}  // namespace

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  // inet_pton wants a terminated string; no address is longer than this.
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buffer[INET6_ADDRSTRLEN];
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  IpAddress a;
  if (inet_pton(AF_INET, buffer, a.bytes.data()) == 1) {
    a.v4 = true;
    return a;
  }
  if (inet_pton(AF_INET6, buffer, a.bytes.data()) != 1) return std::nullopt;
  static constexpr unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (std::memcmp(a.bytes.data(), kMappedPrefix, sizeof kMappedPrefix) == 0) {
    std::memmove(a.bytes.data(), a.bytes.data() + 12, 4);
    std::memset(a.bytes.data() + 4, 0, 12);
    a.v4 = true;
  }
  return a;
}

std::string IpAddress::ToString() const {
  char buffer[INET6_ADDRSTRLEN] = {};
  inet_ntop(v4 ? AF_INET : AF_INET6, bytes.data(), buffer, sizeof buffer);
  return buffer;
}

Result<TrustedProxies> TrustedProxies::Parse(std::string_view spec) {
  TrustedProxies proxies;
  spec = TrimOws(spec);
  if (spec.empty() || spec == "off") return proxies;
  if (spec.find_first_not_of("0123456789") == std::string_view::npos) {
    int hops = 0;
    const auto [end, ec] = std::from_chars(spec.data(), spec.data() + spec.size(), hops);
    if (ec != std::errc() || end != spec.data() + spec.size() || hops < 1 || hops > kMaxHops)
      return Status::InvalidArgument("--trust-proxy " + std::string(spec) + ": a number of hops is 1 to " +
                                     std::to_string(kMaxHops));
    proxies.hops_ = hops;
    return proxies;
  }
  std::string_view rest = spec;
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view item = TrimOws(rest.substr(0, comma));
    const auto invalid = [&](const std::string& why) {
      return Status::InvalidArgument("--trust-proxy: \"" + std::string(item) + "\" " + why);
    };
    const auto slash = item.find('/');
    auto address = IpAddress::Parse(item.substr(0, slash));
    if (!address) return invalid("is not an IP address or CIDR network");
    const int max_prefix = address->v4 ? 32 : 128;
    int prefix = max_prefix;
    if (slash != std::string_view::npos) {
      const std::string_view digits = item.substr(slash + 1);
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || prefix < 0 ||
          prefix > max_prefix)
        return invalid("has no prefix length from 0 to " + std::to_string(max_prefix));
    }
    Network network{*address, prefix};
    for (int bit = prefix; bit < 128; ++bit) {
      network.base.bytes[static_cast<std::size_t>(bit / 8)] &= static_cast<unsigned char>(~(0x80 >> (bit % 8)));
    }
    proxies.networks_.push_back(network);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return proxies;
}

bool TrustedProxies::Trusts(const IpAddress& address) const {
  for (const Network& n : networks_) {
    if (InNetwork(address, n.base, n.prefix)) return true;
  }
  return false;
}

std::string TrustedProxies::ClientAddress(std::string_view peer, const std::vector<std::string_view>& forwarded,
                                          const std::vector<std::string_view>& x_forwarded_for) const {
  if (!enabled()) return std::string(peer);
  const auto peer_address = IpAddress::Parse(peer);
  if (!peer_address || (hops_ == 0 && !Trusts(*peer_address))) return std::string(peer);

  bool any_forwarded = false;
  for (std::string_view v : forwarded) any_forwarded = any_forwarded || !TrimOws(v).empty();
  std::vector<std::optional<IpAddress>> chain;
  if (any_forwarded) {
    auto parsed = ParseForwardedFor(forwarded);
    if (!parsed) return std::string(peer);
    chain = std::move(*parsed);
  } else {
    chain = ParseXForwardedFor(x_forwarded_for);
  }
  if (chain.empty()) return std::string(peer);

  // The peer is the first hop; the chain's last entry is what it saw.
  std::size_t i = chain.size() - 1;
  if (hops_ > 0) {
    const auto skip = static_cast<std::size_t>(hops_ - 1);
    for (std::size_t walked = 0; walked < skip && i > 0; ++walked, --i) {
      if (!chain[i]) return std::string(peer);
    }
  } else {
    while (chain[i] && Trusts(*chain[i]) && i > 0) --i;
  }
  return chain[i] ? chain[i]->ToString() : std::string(peer);
}

std::optional<std::vector<std::optional<IpAddress>>> ParseForwardedFor(const std::vector<std::string_view>& values) {
  std::vector<std::optional<IpAddress>> out;
  for (std::string_view value : values) {
    auto elements = SplitOutsideQuotes(value, ',');
    if (!elements) return std::nullopt;
    for (std::string_view element : *elements) {
      element = TrimOws(element);
      if (element.empty()) continue;  // "a, , b": empty list elements are allowed (RFC 9110 5.6.1)
      auto pairs = SplitOutsideQuotes(element, ';');
      if (!pairs) return std::nullopt;
      std::optional<IpAddress> node;
      for (std::string_view pair : *pairs) {
        pair = TrimOws(pair);
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos || eq == 0) return std::nullopt;
        if (ToLowerAscii(TrimOws(pair.substr(0, eq))) != "for") continue;
        auto unquoted = Unquote(TrimOws(pair.substr(eq + 1)));
        if (!unquoted) return std::nullopt;
        node = ParseNode(*unquoted);
      }
      out.push_back(node);
    }
  }
  return out;
}

std::vector<std::optional<IpAddress>> ParseXForwardedFor(const std::vector<std::string_view>& values) {
  std::vector<std::optional<IpAddress>> out;
  for (std::string_view value : values) {
    std::string_view rest = value;
    while (true) {
      const auto comma = rest.find(',');
      const std::string_view entry = TrimOws(rest.substr(0, comma));
      if (!entry.empty()) out.push_back(ParseNode(entry));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return out;
}

}  // namespace truthbyte
