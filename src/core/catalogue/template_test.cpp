#include "core/catalogue/template.hpp"

#include <gtest/gtest.h>

namespace mb::catalogue {
namespace {

TEST(CatalogueTemplate, ParsesLiteralsPlaceholdersAndValueMaps) {
  auto parts = ParseTemplate("{brand} {@name} - {color|color}");
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), 5u);
  EXPECT_EQ((*parts)[0].source, "brand");
  EXPECT_EQ((*parts)[1].literal, " ");
  EXPECT_EQ((*parts)[2].source, "@name");
  EXPECT_EQ((*parts)[4].source, "color");
  EXPECT_EQ((*parts)[4].value_map, "color");
}

TEST(CatalogueTemplate, RejectsBrokenTemplatesWithColumn) {
  auto unclosed = ParseTemplate("{brand} {name");
  ASSERT_FALSE(unclosed);
  EXPECT_EQ(unclosed.error().message, "unclosed '{' at column 9 of template");
  EXPECT_FALSE(ParseTemplate("a } b"));
  EXPECT_FALSE(ParseTemplate("{}"));
  EXPECT_FALSE(ParseTemplate("{color|}"));
}

TEST(CatalogueTemplate, RendersAndNamesEveryMissingValue) {
  auto parts = *ParseTemplate("{brand} {@name} {color}");
  auto full = RenderTemplate(parts, [](const TemplatePart& p) -> std::optional<std::string> {
    if (p.source == "brand") return "Acme";
    if (p.source == "@name") return "Oxford Shirt";
    return "Blue";
  });
  ASSERT_TRUE(full);
  EXPECT_EQ(*full, "Acme Oxford Shirt Blue");
  auto missing = RenderTemplate(parts, [](const TemplatePart& p) -> std::optional<std::string> {
    if (p.source == "@name") return "Shirt";
    return std::nullopt;
  });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kUnmapped);
  EXPECT_EQ(missing.error().message, "no value for brand, color");
}

TEST(CatalogueTemplate, EmptyValuesLeaveNoDoubleSpaces) {
  auto parts = *ParseTemplate("{brand} {style} {@name}");
  auto text = RenderTemplate(parts, [](const TemplatePart& p) -> std::optional<std::string> {
    return p.source == "style" ? "" : "X";
  });
  EXPECT_EQ(*text, "X X");
}

}  // namespace
}  // namespace mb::catalogue
