#include "core/settlement/order_match.hpp"

#include <array>
#include <unordered_map>

#include "core/timestamp.hpp"

namespace mb::settlement {

namespace {

constexpr std::array kKindNames = {std::string_view("unknown_order"),
                                   std::string_view("not_in_scayle"),
                                   std::string_view("refund_not_shipped")};

// One order id's rows in the file.
struct OrderRows {
  std::string_view sku;
  uint32_t first_line = 0;
  TimePoint first_posted = TimePoint::max();
  int64_t rows = 0;
  int64_t amount_minor = 0;
  int64_t refund_rows = 0;
  int64_t refund_minor = 0;
  bool fulfilled_by_amazon = false;
};

}  // namespace

std::string_view OrderFindingKindName(OrderFindingKind kind) { return kKindNames[size_t(kind)]; }

Result<OrderFindingKind> ParseOrderFindingKind(std::string_view name) {
  for (size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == name) return OrderFindingKind(i);
  }
  return Fail(ErrorCode::kInvalidInput, "unknown order finding '" + std::string(name) + "'");
}

int64_t OrderCheck::Count(OrderFindingKind kind) const {
  int64_t n = 0;
  for (const auto& f : findings) n += f.kind == kind ? 1 : 0;
  return n;
}

std::string OrderCheck::Summary() const {
  if (!checked) return "orders not checked: " + not_checked_reason;
  std::string s = "orders: " + std::to_string(orders) + " settled, " + std::to_string(matched) +
                  " matched the order ledger";
  auto add = [&](int64_t n, std::string_view what) {
    if (n > 0) s += ", " + std::to_string(n) + " " + std::string(what);
  };
  add(Count(OrderFindingKind::kUnknownOrder), "unknown to the engine");
  add(Count(OrderFindingKind::kNotInScayle), "never created in SCAYLE");
  add(Count(OrderFindingKind::kRefundNotShipped), "refunded but never shipped");
  add(fulfilled_by_amazon, "fulfilled by Amazon (not checked)");
  add(before_ledger, "before the ledger's first order (not checked)");
  return s;
}

Result<OrderCheck> CheckOrders(const SettlementReport& report, OrderLedgerView* ledger) {
  OrderCheck check;
  // Which combinations are order sales and refunds, decided once per combination.
  std::vector<int8_t> kind_of(report.combinations.size(), 0);  // 1 order, 2 refund
  for (size_t i = 0; i < report.combinations.size(); ++i) {
    const auto& tt = report.combinations[i].transaction_type;
    kind_of[i] = tt == "Order" ? 1 : tt == "Refund" ? 2 : 0;
  }
  std::unordered_map<std::string_view, OrderRows> by_order;
  std::vector<std::string_view> in_file_order;
  for (const auto& row : report.rows) {
    const int8_t kind = kind_of[row.combination];
    if (kind == 0) continue;
    std::string_view order_id = report.Field(row, Column::kOrderId);
    if (order_id.empty()) continue;
    auto [it, inserted] = by_order.try_emplace(order_id);
    OrderRows& o = it->second;
    if (inserted) {
      in_file_order.push_back(order_id);
      o.first_line = row.line;
      o.sku = report.Field(row, Column::kSku);
      o.fulfilled_by_amazon = report.Field(row, Column::kFulfillmentId) == "AFN";
    }
    if (row.has_posted && row.posted < o.first_posted) o.first_posted = row.posted;
    ++o.rows;
    o.amount_minor += row.amount_minor;
    if (kind == 2) {
      ++o.refund_rows;
      o.refund_minor += row.amount_minor;
    }
  }
  check.orders = int64_t(in_file_order.size());
  if (ledger == nullptr) {
    check.not_checked_reason = "no order ledger in this deployment";
    return check;
  }
  const TimePoint from = report.summary.start - kLedgerLookBack;
  const TimePoint to = report.summary.end + std::chrono::hours(24);
  auto first_seen = ledger->FirstOrderSeen(from, to);
  if (!first_seen) return tl::unexpected(first_seen.error());
  if (!*first_seen) {
    check.not_checked_reason = "the order ledger holds no orders seen between " + FormatDate(from) +
                               " and " + FormatDate(to) + " (order loop disabled or started later)";
    return check;
  }
  check.checked = true;
  for (std::string_view id : in_file_order) {
    const OrderRows& o = by_order[id];
    if (o.fulfilled_by_amazon) {
      ++check.fulfilled_by_amazon;
      continue;
    }
    auto facts = ledger->Find(id);
    if (!facts) return tl::unexpected(facts.error());
    auto finding = [&](OrderFindingKind kind, int64_t rows, int64_t amount) {
      check.findings.push_back(
          OrderFinding{kind, std::string(id), rows, amount, o.first_line, std::string(o.sku)});
    };
    if (!*facts) {
      // Posted before the ledger's first order: the engine cannot have seen it.
      if (o.first_posted < **first_seen) {
        ++check.before_ledger;
      } else {
        finding(OrderFindingKind::kUnknownOrder, o.rows, o.amount_minor);
      }
    } else if (!(*facts)->created_in_scayle) {
      finding(OrderFindingKind::kNotInScayle, o.rows, o.amount_minor);
    } else if (o.refund_rows > 0 && !(*facts)->shipped) {
      finding(OrderFindingKind::kRefundNotShipped, o.refund_rows, o.refund_minor);
    } else {
      ++check.matched;
    }
  }
  return check;
}

}  // namespace mb::settlement
