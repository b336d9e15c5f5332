// The operator dashboard: `/` shows the open exceptions per owner team (web/dashboard.html), fed by
// `/api/exceptions`. It reads only what the exception registry holds, so it can never disagree with
// `marketbridge exceptions`.
#include "app/component.hpp"
#include "app/dashboard_html.hpp"
#include "app/exception_json.hpp"

namespace mb::app {

namespace {

class DashboardComponent final : public Component {
 public:
  std::string_view name() const override { return "dashboard"; }
  Status Start() override { return {}; }
  void Stop() override {}
};

server::Response ListExceptions(EngineContext& ctx, const server::Request& request) {
  ExceptionFilter filter;
  filter.open_only = request.QueryParam("open") == "1";
  filter.limit = 500;
  if (auto team = request.QueryParam("team"); !team.empty()) {
    auto parsed = ParseTeam(team);
    if (!parsed)
      return server::Response::Json(400, nlohmann::json{{"error", parsed.error().message}}.dump());
    filter.team = *parsed;
  }
  auto list = ctx.exceptions.List(filter);
  if (!list)
    return server::Response::Json(503, nlohmann::json{{"error", list.error().message}}.dump());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : *list) out.push_back(ExceptionToJson(e, ctx.clock.Now()));
  return server::Response::Json(200, out.dump());
}

}  // namespace

Result<std::unique_ptr<Component>> MakeDashboardComponent(EngineContext& ctx) {
  ctx.server.Route("GET", "/", [](const server::Request&) {
    server::Response r = server::Response::Text(200, std::string(kDashboardHtml));
    r.content_type = "text/html; charset=utf-8";
    return r;
  });
  ctx.server.Route("GET", "/api/exceptions",
                   [&ctx](const server::Request& request) { return ListExceptions(ctx, request); });
  return std::unique_ptr<Component>(std::make_unique<DashboardComponent>());
}

}  // namespace mb::app
