#include "sandbox/scayle/catalogue_generator.hpp"

#include <array>
#include <random>

namespace sandbox::scayle {

namespace {

struct CategorySpec {
  std::vector<std::string> path;
  std::string noun_de, noun_en, noun_fr;
  std::vector<std::string> sizes;
  int64_t min_price, max_price;  // EUR cents
  int height_cm, width_cm;       // folded package
};

struct Colour {
  const char* key;
  const char* de;
  const char* en;
  const char* fr;
};

const std::vector<CategorySpec>& Categories() {
  static const std::vector<CategorySpec> kCategories = {
      {{"Fashion", "Women", "Dresses"},
       "Kleid",
       "Dress",
       "Robe",
       {"XS", "S", "M", "L", "XL"},
       3999,
       12999,
       30,
       25},
      {{"Fashion", "Women", "Jeans"},
       "Jeans",
       "Jeans",
       "Jean",
       {"W25", "W26", "W27", "W28", "W29", "W30", "W31", "W32"},
       4999,
       11999,
       35,
       28},
      {{"Fashion", "Women", "Knitwear"},
       "Pullover",
       "Jumper",
       "Pull",
       {"XS", "S", "M", "L", "XL"},
       3499,
       9999,
       30,
       30},
      {{"Fashion", "Men", "Shirts"},
       "Hemd",
       "Shirt",
       "Chemise",
       {"S", "M", "L", "XL", "XXL"},
       2999,
       8999,
       32,
       24},
      {{"Fashion", "Men", "Jeans"},
       "Jeans",
       "Jeans",
       "Jean",
       {"W28", "W30", "W32", "W34", "W36", "W38"},
       4999,
       12999,
       35,
       28},
      {{"Fashion", "Men", "Jackets"},
       "Jacke",
       "Jacket",
       "Veste",
       {"S", "M", "L", "XL", "XXL"},
       8999,
       29999,
       45,
       35},
      {{"Fashion", "Unisex", "Sneakers"},
       "Sneaker",
       "Trainers",
       "Baskets",
       {"36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "46"},
       5999,
       15999,
       14,
       34},
  };
  return kCategories;
}

constexpr std::array<Colour, 8> kColours = {{{"black", "schwarz", "black", "noir"},
                                             {"white", "weiß", "white", "blanc"},
                                             {"navy", "marineblau", "navy", "bleu marine"},
                                             {"red", "rot", "red", "rouge"},
                                             {"green", "grün", "green", "vert"},
                                             {"beige", "beige", "beige", "beige"},
                                             {"grey", "grau", "grey", "gris"},
                                             {"blue", "blau", "blue", "bleu"}}};

constexpr std::array<const char*, 6> kBrands = {"Nordkap",    "Linea", "Brightwood",
                                                "Osaka Lane", "Fjell", "Maison Vert"};
constexpr std::array<const char*, 5> kMaterials = {"cotton", "polyester", "wool", "elastane",
                                                   "viscose"};

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  // Uniform in [lo, hi]; modulo bias is irrelevant here and keeps results portable.
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(engine_() % uint64_t(hi - lo + 1));
  }
  bool Chance(double p) { return static_cast<double>(engine_() % 1000000) < p * 1000000.0; }

 private:
  std::mt19937_64 engine_;
};

// Shop prices end in .99 (or .95 in the UK).
int64_t Charm(int64_t cents, int64_t ending) {
  return std::max<int64_t>(ending, (cents / 100) * 100 + ending);
}

Json Localised(const std::string& de, const std::string& en, const std::string& fr) {
  return {{"de_DE", de}, {"en_GB", en}, {"fr_FR", fr}};
}

std::vector<Price> PricesFor(int64_t eur, bool on_sale, SimTime from) {
  int64_t eur_now = on_sale ? Charm(eur * 7 / 10, 99) : eur;
  int64_t gbp = Charm(eur * 86 / 100, 95);
  int64_t gbp_now = on_sale ? Charm(gbp * 7 / 10, 95) : gbp;
  auto price = [&](std::string key, int64_t now_price, int64_t full, int tax, std::string cc,
                   std::string cur) {
    Price p;
    p.key = std::move(key);
    p.price = now_price;
    if (on_sale) p.old_price = full;
    p.recommended_retail_price = full;
    p.buying_price = full * 4 / 10;
    p.tax = tax;
    p.country_code = std::move(cc);
    p.currency_code = std::move(cur);
    p.valid_from = from;
    return p;
  };
  return {price("DE-EUR", eur_now, eur, 19, "DE", "EUR"),
          price("FR-EUR", eur_now, eur, 20, "FR", "EUR"),
          price("GB-GBP", gbp_now, gbp, 20, "GB", "GBP")};
}

}  // namespace

int Ean13CheckDigit(const std::string& first12) {
  int sum = 0;
  for (size_t i = 0; i < 12 && i < first12.size(); ++i)
    sum += (first12[i] - '0') * (i % 2 == 0 ? 1 : 3);
  return (10 - sum % 10) % 10;
}

