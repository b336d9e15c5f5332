#include "http/fake_http_client.hpp"

#include <string>

namespace mb::http {

void FakeHttpClient::Push(Result<HttpResponse> outcome) {
  std::lock_guard lock(mu_);
  queue_.push_back(std::move(outcome));
}

void FakeHttpClient::PushResponse(int status, std::string body, HttpHeaders headers) {
  Push(HttpResponse{status, std::move(headers), std::move(body)});
}

void FakeHttpClient::PushError(ErrorCode code, std::string message) {
  Push(Fail(code, std::move(message)));
}

void FakeHttpClient::SetHandler(Handler handler) {
  std::lock_guard lock(mu_);
  handler_ = std::move(handler);
}

Result<HttpResponse> FakeHttpClient::Send(const HttpRequest& request) {
  Handler handler;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    if (!queue_.empty()) {
      Result<HttpResponse> outcome = std::move(queue_.front());
      queue_.pop_front();
      return outcome;
    }
    handler = handler_;
  }
  // Called without the lock so a handler may script further outcomes.
  if (handler) return handler(request);
  return Fail(ErrorCode::kInternal, "fake http: no scripted answer for " +
                                        std::string(MethodName(request.method)) + " " +
                                        request.url);
}

std::vector<HttpRequest> FakeHttpClient::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

size_t FakeHttpClient::request_count() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

size_t FakeHttpClient::pending() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

}  // namespace mb::http
