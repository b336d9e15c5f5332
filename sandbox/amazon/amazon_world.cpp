#include "sandbox/amazon/amazon_world.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sandbox/amazon/listing_attributes.hpp"

namespace sandbox::amazon {

using nlohmann::json;

std::string FormatAmount(int64_t minor) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", minor < 0 ? "-" : "",
                static_cast<long long>(std::llabs(minor) / 100),
                static_cast<long long>(std::llabs(minor) % 100));
  return buf;
}

int ListedQuantity(const Listing& listing) {
  auto it = listing.attributes.find("fulfillment_availability");
  if (it == listing.attributes.end() || !it->is_array()) return 0;
  for (const auto& entry : *it) {
    if (entry.is_object() && entry.value("fulfillment_channel_code", "") == "DEFAULT" &&
        entry.contains("quantity") && entry["quantity"].is_number_integer()) {
      return entry["quantity"].get<int>();
    }
  }
  return 0;
}

namespace {

void SetListedQuantity(Listing& listing, int quantity) {
  json& fa = listing.attributes["fulfillment_availability"];
  if (!fa.is_array()) fa = json::array();
  for (auto& entry : fa) {
    if (entry.is_object() && entry.value("fulfillment_channel_code", "") == "DEFAULT") {
      entry["quantity"] = quantity;
      return;
    }
  }
  fa.push_back({{"fulfillment_channel_code", "DEFAULT"}, {"quantity", quantity}});
}

std::string ItemName(const Listing& listing) {
  auto it = listing.attributes.find("item_name");
  if (it != listing.attributes.end() && it->is_array() && !it->empty() && (*it)[0].is_object()) {
    return (*it)[0].value("value", listing.sku);
  }
  return listing.sku;
}

WorldError Error(int status, std::string code, std::string message) {
  return WorldError{status, std::move(code), std::move(message)};
}

bool StatusAllowsShipment(const std::string& status) {
  return status == order_status::kUnshipped || status == order_status::kPartiallyShipped ||
         status == order_status::kShipped;
}

}  // namespace

std::optional<Money> OfferPrice(const Listing& listing, const Marketplace& marketplace) {
  auto it = listing.attributes.find("purchasable_offer");
  if (it == listing.attributes.end() || !it->is_array()) return std::nullopt;
  for (const auto& offer : *it) {
    if (!offer.is_object()) continue;
    if (offer.contains("marketplace_id") && offer["marketplace_id"] != marketplace.id) continue;
    if (offer.value("currency", "") != marketplace.currency) continue;
    if (offer.value("audience", "ALL") != "ALL") continue;
    try {
      double value =
          offer.at("our_price").at(0).at("schedule").at(0).at("value_with_tax").get<double>();
      return Money{std::llround(value * 100), std::string(marketplace.currency)};
    } catch (const json::exception&) {
      continue;
    }
  }
  return std::nullopt;
}

AmazonWorld::AmazonWorld(SimClock& clock, AmazonConfig config)
    : clock_(clock), config_(std::move(config)), rng_(config_.seed) {}

bool AmazonWorld::HasSeller(const std::string& seller_id) const {
  return std::any_of(config_.sellers.begin(), config_.sellers.end(),
                     [&](const SellerAccount& s) { return s.seller_id == seller_id; });
}

void AmazonWorld::SetDocumentBaseUrl(std::string base) {
  std::lock_guard lock(mu_);
  document_base_url_ = std::move(base);
}

std::string AmazonWorld::NewId(const char* prefix, int digits) {
  std::string id = prefix;
  for (int i = 0; i < digits; ++i) id += static_cast<char>('0' + rng_() % 10);
  return id;
}

std::string AmazonWorld::NewOrderId() {
  std::string id;
  do {
    id = NewId("", 3) + "-" + NewId("", 7) + "-" + NewId("", 7);
  } while (orders_.count(id) != 0);
  return id;
}

void AmazonWorld::ProcessDue() {
  std::lock_guard lock(mu_);
  ProcessDueLocked(clock_.Now());
}

// ---- Listings -------------------------------------------------------------------------------

void AmazonWorld::SetListingChecker(ListingChecker checker) {
  std::lock_guard lock(mu_);
  listing_checker_ = std::move(checker);
}

