#pragma once
// The Amazon side as the loops see it: SP-API operations with plain typed structs (no JSON types),
// implemented in src/amazon. Attribute documents of listings stay JSON *text*: their shape is the
// product type's schema, which the catalogue compiler owns.

namespace mb {

// Who goes first when SP-API quota is scarce. Zero-crossings and big stock drops must never wait
// behind price updates, and catalogue work never delays stock.
enum class CallPriority {
  kUrgent,  // stock to zero, large drops, shipment confirmations
  kNormal,  // ordinary stock and price changes, orders
  kBulk,    // catalogue, audits, reports
};

}  // namespace mb
