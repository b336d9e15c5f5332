#include "core/settlement/charset.hpp"

#include <gtest/gtest.h>

namespace mb::settlement {
namespace {

TEST(SettlementCharset, PlainUtf8IsPassedThrough) {
  auto d = DecodeReportBytes("a\tb\nc\td\n");
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->text, "a\tb\nc\td\n");
  EXPECT_EQ(d->charset, Charset::kUtf8);
  EXPECT_FALSE(d->had_bom);
  EXPECT_EQ(d->line_ending, LineEnding::kLf);
}

TEST(SettlementCharset, BomIsStripped) {
  auto d = DecodeReportBytes("\xEF\xBB\xBFsettlement-id\nM\xC3\xBCller\n");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->had_bom);
  EXPECT_EQ(d->charset, Charset::kUtf8);
  EXPECT_EQ(d->text, "settlement-id\nM\xC3\xBCller\n");
}

TEST(SettlementCharset, Windows1252IsConvertedToUtf8) {
  // "Gebühr" with ü = 0xFC and the euro sign 0x80, as Windows-1252 writes them.
  auto d = DecodeReportBytes("Geb\xFChr \x80\r\n");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->charset, Charset::kWindows1252);
  EXPECT_EQ(d->text, "Geb\xC3\xBChr \xE2\x82\xAC\r\n");
  EXPECT_EQ(d->line_ending, LineEnding::kCrLf);
}

TEST(SettlementCharset, Latin1WithoutC1BytesIsReportedAsIso88591) {
  auto d = DecodeReportBytes("Cr\xE8me\n");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->charset, Charset::kIso88591);
  EXPECT_EQ(d->text, "Cr\xC3\xA8me\n");
}

TEST(SettlementCharset, LoneCrBecomesLf) {
  auto d = DecodeReportBytes("a\rb\r");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->line_ending, LineEnding::kCr);
  EXPECT_EQ(d->text, "a\nb\n");
}

TEST(SettlementCharset, Utf16AndBrokenBomAreRejected) {
  EXPECT_FALSE(DecodeReportBytes("\xFF\xFEs\0e\0"));
  auto broken = DecodeReportBytes("\xEF\xBB\xBF\xFC");
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find("byte order mark"), std::string::npos);
}

TEST(SettlementCharset, GzipIsNamedNotGarbled) {
  auto gz = DecodeReportBytes(std::string("\x1F\x8B\x08\x00", 4));
  ASSERT_FALSE(gz);
  EXPECT_NE(gz.error().message.find("gzip"), std::string::npos);
}

TEST(SettlementCharset, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("plain ascii that is longer than eight bytes"));
  EXPECT_TRUE(IsValidUtf8("\xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("abcdefgh\xE2\x82"));  // truncated sequence
}

}  // namespace
}  // namespace mb::settlement