Result<Submission> AmazonWorld::ApplyPutLocked(const std::string& seller_id,
                                               const Marketplace& marketplace,
                                               const std::string& sku, const json& body,
                                               bool validate_only, SimTime now,
                                               const std::string& issue_locale) {
  Submission sub{sku, "ACCEPTED", NewId("", 32), json::array()};
  const std::string requirements = body.value("requirements", "LISTING");
  sub.issues = CheckAttributes(body["attributes"]);
  if (sub.issues.empty() && listing_checker_) {
    sub.issues = listing_checker_(body["productType"], std::string(marketplace.id),
                                  body["attributes"], requirements, issue_locale);
  }
  if (!sub.issues.empty()) {
    sub.status = "INVALID";
    return sub;
  }
  if (validate_only) {
    sub.status = "VALID";
    return sub;
  }
  ListingKey key{seller_id, marketplace.region, sku};
  auto [it, inserted] = listings_.try_emplace(key);
  Listing& listing = it->second;
  if (inserted) {
    listing.seller_id = seller_id;
    listing.region = marketplace.region;
    listing.sku = sku;
    listing.asin = NewId("B0", 8);
    listing.created_date = now;
  }
  listing.product_type = body["productType"];
  listing.requirements = requirements;
  listing.attributes = body["attributes"];
  listing.marketplace_ids.insert(std::string(marketplace.id));
  listing.last_updated_date = now;
  return sub;
}

Result<Submission> AmazonWorld::ApplyPatchLocked(const std::string& seller_id,
                                                 const Marketplace& marketplace,
                                                 const std::string& sku, const json& body,
                                                 bool validate_only, SimTime now,
                                                 const std::string& issue_locale) {
  Submission sub{sku, "ACCEPTED", NewId("", 32), json::array()};
  ListingKey key{seller_id, marketplace.region, sku};
  auto it = listings_.find(key);
  // Amazon accepts a patch of a SKU the seller does not list and applies nothing, without an
  // issue, both per item and in JSON_LISTINGS_FEED (selling-partner-api-models#4402): a client
  // cannot learn from the answer that its quantity went nowhere.
  if (it == listings_.end()) return sub;
  json attributes = it->second.attributes;
  sub.issues = ApplyPatches(attributes, body["patches"]);
  if (sub.issues.empty()) sub.issues = CheckAttributes(attributes);
  // Amazon checks the listing as it would be after the patch.
  if (sub.issues.empty() && listing_checker_) {
    sub.issues = listing_checker_(body["productType"], std::string(marketplace.id), attributes,
                                  it->second.requirements, issue_locale);
  }
  if (!sub.issues.empty()) {
    sub.status = "INVALID";
    return sub;
  }
  if (validate_only) {
    sub.status = "VALID";
    return sub;
  }
  it->second.attributes = std::move(attributes);
  it->second.product_type = body["productType"];
  it->second.marketplace_ids.insert(std::string(marketplace.id));
  it->second.last_updated_date = now;
  return sub;
}

Result<Submission> AmazonWorld::PutListing(const std::string& seller_id,
                                           const std::string& marketplace_id,
                                           const std::string& sku, const json& body,
                                           bool validate_only, const std::string& issue_locale) {
  const Marketplace* m = FindMarketplace(marketplace_id);
  if (m == nullptr)
    return tl::unexpected(Error(400, "InvalidInput", "Invalid marketplaceIds: " + marketplace_id));
  if (!body.is_object() || !body.contains("productType") || !body["productType"].is_string() ||
      !body.contains("attributes") || !body["attributes"].is_object()) {
    return tl::unexpected(
        Error(400, "InvalidInput",
              "Request body must have string 'productType' and object 'attributes'"));
  }
  std::lock_guard lock(mu_);
  return ApplyPutLocked(seller_id, *m, sku, body, validate_only, clock_.Now(), issue_locale);
}

Result<Submission> AmazonWorld::PatchListing(const std::string& seller_id,
                                             const std::string& marketplace_id,
                                             const std::string& sku, const json& body,
                                             bool validate_only, const std::string& issue_locale) {
  const Marketplace* m = FindMarketplace(marketplace_id);
  if (m == nullptr)
    return tl::unexpected(Error(400, "InvalidInput", "Invalid marketplaceIds: " + marketplace_id));
  if (!body.is_object() || !body.contains("productType") || !body["productType"].is_string() ||
      !body.contains("patches")) {
    return tl::unexpected(Error(400, "InvalidInput",
                                "Request body must have string 'productType' and array 'patches'"));
  }
  if (auto shape = PatchShapeError(body["patches"]); !shape.empty()) {
    return tl::unexpected(Error(400, "InvalidInput", shape));
  }
  std::lock_guard lock(mu_);
  return ApplyPatchLocked(seller_id, *m, sku, body, validate_only, clock_.Now(), issue_locale);
}

