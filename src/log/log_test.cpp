#include "log/log.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <nlohmann/json.hpp>

#include <sstream>

namespace mb::log {
namespace {

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override { UseSink(std::make_shared<spdlog::sinks::ostream_sink_mt>(out_)); }
  void TearDown() override {
    ASSERT_TRUE(Init("info", Format::kText));
    UseSink(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  }
  std::ostringstream out_;
};

TEST_F(LogTest, JsonLinesAreValidJsonEvenWithNastyMessages) {
  ASSERT_TRUE(Init("info", Format::kJson));
  Get("store")->warn("quote \" backslash \\ newline \n tab \t bell \a end");
  auto line = out_.str();
  ASSERT_FALSE(line.empty());
  auto json = nlohmann::json::parse(line.substr(0, line.find_last_not_of('\n') + 1));
  EXPECT_EQ(json["module"], "store");
  EXPECT_EQ(json["level"], "warning");
  EXPECT_EQ(json["msg"], "quote \" backslash \\ newline \n tab \t bell \a end");
  EXPECT_TRUE(json["ts"].get<std::string>().ends_with("Z"));
}

TEST_F(LogTest, TextFormatNamesTheModuleAndLevelFilters) {
  ASSERT_TRUE(Init("warn", Format::kText));
  Get("orders")->info("hidden");
  Get("orders")->error("order 123 failed");
  auto text = out_.str();
  EXPECT_EQ(text.find("hidden"), std::string::npos);
  EXPECT_NE(text.find("[orders] order 123 failed"), std::string::npos) << text;
}

TEST_F(LogTest, BadLevelOrFormatIsRejected) {
  EXPECT_FALSE(Init("loud", Format::kText));
  EXPECT_FALSE(ParseFormat("xml"));
  EXPECT_EQ(*ParseFormat("json"), Format::kJson);
}

}  // namespace
}  // namespace mb::log
