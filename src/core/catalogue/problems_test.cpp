#include "core/catalogue/problems.hpp"

#include <set>

#include <gtest/gtest.h>

namespace mb::catalogue {
namespace {

TEST(CatalogueProblems, KeysAreUniqueAndEveryKindHasAFix) {
  std::set<std::string_view> keys;
  for (const auto& info : AllProblemKinds()) {
    EXPECT_TRUE(keys.insert(info.key).second) << info.key;
    EXPECT_FALSE(info.fix.empty()) << info.key;
    EXPECT_EQ(InfoFor(info.kind).key, info.key);
  }
}

TEST(CatalogueProblems, SameCodeInAnyLanguageIsTheSameProblem) {
  AmazonIssue german{"90220",
                     "'Farbe' ist erforderlich, wurde aber nicht angegeben.",
                     "ERROR",
                     {"color"},
                     {"MISSING_ATTRIBUTE"}};
  AmazonIssue english{
      "90220", "'color' is required but not supplied.", "ERROR", {"color"}, {"MISSING_ATTRIBUTE"}};
  auto de = NormaliseAmazonIssue(Sku("S-1"), MarketplaceId("A1PA6795UKMFR9"), german);
  auto us = NormaliseAmazonIssue(Sku("S-1"), MarketplaceId("ATVPDKIKX0DER"), english);
  EXPECT_EQ(de.kind, ProblemKind::kMissingRequired);
  EXPECT_EQ(us.kind, ProblemKind::kMissingRequired);
  EXPECT_EQ(de.message, us.message);
  EXPECT_EQ(de.amazon_message, german.message);
  EXPECT_TRUE(de.blocking);
  EXPECT_EQ(de.attribute, "color");
}

TEST(CatalogueProblems, UnknownCodesFallBackToCategories) {
  auto image = NormaliseAmazonIssue(Sku("S"), MarketplaceId("M"),
                                    {"123456", "Bild fehlt", "WARNING", {}, {"MISSING_IMAGE"}});
  EXPECT_EQ(image.kind, ProblemKind::kImageProblem);
  EXPECT_FALSE(image.blocking);
  auto other = NormaliseAmazonIssue(Sku("S"), MarketplaceId("M"), {"1", "?", "ERROR", {}, {}});
  EXPECT_EQ(other.kind, ProblemKind::kAmazonOther);
  EXPECT_EQ(other.ToString().substr(0, 6), "S [M]:");
}

}  // namespace
}  // namespace mb::catalogue