Result<Submission> AmazonWorld::DeleteListing(const std::string& seller_id,
                                              const std::string& marketplace_id,
                                              const std::string& sku) {
  const Marketplace* m = FindMarketplace(marketplace_id);
  if (m == nullptr)
    return tl::unexpected(Error(400, "InvalidInput", "Invalid marketplaceIds: " + marketplace_id));
  std::lock_guard lock(mu_);
  Submission sub{sku, "ACCEPTED", NewId("", 32), json::array()};
  listings_.erase(ListingKey{seller_id, m->region, sku});
  return sub;
}

std::optional<Listing> AmazonWorld::GetListing(const std::string& seller_id, Region region,
                                               const std::string& sku) const {
  std::lock_guard lock(mu_);
  auto it = listings_.find(ListingKey{seller_id, region, sku});
  if (it == listings_.end()) return std::nullopt;
  return it->second;
}

std::vector<Listing> AmazonWorld::Listings(const std::string& seller_id, Region region) const {
  std::lock_guard lock(mu_);
  std::vector<Listing> out;
  for (const auto& [key, listing] : listings_) {
    if (key.seller_id == seller_id && key.region == region) out.push_back(listing);
  }
  return out;
}

void AmazonWorld::ForEachListing(const std::string& seller_id, Region region,
                                 const std::function<void(const Listing&)>& visit) const {
  std::lock_guard lock(mu_);
  auto it = listings_.lower_bound(ListingKey{seller_id, region, ""});
  for (; it != listings_.end() && it->first.seller_id == seller_id && it->first.region == region;
       ++it)
    visit(it->second);
}

// ---- Orders ---------------------------------------------------------------------------------

void AmazonWorld::AddOrderObserver(OrderObserver observer) {
  std::lock_guard lock(observers_mu_);
  observers_.push_back(std::move(observer));
}

void AmazonWorld::NotifyOrderChanged(const Order& order) {
  std::vector<OrderObserver> observers;
  {
    std::lock_guard lock(observers_mu_);
    observers = observers_;
  }
  for (const auto& observer : observers) observer(order);
}

Result<Order> AmazonWorld::PlaceOrder(const PlaceOrderRequest& request) {
  auto placed = PlaceOrderUnnotified(request);
  if (placed) NotifyOrderChanged(*placed);
  return placed;
}

