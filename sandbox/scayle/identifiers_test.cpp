#include "sandbox/scayle/identifiers.hpp"

#include <gtest/gtest.h>

#include "sandbox/scayle/timestamps.hpp"

namespace sandbox::scayle {
namespace {

TEST(ScayleIdentifiers, NumericIdAndReferenceKey) {
  auto by_id = ParseIdentifier("1234");
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->id, 1234);
  auto by_key = ParseIdentifier("key=SKU-123-M");
  ASSERT_TRUE(by_key);
  EXPECT_FALSE(by_key->id);
  EXPECT_EQ(by_key->reference_key, "SKU-123-M");
  auto still_encoded = ParseIdentifier("key%3DSKU%20A");
  ASSERT_TRUE(still_encoded);
  EXPECT_EQ(still_encoded->reference_key, "SKU A");
  EXPECT_FALSE(ParseIdentifier("SKU-123-M"));
  EXPECT_FALSE(ParseIdentifier("key="));
  EXPECT_FALSE(ParseIdentifier("12a"));
}

TEST(ScayleIdentifiers, CursorRoundTripAndRejectsForeignCursors) {
  EXPECT_EQ(DecodeCursor(EncodeCursor(4711)), 4711);
  EXPECT_FALSE(DecodeCursor("4711"));
  EXPECT_FALSE(DecodeCursor("c1.x"));
}

TEST(ScayleIdentifiers, UrlCredentialsAreSplitAndMasked) {
  auto url = ParseUrl("http://hook%40user:s%3Acret@127.0.0.1:8080/scayle/hooks?x=1");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->scheme_host_port, "http://127.0.0.1:8080");
  EXPECT_EQ(url->path, "/scayle/hooks?x=1");
  EXPECT_EQ(url->user, "hook@user");
  EXPECT_EQ(url->password, "s:cret");
  EXPECT_EQ(MaskUrlCredentials("https://foo:bar@foobar.tld/notify"),
            "https://***:***@foobar.tld/notify");
  EXPECT_EQ(MaskUrlCredentials("https://foobar.tld/a@b"), "https://foobar.tld/a@b");
  EXPECT_FALSE(ParseUrl("ftp://x/y"));
}

TEST(ScayleTimestamps, FormatAndParse) {
  auto t = ParseTimestamp("2020-07-23T11:30:58+00:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatTimestamp(*t), "2020-07-23T11:30:58+00:00");
  EXPECT_EQ(ParseTimestamp("2020-07-23T13:30:58+02:00"), t);
  EXPECT_EQ(ParseTimestamp("2020-07-23T11:30:58Z"), t);
  EXPECT_EQ(FormatDate(*t), "2020-07-23");
  EXPECT_FALSE(ParseTimestamp("2020-07-23"));
  EXPECT_FALSE(ParseTimestamp("2020-02-30T00:00:00Z"));
}

}  // namespace
}  // namespace sandbox::scayle
