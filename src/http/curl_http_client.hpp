#pragma once
// HttpClient on libcurl. Easy handles are pooled and reused so their connection caches keep
// TCP/TLS connections alive between requests (SP-API and SCAYLE calls go to a handful of hosts).

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include "ports/http_client.hpp"

namespace mb::http {

struct CurlOptions {
  // Capped by each request's own timeout.
  std::chrono::milliseconds connect_timeout{5000};
  std::string user_agent = "marketbridge/0.1";
  // Handles kept between requests; more may exist while that many requests run concurrently.
  size_t max_idle_handles = 8;
  // A larger body is refused (kMalformedResponse) rather than exhausting memory.
  size_t max_response_bytes = size_t{512} << 20;
  // PEM bundle of trusted CAs; empty means the system store. Verification is never switched off.
  std::string ca_file;
};

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(CurlOptions options = {});
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request) override;

  // For shutdown: long polls in flight (HttpRequest::long_poll) end within about a second (curl
  // checks between reads, at least once a second) and later ones fail at once; other requests
  // are not affected, so an effect already on the wire still gets its answer.
  void Stop();

 private:
  void* Acquire();
  void Release(void* handle);

  CurlOptions options_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::vector<void*> idle_;  // CURL* kept opaque so callers need not include curl.h
};

}  // namespace mb::http
