#include "sandbox/conformance/static_sandbox_server.hpp"

#include <stdexcept>

#include "sandbox/conformance/amazon_error.hpp"
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
  if (port == 0) {
    port_ = server_.bind_to_any_port("127.0.0.1");
  } else if (server_.bind_to_port("127.0.0.1", port)) {
    port_ = port;
  } else {
    port_ = -1;
  }
  if (port_ < 0) throw std::runtime_error("sandbox: static sandbox cannot bind 127.0.0.1");
  // The socket already listens, so clients may connect before the accept loop runs.
  thread_ = std::thread([this] { server_.listen_after_bind(); });
}

void StaticSandboxServer::Stop() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

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
