#include "sandbox/scayle/catalogue_generator.hpp"

#include <gtest/gtest.h>

#include <set>

#include "sandbox/scayle/scayle_test_support.hpp"

namespace sandbox::scayle {
namespace {

using testing::TestStart;

struct Generated {
  SimClock clock{TestStart(), 0.0};
  ScayleWorld world{clock};
  CatalogueSummary summary;
  explicit Generated(CatalogueSpec spec) {
    world.SeedDefaultTenant();
    summary = GenerateFashionCatalogue(world, spec);
  }
};

TEST(CatalogueGenerator, ExactSizeAndDeterministicForASeed) {
  Generated a({7, 500});
  Generated b({7, 500});
  Generated c({8, 500});
  EXPECT_EQ(a.summary.variants, 500u);
  EXPECT_EQ(a.world.VariantCount(), 500u);
  EXPECT_EQ(a.world.Skus(), b.world.Skus());
  EXPECT_EQ(a.summary.units, b.summary.units);
  EXPECT_NE(a.world.Skus(), c.world.Skus());
  auto v = a.world.FindVariant({std::nullopt, a.world.Skus().front()});
  auto w = b.world.FindVariant({std::nullopt, b.world.Skus().front()});
  ASSERT_TRUE(v && w);
  EXPECT_EQ(v->ean, w->ean);
  EXPECT_EQ(v->prices.at(0).price, w->prices.at(0).price);
}

TEST(CatalogueGenerator, FashionDataIsComplete) {
  Generated g({3, 300});
  std::set<std::string> types;
  std::set<std::string> eans;
  std::optional<int64_t> next;
  int64_t after = 0;
  size_t products = 0;
  do {
    for (const auto& view : g.world.ListProducts(after, 50, next)) {
      ++products;
      EXPECT_EQ(view.master.category_paths.at(0).at(0), "Fashion");
      EXPECT_TRUE(view.product.name.contains("de_DE") && view.product.name.contains("en_GB"));
      EXPECT_EQ(view.product.images.size(), 2u);
      for (const auto& list : {view.master.attributes, view.product.attributes}) {
        for (const auto& a : list) types.insert(a.type);
      }
      for (const auto& v : view.variants) {
        for (const auto& a : v.attributes) types.insert(a.type);
        ASSERT_EQ(v.ean.size(), 13u);
        EXPECT_EQ(v.ean.back() - '0', Ean13CheckDigit(v.ean.substr(0, 12))) << v.ean;
        eans.insert(v.ean);
        ASSERT_EQ(v.prices.size(), 3u);  // DE, FR in EUR; GB in GBP
        for (const auto& p : v.prices) {
          EXPECT_GT(p.price, 0);
          EXPECT_TRUE(p.price % 100 == 99 || p.price % 100 == 95) << p.price;
        }
        auto stocks = g.world.VariantStocks({v.id, {}});
        EXPECT_EQ(stocks->size(), 3u);  // every warehouse
      }
      after = view.product.id;
    }
  } while (next);
  EXPECT_EQ(products, g.summary.products);
  EXPECT_EQ(eans.size(), 300u);
  EXPECT_EQ(types, (std::set<std::string>{"simple", "simpleList", "localizedString",
                                          "localizedStringList", "advanced", "advancedList"}));
  EXPECT_EQ(Ean13CheckDigit("400638133393"), 1);  // 4006381333931, a published example
}

TEST(CatalogueGenerator, TwentyThousandSkusAreCheap) {
  auto start = std::chrono::steady_clock::now();
  Generated g({42, 20000});
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  EXPECT_EQ(g.world.VariantCount(), 20000u);
  std::printf(
      "[ measure  ] 20000-SKU catalogue generated in %lld ms (%zu masters, %zu products, %lld "
      "units)\n",
      static_cast<long long>(ms), g.summary.masters, g.summary.products,
      static_cast<long long>(g.summary.units));
  EXPECT_LT(ms, 20000);  // generous for debug + sanitizer builds on a shared 2-core machine
}

}  // namespace
}  // namespace sandbox::scayle
