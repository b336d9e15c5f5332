#pragma once
// The stock and price loop as an engine component, and its settings from the config (shared with
// `marketbridge sku explain`).

#include <memory>

#include "app/component.hpp"
#include "config/config.hpp"
#include "core/stock/buffer_policy.hpp"
#include "sync/stock_loop.hpp"

namespace mb::app {

Result<sync::StockLoopSettings> StockSettingsFromConfig(const config::Config& config);
// `fixed=1,percent=10,max=50,zero_below=2` (any subset).
Result<stock::BufferRule> ParseBufferRule(std::string_view text);
Result<stock::BufferPolicies> BufferPoliciesFromConfig(const config::Config& config);

// nullptr when stock.enabled is false.
Result<std::unique_ptr<Component>> MakeStockComponent(EngineContext& context);

}  // namespace mb::app
