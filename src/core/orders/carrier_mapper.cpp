#include "core/orders/carrier_mapper.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace mb::orders {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

Result<CarrierMapper> CarrierMapper::Create(std::string_view amazon_codes_text,
                                            const std::map<std::string, std::string>& codes,
                                            const std::map<std::string, std::string>& other_names) {
  CarrierMapper m;
  std::istringstream in{std::string(amazon_codes_text)};
  for (std::string line; std::getline(in, line);) {
    std::string code = Trim(line);
    if (code.empty() || code[0] == '#') continue;
    m.amazon_codes_.emplace(Lower(code), code);
  }
  if (m.amazon_codes_.empty())
    return Fail(ErrorCode::kConfigError, "the Amazon carrier code list is empty");
  std::string problems;
  for (const auto& [key, code] : codes) {
    if (Lower(code) == "other") {
      problems += "orders.carrier_codes." + key +
                  ": use orders.carrier_other_names for carriers sent as Other; ";
      continue;
    }
    auto it = m.amazon_codes_.find(Lower(code));
    if (it == m.amazon_codes_.end()) {
      problems += "orders.carrier_codes." + key + ": '" + code + "' is not on Amazon's list; ";
      continue;
    }
    m.mapping_[Lower(key)] = AmazonCarrier{it->second, ""};
  }
  for (const auto& [key, name] : other_names) {
    if (Trim(name).empty()) {
      problems += "orders.carrier_other_names." + key + ": the carrier name is empty; ";
      continue;
    }
    if (m.mapping_.count(Lower(key))) {
      problems += "orders.carrier_other_names." + key + ": also mapped in orders.carrier_codes; ";
      continue;
    }
    m.mapping_[Lower(key)] = AmazonCarrier{"Other", Trim(name)};
  }
  if (!problems.empty())
    return Fail(ErrorCode::kConfigError, problems.substr(0, problems.size() - 2));
  return m;
}

Result<AmazonCarrier> CarrierMapper::Map(std::string_view scayle_carrier_key) const {
  auto it = mapping_.find(Lower(scayle_carrier_key));
  if (it == mapping_.end())
    return Fail(ErrorCode::kUnmapped,
                "SCAYLE carrier '" + std::string(scayle_carrier_key) +
                    "' has no Amazon carrier: add it to orders.carrier_codes (a code from Amazon's "
                    "list) or orders.carrier_other_names");
  return it->second;
}

}  // namespace mb::orders
