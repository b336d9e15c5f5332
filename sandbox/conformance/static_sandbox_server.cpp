#include "sandbox/conformance/static_sandbox_server.hpp"

#include "sandbox/conformance/amazon_error.hpp"
#include "sandbox/conformance/loopback_listener.hpp"
#include "sandbox/sqs/random_id.hpp"

namespace sandbox::conformance {

StaticSandboxServer::StaticSandboxServer(const std::string& models_dir) {
  catalog_.Load(models_dir, ConformanceModelNames());
  cases_ = CollectStaticCases(catalog_);
  for (const auto& c : cases_) cases_by_operation_[c.operation].push_back(&c);
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); };
  server_.Get(".*", handler);
  server_.Post(".*", handler);
  server_.Put(".*", handler);
  server_.Patch(".*", handler);
  server_.Delete(".*", handler);
}

StaticSandboxServer::~StaticSandboxServer() { Stop(); }

void StaticSandboxServer::Start(int port) {
  port_ = ListenOnLoopback(server_, port, thread_, "static sandbox");
}

void StaticSandboxServer::Stop() { StopListening(server_, thread_); }

std::pair<int, std::string> StaticSandboxServer::Answer(const ApiRequest& request) const {
  auto routed = catalog_.Route(request.method, request.path);
  if (!routed) {
    return {404, AmazonErrorBody("NotFound", "Resource not found").dump()};
  }
  auto it = cases_by_operation_.find(routed->operation);
  const StaticCase* c = it == cases_by_operation_.end()
                            ? nullptr
                            : FindStaticCase(it->second, request, routed->path_params);
  if (c == nullptr) {
    return {400, AmazonErrorBody("InvalidInput", "Could not match input arguments").dump()};
  }
  if (c->status == 204 || !c->response) return {c->status, ""};
  return {c->status, c->response->dump()};
}

void StaticSandboxServer::Handle(const httplib::Request& req, httplib::Response& res) const {
  auto [status, body] = Answer(FromHttplib(req));
  res.status = status;
  res.set_header("x-amzn-RequestId", sqs::NewUuid());
  if (!body.empty()) res.set_content(body, "application/json");
}

}  // namespace sandbox::conformance
