#include "core/orders/carrier_mapper.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace mb::orders {
namespace {

std::string AmazonCodes() {
  std::ifstream in(std::string(MB_SHARED_DIR) + "/reference/amazon/carrier-codes.txt");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(CarrierMapperTest, MapsConfiguredCarriersToAmazonSpelling) {
  auto m =
      CarrierMapper::Create(AmazonCodes(), {{"dhl", "dhl"}, {"hermes", "Hermes Logistik Gruppe"}},
                            {{"kurier-schmidt", "Kurier Schmidt"}});
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_GT(m->known_codes(), 300u);
  EXPECT_EQ(m->Map("DHL")->code, "DHL");
  EXPECT_EQ(m->Map("hermes")->code, "Hermes Logistik Gruppe");
  auto other = m->Map("kurier-schmidt");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->code, "Other");
  EXPECT_EQ(other->name, "Kurier Schmidt");
}

TEST(CarrierMapperTest, UnmappedCarrierIsAnError) {
  auto m = CarrierMapper::Create(AmazonCodes(), {{"dhl", "DHL"}}, {});
  ASSERT_TRUE(m);
  auto r = m->Map("pigeon-post");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnmapped);
  EXPECT_NE(r.error().message.find("pigeon-post"), std::string::npos);
}

TEST(CarrierMapperTest, RejectsCodesNotOnAmazonsListAndOtherWithoutName) {
  auto bad = CarrierMapper::Create(AmazonCodes(), {{"x", "Pigeon Express"}}, {});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("Pigeon Express"), std::string::npos);
  EXPECT_FALSE(CarrierMapper::Create(AmazonCodes(), {{"x", "Other"}}, {}));
  EXPECT_FALSE(CarrierMapper::Create(AmazonCodes(), {}, {{"x", " "}}));
}

}  // namespace
}  // namespace mb::orders