Result<Order> AmazonWorld::PlaceOrderUnnotified(const PlaceOrderRequest& request) {
  const Marketplace* m = FindMarketplace(request.marketplace_id);
  if (m == nullptr)
    return tl::unexpected(
        Error(400, "InvalidInput", "unknown marketplace " + request.marketplace_id));
  if (!HasSeller(request.seller_id)) {
    return tl::unexpected(Error(404, "NotFound", "unknown seller " + request.seller_id));
  }
  if (request.lines.empty())
    return tl::unexpected(Error(400, "InvalidInput", "an order needs at least one line"));
  std::lock_guard lock(mu_);
  const SimTime now = clock_.Now();
  std::map<std::string, int> wanted;
  for (const auto& line : request.lines) {
    if (line.quantity < 1)
      return tl::unexpected(
          Error(400, "InvalidInput", "quantity must be at least 1 for " + line.sku));
    wanted[line.sku] += line.quantity;
  }
  for (const auto& [sku, quantity] : wanted) {
    auto it = listings_.find(ListingKey{request.seller_id, m->region, sku});
    if (it == listings_.end() || it->second.marketplace_ids.count(request.marketplace_id) == 0) {
      ++counters_.orders_rejected;
      return tl::unexpected(
          Error(409, "NotListed", sku + " is not listed on " + std::string(m->name)));
    }
    if (ListedQuantity(it->second) < quantity) {
      ++counters_.orders_rejected;
      return tl::unexpected(Error(409, "InsufficientQuantity",
                                  sku + ": buyer wants " + std::to_string(quantity) + ", listed " +
                                      std::to_string(ListedQuantity(it->second))));
    }
  }
  Order order;
  order.order_id = NewOrderId();
  order.seller_id = request.seller_id;
  order.marketplace_id = request.marketplace_id;
  order.created_time = now;
  order.last_updated_time = now;
  order.status = request.status;
  order.earliest_ship_date = now;
  order.latest_ship_date = now + request.ship_within;
  order.earliest_delivery_date = now + request.ship_within;
  order.latest_delivery_date = now + request.deliver_within;
  order.buyer_name = request.buyer_name;
  order.buyer_email = request.buyer_email;
  order.delivery_address = request.delivery_address;
  for (const auto& line : request.lines) {
    Listing& listing = listings_.at(ListingKey{request.seller_id, m->region, line.sku});
    std::optional<Money> price = line.unit_price ? line.unit_price : OfferPrice(listing, *m);
    if (!price) {
      ++counters_.orders_rejected;
      return tl::unexpected(
          Error(409, "NotListed", line.sku + " has no offer price on " + std::string(m->name)));
    }
    order.items.push_back(
        {NewId("", 14), line.sku, listing.asin, ItemName(listing), line.quantity, 0, *price});
  }
  // Amazon lowers the listed quantity as soon as the order exists (Seller Central "order process").
  for (const auto& [sku, quantity] : wanted) {
    Listing& listing = listings_.at(ListingKey{request.seller_id, m->region, sku});
    SetListedQuantity(listing, ListedQuantity(listing) - quantity);
    listing.last_updated_date = now;
  }
  ++counters_.orders_placed;
  orders_[order.order_id] = order;
  return order;
}

Result<Order> AmazonWorld::SetOrderStatus(const std::string& order_id, const std::string& status) {
  Order changed;
  {
    std::lock_guard lock(mu_);
    auto it = orders_.find(order_id);
    if (it == orders_.end()) {
      return tl::unexpected(Error(404, "NotFound", "order " + order_id + " not found"));
    }
    it->second.status = status;
    it->second.last_updated_time = clock_.Now();
    changed = it->second;
  }
  NotifyOrderChanged(changed);
  return changed;
}

Result<Order> AmazonWorld::CancelOrder(const std::string& order_id) {
  auto cancelled = CancelOrderUnnotified(order_id);
  if (cancelled) NotifyOrderChanged(*cancelled);
  return cancelled;
}

Result<Order> AmazonWorld::CancelOrderUnnotified(const std::string& order_id) {
  std::lock_guard lock(mu_);
  auto it = orders_.find(order_id);
  if (it == orders_.end())
    return tl::unexpected(Error(404, "NotFound", "order " + order_id + " not found"));
  Order& order = it->second;
  if (order.status == order_status::kShipped || order.status == order_status::kCancelled) {
    return tl::unexpected(
        Error(409, "InvalidState",
              "order " + order_id + " is " + order.status + " and can't be cancelled"));
  }
  const SimTime now = clock_.Now();
  if (config_.cancel_restores_quantity) {
    const Region region = FindMarketplace(order.marketplace_id)->region;
    for (const auto& item : order.items) {
      auto l = listings_.find(ListingKey{order.seller_id, region, item.sku});
      if (l == listings_.end()) continue;
      SetListedQuantity(l->second,
                        ListedQuantity(l->second) + item.quantity_ordered - item.quantity_shipped);
      l->second.last_updated_date = now;
    }
  }
  order.status = order_status::kCancelled;
  order.last_updated_time = now;
  return order;
}

std::optional<Order> AmazonWorld::GetOrder(const std::string& order_id) const {
  std::lock_guard lock(mu_);
  auto it = orders_.find(order_id);
  if (it == orders_.end()) return std::nullopt;
  return it->second;
}

std::vector<Order> AmazonWorld::Orders(const std::string& seller_id) const {
  std::lock_guard lock(mu_);
  std::vector<Order> out;
  for (const auto& [id, order] : orders_) {
    if (order.seller_id == seller_id) out.push_back(order);
  }
  return out;
}

