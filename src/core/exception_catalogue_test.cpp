#include "core/exception_catalogue.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace mb {
namespace {

TEST(ExceptionCatalogue, EveryTypeIsCompleteAndUnique) {
  std::set<std::string_view> keys;
  for (const auto& info : AllExceptionTypes()) {
    EXPECT_TRUE(keys.insert(info.key).second) << info.key;
    EXPECT_FALSE(info.title.empty()) << info.key;
    EXPECT_FALSE(info.auto_resolves_when.empty()) << info.key;
    EXPECT_GT(info.time_to_act.count(), 0) << info.key;
    EXPECT_EQ(&InfoFor(info.type), &info);
    EXPECT_EQ(*ParseExceptionType(info.key), info.type);
  }
  EXPECT_FALSE(ParseExceptionType("no_such_type"));
}

// Each type's playbook entry is a `## key` heading in docs/playbook.md, so the anchor in alerts and
// the dashboard always resolves.
TEST(ExceptionCatalogue, EveryTypeHasAPlaybookEntry) {
  std::ifstream in(std::string(MB_SOURCE_DIR) + "/docs/playbook.md");
  ASSERT_TRUE(in) << "docs/playbook.md missing";
  std::stringstream text;
  text << in.rdbuf();
  for (const auto& info : AllExceptionTypes()) {
    EXPECT_NE(text.str().find("\n### " + std::string(info.key) + "\n"), std::string::npos)
        << "docs/playbook.md has no '### " << info.key << "' entry";
  }
}

TEST(ExceptionCatalogue, TeamsParse) {
  EXPECT_EQ(*ParseTeam("finance"), Team::kFinance);
  auto bad = ParseTeam("sales");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("ecommerce, ops, finance or platform"), std::string::npos);
}

TEST(RaisedException, ActByIsFirstSeenPlusTimeToAct) {
  RaisedException e;
  e.type = ExceptionType::kGhostOrder;
  e.first_seen = TimePoint(std::chrono::hours(1));
  EXPECT_EQ(e.act_by(), TimePoint(std::chrono::hours(1) + std::chrono::minutes(30)));
  EXPECT_TRUE(e.open());
}

}  // namespace
}  // namespace mb
