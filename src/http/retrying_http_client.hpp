#pragma once
// Retries what a retry can fix, and only where repeating the request is safe: transport
// timeouts and connection failures, 408, 429, 500, 502, 503, 504 — never another 4xx, never a
// POST/PATCH unless the request says it carries its own idempotency key. Waits are exponential
// back-off with full jitter, or what the server asked for (`Retry-After`, SCAYLE's
// `X-RateLimit-Reset`), measured on the injected Clock and cut short by Stop().

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "core/clock.hpp"
#include "ports/http_client.hpp"

namespace mb::http {

struct RetryPolicy {
  // Attempts in all, the first one included.
  int max_attempts = 4;
  // Back-off before retry n is uniform in [0, min(max_delay, base_delay * 2^(n-1))].
  Duration base_delay{200};
  Duration max_delay{20'000};
  // No retry starts once this much clock time would have passed since the first attempt.
  Duration max_total{60'000};
  // Cap on a wait the server asks for; a longer ask is waited only this long.
  Duration max_server_wait{60'000};
  // False when a caller above paces throttled calls itself (the SP-API rate governor): a 429 then
  // comes straight back instead of being retried around the governor.
  bool retry_throttled = true;
};

// One attempt, as seen by metrics or tests.
struct AttemptReport {
  std::string operation;
  int attempt = 0;                 // 1-based
  int status = 0;                  // HTTP status; 0 when the transport failed
  std::optional<ErrorCode> error;  // set when the transport failed
  bool retrying = false;           // another attempt follows
  Duration wait{0};                // clock time before that attempt
};

struct RetryOptions {
  RetryPolicy policy;
  // Called after every attempt, on the caller's thread, before any wait.
  std::function<void(const AttemptReport&)> observer;
  // Responses to treat as throttling although their status is not 429, e.g. SCAYLE's
  // `RATE_LIMIT_EXCEED` error body, whose status the documentation leaves unconfirmed.
  std::function<bool(const HttpResponse&)> is_throttled;
  // Jitter seed, for reproducible tests; unset draws one from std::random_device.
  std::optional<uint64_t> seed;
};

class RetryingHttpClient final : public HttpClient {
 public:
  // Waits `d` of clock time; returns false when cut short by Stop().
  using Sleeper = std::function<bool(Duration d)>;

  // `inner` and `clock` must outlive this client.
  RetryingHttpClient(HttpClient& inner, const Clock& clock, RetryOptions options = {});

  // The last outcome when retries are exhausted or not allowed: a retryable status comes back
  // as the response, a transport failure as the error.
  Result<HttpResponse> Send(const HttpRequest& request) override;

  // For shutdown: wakes every waiting Send, which then returns its last outcome, and stops all
  // further retries. Attempts already in flight finish under their own timeout.
  void Stop();

  // Replaces the real wait (tests record the waits and move a FakeClock instead).
  void SetSleeperForTesting(Sleeper sleeper) { sleeper_ = std::move(sleeper); }

 private:
  bool Retryable(const HttpRequest& request, const Result<HttpResponse>& outcome) const;
  Duration NextWait(const Result<HttpResponse>& outcome, int attempt);
  bool Sleep(Duration d);

  HttpClient& inner_;
  const Clock& clock_;
  RetryOptions options_;
  Sleeper sleeper_;

  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopped_ = false;
  std::mt19937_64 rng_;  // guarded by mu_
};

// 408, 429, 500, 502, 503, 504.
bool IsRetryableStatus(int status);
// HTTP-date in any of the three forms of RFC 9110 §5.6.7 (IMF-fixdate, RFC 850, asctime).
std::optional<TimePoint> ParseHttpDate(std::string_view text);
// `Retry-After`: delay-seconds or an HTTP-date (a date in the past means now).
std::optional<Duration> ParseRetryAfter(std::string_view text, TimePoint now);

}  // namespace mb::http
