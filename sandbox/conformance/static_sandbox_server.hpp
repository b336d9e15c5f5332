#pragma once
// Amazon's static sandbox (sandbox.sellingpartnerapi-*.amazon.com) on loopback: answers every
// `x-amzn-api-sandbox.static` case of the loaded models with its declared status and body.
// Requests that route to no operation get 404, requests that match no case get Amazon's
// 400 "Could not match input arguments".

#include <httplib.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "sandbox/conformance/model_catalog.hpp"
#include "sandbox/conformance/static_cases.hpp"

namespace sandbox::conformance {

class StaticSandboxServer {
 public:
  // Loads the conformance models from `models_dir` (throws on a missing model: startup).
  explicit StaticSandboxServer(const std::string& models_dir);
  ~StaticSandboxServer();
  StaticSandboxServer(const StaticSandboxServer&) = delete;
  StaticSandboxServer& operator=(const StaticSandboxServer&) = delete;

  // Binds 127.0.0.1 on `port` (0 = ephemeral) and serves on a background thread.
  void Start(int port = 0);
  void Stop();
  int port() const { return port_; }

  const ModelCatalog& catalog() const { return catalog_; }
  const std::vector<StaticCase>& cases() const { return cases_; }

  // The answer for one request, without HTTP (status, body; body empty for no content).
  std::pair<int, std::string> Answer(const ApiRequest& request) const;

 private:
  void Handle(const httplib::Request& req, httplib::Response& res) const;

  ModelCatalog catalog_;
  std::vector<StaticCase> cases_;
  std::map<const Operation*, std::vector<const StaticCase*>> cases_by_operation_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace sandbox::conformance