Result<void> AmazonWorld::ConfirmShipment(const std::string& seller_id, const std::string& order_id,
                                          const ConfirmShipmentRequest& request) {
  auto confirmed = ConfirmShipmentUnnotified(seller_id, order_id, request);
  if (!confirmed) return tl::unexpected(confirmed.error());
  NotifyOrderChanged(*confirmed);
  return {};
}

Result<Order> AmazonWorld::ConfirmShipmentUnnotified(const std::string& seller_id,
                                                     const std::string& order_id,
                                                     const ConfirmShipmentRequest& request) {
  std::lock_guard lock(mu_);
  auto it = orders_.find(order_id);
  if (it == orders_.end() || it->second.seller_id != seller_id) {
    return tl::unexpected(Error(404, "NotFound", "Order " + order_id + " was not found."));
  }
  Order& order = it->second;
  if (request.marketplace_id != order.marketplace_id) {
    return tl::unexpected(Error(400, "InvalidInput",
                                "marketplaceId " + request.marketplace_id +
                                    " does not match the order's marketplace " +
                                    order.marketplace_id));
  }
  if (!StatusAllowsShipment(order.status)) {
    return tl::unexpected(
        Error(400, "InvalidInput",
              "Order " + order_id + " has status " + order.status +
                  "; only Unshipped or PartiallyShipped orders can be confirmed"));
  }
  const Package& pkg = request.package;
  // Quantities already in other packages: re-sending a packageReferenceId replaces that package.
  std::map<std::string, int> shipped_elsewhere;
  bool edit = false;
  for (const auto& existing : order.packages) {
    if (existing.package_reference_id == pkg.package_reference_id) {
      edit = true;
      continue;
    }
    for (const auto& item : existing.items) shipped_elsewhere[item.order_item_id] += item.quantity;
  }
  std::map<std::string, int> in_package;
  for (const auto& item : pkg.items) {
    auto line = std::find_if(order.items.begin(), order.items.end(), [&](const OrderItem& oi) {
      return oi.order_item_id == item.order_item_id;
    });
    if (line == order.items.end()) {
      return tl::unexpected(
          Error(400, "InvalidInput",
                "orderItemId " + item.order_item_id + " does not belong to order " + order_id));
    }
    if (item.quantity < 1) {
      return tl::unexpected(
          Error(400, "InvalidInput",
                "quantity must be at least 1 for orderItemId " + item.order_item_id));
    }
    in_package[item.order_item_id] += item.quantity;
    int unshipped = line->quantity_ordered - shipped_elsewhere[item.order_item_id];
    if (in_package[item.order_item_id] > unshipped) {
      return tl::unexpected(Error(400, "InvalidInput",
                                  "quantity " + std::to_string(in_package[item.order_item_id]) +
                                      " for orderItemId " + item.order_item_id + " exceeds the " +
                                      std::to_string(unshipped) + " unit(s) not yet shipped"));
    }
  }
  const SimTime now = clock_.Now();
  Package stored = pkg;
  stored.confirmed_at = now;
  if (edit) {
    for (auto& existing : order.packages) {
      if (existing.package_reference_id == pkg.package_reference_id) existing = stored;
    }
  } else {
    order.packages.push_back(stored);
  }
  bool all_shipped = true;
  for (auto& line : order.items) {
    line.quantity_shipped = shipped_elsewhere[line.order_item_id] + in_package[line.order_item_id];
    all_shipped = all_shipped && line.quantity_shipped >= line.quantity_ordered;
  }
  order.status = all_shipped ? order_status::kShipped : order_status::kPartiallyShipped;
  order.last_updated_time = now;
  ShipmentConfirmation c{order_id,
                         pkg.package_reference_id,
                         pkg.carrier_code,
                         pkg.carrier_name,
                         pkg.tracking_number,
                         pkg.ship_date,
                         now,
                         order.latest_ship_date,
                         now > order.latest_ship_date,
                         edit,
                         pkg.items};
  if (!edit) ++counters_.shipments_confirmed;
  if (c.late && !order.shipped_late) {
    order.shipped_late = true;  // Amazon's late shipment rate counts orders, not packages
    ++counters_.late_shipments;
  }
  confirmations_.push_back(std::move(c));
  return order;
}

std::vector<ShipmentConfirmation> AmazonWorld::Confirmations() const {
  std::lock_guard lock(mu_);
  return confirmations_;
}

WorldCounters AmazonWorld::Counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

}  // namespace sandbox::amazon