CatalogueSummary GenerateFashionCatalogue(ScayleWorld& world, const CatalogueSpec& spec) {
  Rng rng(spec.seed);
  CatalogueSummary summary;
  auto now = world.clock().Now();
  auto price_from = now - std::chrono::days(30);
  auto warehouses = world.Warehouses();
  const std::string prefix = "MB" + std::to_string(spec.seed);
  // EANs: GS1 prefix 400-440 is Germany; the seed keeps catalogues of different seeds apart.
  int64_t ean_serial = static_cast<int64_t>(spec.seed % 1000) * 1000000;
  for (size_t m = 0; summary.variants < spec.target_skus; ++m) {
    const auto& category = Categories()[rng.Between(0, Categories().size() - 1)];
    world.AddMasterCategory(category.path);
    char master_key[48];
    std::snprintf(master_key, sizeof master_key, "%s-%05zu", prefix.c_str(), m + 1);
    std::string brand = kBrands[rng.Between(0, kBrands.size() - 1)];
    Master master;
    master.reference_key = master_key;
    master.category_paths = {category.path};
    master.attributes = {
        {"brand", "simple", brand},
        {"collection", "localizedString", Localised("Basics", "Basics", "Essentiels")},
        {"season", "simpleList",
         rng.Chance(0.5) ? Json{"spring", "summer"} : Json{"autumn", "winter"}}};
    world.AddMaster(master);
    ++summary.masters;

    int64_t base_price = Charm(rng.Between(category.min_price, category.max_price), 99);
    size_t colour_count = static_cast<size_t>(rng.Between(1, 4));
    size_t first_colour = static_cast<size_t>(rng.Between(0, kColours.size() - 1));
    for (size_t c = 0; c < colour_count && summary.variants < spec.target_skus; ++c) {
      const Colour& colour = kColours[(first_colour + c) % kColours.size()];
      Product product;
      product.reference_key = std::string(master_key) + "-" + colour.key;
      product.master_key = master_key;
      product.name = Localised(brand + " " + category.noun_de + " " + colour.de,
                               brand + " " + category.noun_en + " " + colour.en,
                               brand + " " + category.noun_fr + " " + colour.fr);
      int64_t cotton = rng.Between(60, 100);
      Json material = Json::array({{{"name", kMaterials[0]}, {"percentage", cotton}}});
      if (cotton < 100)
        material.push_back({{"name", kMaterials[rng.Between(1, kMaterials.size() - 1)]},
                            {"percentage", 100 - cotton}});
      product.attributes = {
          {"color", "localizedString", Localised(colour.de, colour.en, colour.fr)},
          {"careInstructions", "localizedStringList",
           Json::array({Localised("30 °C waschen", "Wash at 30 °C", "Laver à 30 °C"),
                        Localised("Nicht bleichen", "Do not bleach", "Ne pas blanchir")})},
          {"material", "advancedList", std::move(material)}};
      for (int i = 0; i < 2; ++i) {
        Image image;
        image.asset_url = "images/" + product.reference_key + (i == 0 ? "-front.jpg" : "-back.jpg");
        image.mime_type = "image/jpeg";
        image.position = i;
        image.attributes = {{"view", "simple", i == 0 ? "front" : "back"}};
        product.images.push_back(std::move(image));
      }
      bool on_sale = rng.Chance(spec.sale_share);
      std::vector<Variant> variants;
      std::vector<std::vector<StockLevel>> stock;
      for (const auto& size : category.sizes) {
        if (summary.variants + variants.size() >= spec.target_skus) break;
        Variant v;
        v.reference_key = product.reference_key + "-" + size;
        char digits[32];  // room for any serial, so -O2 sees no truncation
        std::snprintf(digits, sizeof digits, "400%09lld", static_cast<long long>(ean_serial++));
        v.ean = std::string(digits) + std::to_string(Ean13CheckDigit(digits));
        v.attributes = {
            {"size", "simple", size},
            {"dimensions",
             "advanced",
             {{"height", category.height_cm}, {"width", category.width_cm}, {"unit", "cm"}}}};
        v.prices = PricesFor(base_price, on_sale, price_from);
        std::vector<StockLevel> rows;
        for (const auto& w : warehouses) {
          int64_t quantity =
              rng.Chance(spec.zero_stock_share) ? 0 : rng.Between(1, spec.max_stock_per_warehouse);
          summary.units += quantity;
          rows.push_back(StockLevel{w.reference_key, quantity, now, false, std::nullopt});
        }
        variants.push_back(std::move(v));
        stock.push_back(std::move(rows));
      }
      summary.variants += variants.size();
      ++summary.products;
      world.AddProduct(std::move(product), std::move(variants), std::move(stock));
    }
  }
  return summary;
}

}  // namespace sandbox::scayle
