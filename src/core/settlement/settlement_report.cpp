#include "core/settlement/settlement_report.hpp"

#include <iterator>

namespace mb::settlement {

std::string_view ColumnName(Column column) {
  static constexpr std::string_view kNames[] = {"settlement-id",
                                                "settlement-start-date",
                                                "settlement-end-date",
                                                "deposit-date",
                                                "total-amount",
                                                "currency",
                                                "transaction-type",
                                                "order-id",
                                                "merchant-order-id",
                                                "adjustment-id",
                                                "shipment-id",
                                                "marketplace-name",
                                                "amount-type",
                                                "amount-description",
                                                "amount",
                                                "fulfillment-id",
                                                "posted-date",
                                                "posted-date-time",
                                                "order-item-code",
                                                "merchant-order-item-id",
                                                "merchant-adjustment-item-id",
                                                "sku",
                                                "quantity-purchased",
                                                "promotion-id"};
  static_assert(std::size(kNames) == kColumnCount, "one name per Column");
  return kNames[size_t(column)];
}

std::string_view SettlementReport::Field(const SettlementRow& row, Column column) const {
  int pos = position[size_t(column)];
  if (pos < 0) return {};
  std::string_view line = Line(row);
  size_t start = 0;
  for (int i = 0; i < pos; ++i) {
    size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) return {};
    start = tab + 1;
  }
  size_t end = line.find('\t', start);
  return line.substr(start, end == std::string_view::npos ? line.npos : end - start);
}

}  // namespace mb::settlement
