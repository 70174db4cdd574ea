#include "core/forwarded_for.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace truthbyte {
namespace {

using Values = std::vector<std::string_view>;

TrustedProxies Trust(std::string_view spec) {
  auto parsed = TrustedProxies::Parse(spec);
  EXPECT_TRUE(parsed.ok()) << spec << ": " << parsed.status().message();
  return parsed.ok() ? *parsed : TrustedProxies();
}

std::string FromXff(const TrustedProxies& t, std::string_view peer, Values xff) { return t.ClientAddress(peer, {}, xff); }

TEST(IpAddressTest, ParsesV4AndV6AndFoldsMappedV4) {
  ASSERT_TRUE(IpAddress::Parse("203.0.113.7"));
  EXPECT_TRUE(IpAddress::Parse("203.0.113.7")->v4);
  EXPECT_EQ("2001:db8::1", IpAddress::Parse("2001:DB8:0::1")->ToString());
  auto mapped = IpAddress::Parse("::ffff:10.1.2.3");
  ASSERT_TRUE(mapped);
  EXPECT_TRUE(mapped->v4);
  EXPECT_EQ("10.1.2.3", mapped->ToString());
  for (std::string_view bad : {"", "unknown", "1.2.3", "1.2.3.4.5", "256.1.1.1", "[::1]", "1.2.3.4:80", "::1%eth0",
                               " 1.2.3.4", "1.2.3.4/32"}) {
    EXPECT_FALSE(IpAddress::Parse(bad)) << bad;
  }
}

TEST(TrustedProxiesTest, ParsesOffHopsAndNetworks) {
  EXPECT_FALSE(Trust("").enabled());
  EXPECT_FALSE(Trust("off").enabled());
  EXPECT_TRUE(Trust("1").enabled());
  TrustedProxies nets = Trust("127.0.0.1/32, 10.0.0.0/8,::1/128,192.168.1.9,fd00::/8");
  EXPECT_TRUE(nets.Trusts(*IpAddress::Parse("127.0.0.1")));
  EXPECT_FALSE(nets.Trusts(*IpAddress::Parse("127.0.0.2")));
  EXPECT_TRUE(nets.Trusts(*IpAddress::Parse("10.255.0.1")));
  EXPECT_FALSE(nets.Trusts(*IpAddress::Parse("11.0.0.1")));
  EXPECT_TRUE(nets.Trusts(*IpAddress::Parse("::1")));
  EXPECT_TRUE(nets.Trusts(*IpAddress::Parse("192.168.1.9")));
  EXPECT_FALSE(nets.Trusts(*IpAddress::Parse("192.168.1.10")));
  EXPECT_TRUE(nets.Trusts(*IpAddress::Parse("fd12:3456::1")));
  EXPECT_FALSE(nets.Trusts(*IpAddress::Parse("fe80::1")));
  // An IPv4 network matches IPv4 peers of a dual-stack socket.
  EXPECT_TRUE(nets.Trusts(*IpAddress::Parse("::ffff:10.0.0.5")));
  // Host bits are ignored, prefixes that are not whole bytes work.
  TrustedProxies odd = Trust("172.16.5.4/12");
  EXPECT_TRUE(odd.Trusts(*IpAddress::Parse("172.31.255.255")));
  EXPECT_FALSE(odd.Trusts(*IpAddress::Parse("172.32.0.0")));
  EXPECT_TRUE(Trust("0.0.0.0/0").Trusts(*IpAddress::Parse("8.8.8.8")));
  EXPECT_FALSE(Trust("0.0.0.0/0").Trusts(*IpAddress::Parse("2001:db8::1")));
}

TEST(TrustedProxiesTest, RejectsBadSettingsNamingThePart) {
  for (std::string_view bad : {"0", "65", "99999999999", "yes", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x",
                               "10.0.0.0/8,,::1", "10.0.0.0/8,", "1.2.3.4/-1", "localhost"}) {
    auto parsed = TrustedProxies::Parse(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    if (!parsed.ok()) {
      EXPECT_NE(std::string::npos, parsed.status().message().find("--trust-proxy")) << bad;
    }
  }
  auto parsed = TrustedProxies::Parse("10.0.0.0/8,bogus");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(std::string::npos, parsed.status().message().find("\"bogus\""));
}

TEST(TrustedProxiesTest, OffMeansThePeerWhateverTheHeadersSay) {
  TrustedProxies off;
  EXPECT_EQ("10.0.0.1", off.ClientAddress("10.0.0.1", {"for=1.1.1.1"}, {"2.2.2.2"}));
}

TEST(TrustedProxiesTest, HopModeSkipsExactlyThatManyHops) {
  TrustedProxies one = Trust("1");
  // nginx appends the address it saw: the rightmost entry is the client.
  EXPECT_EQ("198.51.100.2", FromXff(one, "10.0.0.1", {"198.51.100.2"}));
  EXPECT_EQ("198.51.100.2", FromXff(one, "10.0.0.1", {"6.6.6.6, 198.51.100.2"}));  // a spoofed entry on the left
  TrustedProxies two = Trust("2");
  EXPECT_EQ("6.6.6.6", FromXff(two, "10.0.0.1", {"6.6.6.6, 198.51.100.2"}));
  // Fewer entries than hops: the leftmost, which a trusted hop wrote.
  EXPECT_EQ("198.51.100.2", FromXff(Trust("3"), "10.0.0.1", {"198.51.100.2"}));
  // A hop of the chain that is no address: the peer.
  EXPECT_EQ("10.0.0.1", FromXff(two, "10.0.0.1", {"1.1.1.1, garbage"}));
}

TEST(TrustedProxiesTest, NetworkModeSkipsTrustedAddressesFromTheRight) {
  TrustedProxies nets = Trust("127.0.0.1/32,10.0.0.0/8");
  EXPECT_EQ("198.51.100.2", FromXff(nets, "127.0.0.1", {"6.6.6.6, 198.51.100.2, 10.0.0.7"}));
  // All trusted: the leftmost.
  EXPECT_EQ("10.0.0.9", FromXff(nets, "127.0.0.1", {"10.0.0.9, 10.0.0.7"}));
  // The peer is not trusted: its headers are ignored.
  EXPECT_EQ("203.0.113.50", FromXff(nets, "203.0.113.50", {"198.51.100.2"}));
  // A dual-stack socket's form of a trusted IPv4 peer.
  EXPECT_EQ("198.51.100.2", FromXff(nets, "::ffff:127.0.0.1", {"198.51.100.2"}));
  // An entry that is no address before the client is reached: the peer.
  EXPECT_EQ("127.0.0.1", FromXff(nets, "127.0.0.1", {"198.51.100.2, unknown"}));
  // An unparsable entry left of the client does not matter.
  EXPECT_EQ("198.51.100.2", FromXff(nets, "127.0.0.1", {"junk, 198.51.100.2"}));
}

TEST(TrustedProxiesTest, SeveralXForwardedForHeadersAreJoinedInOrder) {
  TrustedProxies two = Trust("2");
  EXPECT_EQ("198.51.100.1", FromXff(two, "10.0.0.1", {"198.51.100.1", "198.51.100.2"}));
  EXPECT_EQ("198.51.100.2", FromXff(Trust("1"), "10.0.0.1", {"198.51.100.1", "198.51.100.2"}));
  // Ports and brackets as some proxies write them.
  EXPECT_EQ("198.51.100.1", FromXff(Trust("1"), "10.0.0.1", {"198.51.100.1:4711"}));
  EXPECT_EQ("2001:db8::1", FromXff(Trust("1"), "10.0.0.1", {"[2001:db8::1]:4711"}));
  EXPECT_EQ("2001:db8::1", FromXff(Trust("1"), "10.0.0.1", {"2001:db8::1"}));
}

TEST(TrustedProxiesTest, MissingOrGarbageHeadersGiveThePeer) {
  TrustedProxies one = Trust("1");
  EXPECT_EQ("10.0.0.1", one.ClientAddress("10.0.0.1", {}, {}));
  EXPECT_EQ("10.0.0.1", one.ClientAddress("10.0.0.1", {}, {""}));
  EXPECT_EQ("10.0.0.1", FromXff(one, "10.0.0.1", {"not an address"}));
  EXPECT_EQ("10.0.0.1", FromXff(one, "10.0.0.1", {"1.2.3.4.5"}));
  EXPECT_EQ("10.0.0.1", one.ClientAddress("10.0.0.1", {"for=\"unterminated"}, {"198.51.100.2"}));
  EXPECT_EQ("10.0.0.1", one.ClientAddress("10.0.0.1", {"for"}, {}));
  EXPECT_EQ("10.0.0.1", one.ClientAddress("10.0.0.1", {"for=unknown"}, {}));
  EXPECT_EQ("10.0.0.1", one.ClientAddress("10.0.0.1", {"for=_hidden"}, {}));
  EXPECT_EQ("10.0.0.1", one.ClientAddress("10.0.0.1", {"proto=https"}, {}));  // no for=
}

TEST(TrustedProxiesTest, ForwardedIsReadBeforeXForwardedFor) {
  TrustedProxies one = Trust("1");
  EXPECT_EQ("192.0.2.60", one.ClientAddress("10.0.0.1", {"for=192.0.2.60;proto=http;by=203.0.113.43"}, {"6.6.6.6"}));
  // An empty Forwarded does not hide X-Forwarded-For.
  EXPECT_EQ("6.6.6.6", one.ClientAddress("10.0.0.1", {""}, {"6.6.6.6"}));
}

TEST(TrustedProxiesTest, ForwardedSyntaxOfRfc7239) {
  TrustedProxies one = Trust("1");
  EXPECT_EQ("2001:db8:cafe::17", one.ClientAddress("10.0.0.1", {"for=\"[2001:db8:cafe::17]:4711\""}, {}));
  EXPECT_EQ("2001:db8:cafe::17", one.ClientAddress("10.0.0.1", {"For=\"[2001:db8:cafe::17]\""}, {}));
  EXPECT_EQ("192.0.2.43", one.ClientAddress("10.0.0.1", {"for=\"192.0.2.43:47011\""}, {}));
  EXPECT_EQ("198.51.100.17", one.ClientAddress("10.0.0.1", {"for=192.0.2.43, for=198.51.100.17"}, {}));
  // Several headers, joined in order; quoted commas and semicolons are data.
  EXPECT_EQ("198.51.100.17",
            one.ClientAddress("10.0.0.1", {"for=192.0.2.43;by=\"a,b;c\"", "for=198.51.100.17"}, {}));
  EXPECT_EQ("192.0.2.43", Trust("2").ClientAddress("10.0.0.1", {"for=192.0.2.43", "for=198.51.100.17"}, {}));
  // A v6 address must be bracketed inside Forwarded's quotes.
  EXPECT_EQ("10.0.0.1", one.ClientAddress("10.0.0.1", {"for=\"[1.2.3.4]\""}, {}));
  TrustedProxies nets = Trust("10.0.0.0/8");
  EXPECT_EQ("192.0.2.43", nets.ClientAddress("10.0.0.1", {"for=192.0.2.43, for=10.1.1.1"}, {}));
}

}  // namespace
}  // namespace truthbyte
