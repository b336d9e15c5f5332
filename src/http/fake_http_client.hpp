#pragma once
// A scripted HttpClient for unit tests of the adapters: answers with queued outcomes (then a
// handler, if set) and records every request it was sent. Never touches the network.

#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "ports/http_client.hpp"

namespace mb::http {

class FakeHttpClient final : public HttpClient {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;

  // Queued outcomes are used first, in order.
  void Push(Result<HttpResponse> outcome);
  void PushResponse(int status, std::string body = {}, HttpHeaders headers = {});
  void PushError(ErrorCode code, std::string message = "scripted failure");
  // Answers whatever the queue does not; without one, an unscripted request is an kInternal error.
  void SetHandler(Handler handler);

  Result<HttpResponse> Send(const HttpRequest& request) override;

  std::vector<HttpRequest> requests() const;
  size_t request_count() const;
  size_t pending() const;

 private:
  mutable std::mutex mu_;
  std::deque<Result<HttpResponse>> queue_;
  Handler handler_;
  std::vector<HttpRequest> requests_;
};

}  // namespace mb::http
