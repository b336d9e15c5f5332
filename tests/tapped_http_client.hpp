#pragma once
// The engine's HTTP transport with a tap, for end-to-end tests: one decorator under every adapter
// (SP-API, LWA, SQS, SCAYLE). It records each exchange by its operation label
// (`amazon.confirmShipment`, `scayle.createReservations`, ...) and can run a hook after the
// server's answer arrived and before the adapter sees it. A hook that throws models the engine
// dying right after a call took effect and before its answer was recorded.

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "ports/http_client.hpp"

namespace mb::testing {

class TappedHttpClient final : public HttpClient {
 public:
  struct Exchange {
    std::string operation;
    HttpMethod method = HttpMethod::kGet;
    std::string url;
    std::string request_body;
    int status = 0;  // 0: no answer (transport failure)
  };
  using Hook = std::function<void(const HttpRequest&, const HttpResponse&)>;

  // `inner` must outlive the tap.
  explicit TappedHttpClient(HttpClient& inner) : inner_(inner) {}

  Result<HttpResponse> Send(const HttpRequest& request) override {
    auto response = inner_.Send(request);
    Hook hook;
    {
      std::lock_guard lock(mu_);
      exchanges_.push_back({request.operation, request.method, request.url, request.body,
                            response ? response->status : 0});
      if (auto it = hooks_.find(request.operation); it != hooks_.end()) hook = it->second;
    }
    if (response && hook) hook(request, *response);
    return response;
  }

  // Runs `hook` after each answered call of `operation`; an empty hook removes it.
  void After(const std::string& operation, Hook hook) {
    std::lock_guard lock(mu_);
    if (hook) {
      hooks_[operation] = std::move(hook);
    } else {
      hooks_.erase(operation);
    }
  }

  // Requests sent with this operation label, answered or not.
  int Count(const std::string& operation) const {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const auto& e : exchanges_) n += e.operation == operation;
    return n;
  }

  // Every exchange so far, or those of one operation.
  std::vector<Exchange> Exchanges(const std::string& operation = "") const {
    std::lock_guard lock(mu_);
    std::vector<Exchange> out;
    for (const auto& e : exchanges_) {
      if (operation.empty() || e.operation == operation) out.push_back(e);
    }
    return out;
  }

 private:
  HttpClient& inner_;
  mutable std::mutex mu_;
  std::vector<Exchange> exchanges_;
  std::map<std::string, Hook> hooks_;
};

}  // namespace mb::testing
