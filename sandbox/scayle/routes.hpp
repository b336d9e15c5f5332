#pragma once
// Route groups of the emulated Admin API and the sandbox control API, one file each.

#include "sandbox/scayle/api_router.hpp"
#include "sandbox/scayle/identifiers.hpp"
#include "sandbox/scayle/scayle_world.hpp"
#include "sandbox/scayle/webhooks.hpp"

namespace sandbox::scayle {

class ScayleServer;

void RegisterCatalogueRoutes(ApiRouter& router, ScayleWorld& world);
void RegisterStockRoutes(ApiRouter& router, ScayleWorld& world);
void RegisterReservationRoutes(ApiRouter& router, ScayleWorld& world);
void RegisterOrderRoutes(ApiRouter& router, ScayleWorld& world);
void RegisterShopRoutes(ApiRouter& router, ScayleWorld& world);
void RegisterWebhookRoutes(ApiRouter& router, WebhookHub& hub);
// Under /_sandbox/scayle: no auth, no rate limits, never part of the emulated contract.
void RegisterControlRoutes(httplib::Server& server, ScayleServer& sandbox);

// The `{...Identifier}` rule, as an error SCAYLE would answer for an unusable identifier.
tl::expected<Identifier, ApiError> PathIdentifier(const std::string& text,
                                                  const std::string& not_found_key);

}  // namespace sandbox::scayle
