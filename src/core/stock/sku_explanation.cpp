#include "core/stock/sku_explanation.hpp"

#include "core/timestamp.hpp"

namespace mb::stock {

std::string FormatExplanation(const SkuExplanation& e) {
  std::string out = "SKU " + e.sku + " (region " + e.region + ")\n";
  if (!e.ats) {
    out += "  not known to SCAYLE: nothing is listed from SCAYLE stock\n";
  } else {
    const AtsValue& v = *e.ats;
    out += "  ATS " + std::to_string(v.quantity) + " = sellable " + std::to_string(v.sellable) +
           " - open Amazon orders " + std::to_string(v.open_order_units) + " - buffer " +
           std::to_string(v.buffer_units) + "\n";
    out += "  buffer rule: " + std::string(RuleScopeName(v.rule.scope)) +
           (v.rule.key.empty() ? "" : " " + v.rule.key) + ": " + v.buffer_reason + "\n";
    out += "  warehouses:\n";
    for (const auto& w : v.warehouses) {
      out += "    " + w.warehouse + ": " + std::to_string(w.quantity) + " (changed " +
             FormatTimestamp(w.changed_at) + ")" + (w.serves_region ? "" : " not serving") + "\n";
    }
    out += "  open Amazon orders not yet in SCAYLE stock:";
    if (v.open_orders.empty()) out += " none";
    out += "\n";
    for (const auto& o : v.open_orders) {
      out += "    " + o.key + ": " + std::to_string(o.units) + " unit(s), ordered " +
             FormatTimestamp(o.ordered_at) +
             (o.held_at ? ", held in SCAYLE since " + FormatTimestamp(*o.held_at) : "") + "\n";
    }
    out += "  inputs version " + std::to_string(v.version) + ", newest order event " +
           std::to_string(v.order_watermark) + (e.current ? "" : " (stale: recomputing)") + "\n";
  }
  if (e.pending_quantity)
    out += "  waiting to push: quantity " + std::to_string(*e.pending_quantity) + "\n";
  if (!e.price_reason.empty()) out += "  price: " + e.price_reason + "\n";
  out += "  pushes (newest first):";
  if (e.pushes.empty()) out += " none";
  out += "\n";
  for (const auto& p : e.pushes) {
    out += "    " + FormatTimestamp(p.at) + " " + p.kind + " " + p.value + " via " + p.via +
           " (version " + std::to_string(p.version) +
           "): " + (p.amazon_status.empty() ? "no answer yet" : p.amazon_status) +
           (p.amazon_answer.empty() ? "" : " - " + p.amazon_answer) + "\n";
  }
  return out;
}

}  // namespace mb::stock
