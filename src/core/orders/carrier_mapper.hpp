#pragma once
// SCAYLE carrier key → Amazon carrierCode, by configuration only. Amazon accepts a carrierCode from
// its list (reference/amazon/carrier-codes.txt), or "Other" with a carrierName; "Other" is used
// only for carriers configured so, because Amazon cannot track them and the buyer sees less.

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace mb::orders {

struct AmazonCarrier {
  std::string code;  // exactly as Amazon spells it
  std::string name;  // only with code "Other"
};

class CarrierMapper {
 public:
  // `amazon_codes_text`: the carrier list, one code a line, '#' comments. `codes`: SCAYLE key →
  // Amazon code. `other_names`: SCAYLE key → carrierName sent with "Other".
  static Result<CarrierMapper> Create(std::string_view amazon_codes_text,
                                      const std::map<std::string, std::string>& codes,
                                      const std::map<std::string, std::string>& other_names);

  // kUnmapped when the SCAYLE carrier key has no mapping (raise carrier_rejected).
  Result<AmazonCarrier> Map(std::string_view scayle_carrier_key) const;
  size_t known_codes() const { return amazon_codes_.size(); }

 private:
  std::map<std::string, std::string> amazon_codes_;  // lower-case → Amazon spelling
  std::map<std::string, AmazonCarrier> mapping_;     // lower-case SCAYLE key → carrier
};

}  // namespace mb::orders
