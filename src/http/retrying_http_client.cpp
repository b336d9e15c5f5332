#include "http/retrying_http_client.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "http/http_log.hpp"
#include "http/redact.hpp"

namespace mb::http {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

// `12` or `12.5` seconds. Absurdly long values saturate; callers cap them anyway.
std::optional<Duration> ParseSeconds(std::string_view text) {
  text = Trim(text);
  const size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (!AllDigits(whole) || (dot != std::string_view::npos && !AllDigits(fraction))) {
    return std::nullopt;
  }
  if (whole.size() > 9) return Duration(std::chrono::seconds(999'999'999));
  int64_t ms = std::stoll(std::string(whole)) * 1000;
  int64_t scale = 100;
  for (size_t i = 0; i < fraction.size() && i < 3; ++i, scale /= 10) {
    ms += (fraction[i] - '0') * scale;
  }
  return Duration(ms);
}

std::optional<unsigned> MonthNumber(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (name.size() != 3) return std::nullopt;
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (EqualsIgnoreCase(name, kMonths[i])) return i + 1;
  }
  return std::nullopt;
}

std::string Outcome(const Result<HttpResponse>& outcome) {
  if (outcome) return std::to_string(outcome->status);
  return std::string(ErrorName(outcome.error().code));
}

}  // namespace

bool IsRetryableStatus(int status) {
  switch (status) {
    case 408:
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return true;
    default:
      return false;
  }
}

std::optional<TimePoint> ParseHttpDate(std::string_view text) {
  // The three forms share their parts in different orders; pick them out by shape:
  //   Sun, 06 Nov 1994 08:49:37 GMT   Sunday, 06-Nov-94 08:49:37 GMT   Sun Nov  6 08:49:37 1994
  std::vector<std::string_view> tokens;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t end = text.find_first_of(" ,-", pos);
    const std::string_view token = text.substr(pos, end - pos);
    if (!token.empty()) tokens.push_back(token);
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  std::optional<unsigned> month;
  std::string_view time;
  std::vector<int> numbers;
  for (std::string_view token : tokens) {
    if (auto m = MonthNumber(token)) {
      month = m;
    } else if (token.size() == 8 && token[2] == ':' && token[5] == ':') {
      time = token;
    } else if (AllDigits(token) && token.size() <= 4) {
      numbers.push_back(std::stoi(std::string(token)));
    }
  }
  if (!month || time.empty() || numbers.size() != 2) return std::nullopt;
  const int day = numbers[0];
  int year = numbers[1];
  if (year < 100) year += year < 70 ? 2000 : 1900;  // RFC 850's two-digit years
  const auto ymd = std::chrono::year{year} / std::chrono::month{*month} /
                   std::chrono::day{static_cast<unsigned>(day)};
  const std::string_view hh = time.substr(0, 2), mm = time.substr(3, 2), ss = time.substr(6, 2);
  if (!ymd.ok() || !AllDigits(hh) || !AllDigits(mm) || !AllDigits(ss)) return std::nullopt;
  const int h = std::stoi(std::string(hh)), m = std::stoi(std::string(mm)),
            s = std::stoi(std::string(ss));
  if (h > 23 || m > 59 || s > 60) return std::nullopt;
  return TimePoint(std::chrono::sys_days(ymd)) + std::chrono::hours(h) + std::chrono::minutes(m) +
         std::chrono::seconds(s);
}

std::optional<Duration> ParseRetryAfter(std::string_view text, TimePoint now) {
  if (auto seconds = ParseSeconds(text)) return seconds;
  if (auto date = ParseHttpDate(Trim(text))) return std::max(Duration(0), *date - now);
  return std::nullopt;
}

RetryingHttpClient::RetryingHttpClient(HttpClient& inner, const Clock& clock, RetryOptions options)
    : inner_(inner),
      clock_(clock),
      options_(std::move(options)),
      rng_(options_.seed ? *options_.seed : std::random_device{}()) {
  if (options_.policy.max_attempts < 1) options_.policy.max_attempts = 1;
}

void RetryingHttpClient::Stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  stop_cv_.notify_all();
}

bool RetryingHttpClient::Retryable(const HttpRequest& request,
                                   const Result<HttpResponse>& outcome) const {
  // A timed-out or 503'd POST may still have taken effect: repeating it is the caller's call.
  if (!request.SafeToRetry()) return false;
  if (!outcome) return outcome.error().Retryable();
  const bool throttled =
      outcome->status == 429 || (options_.is_throttled && options_.is_throttled(*outcome));
  if (throttled) return options_.policy.retry_throttled;
  return IsRetryableStatus(outcome->status);
}

Duration RetryingHttpClient::NextWait(const Result<HttpResponse>& outcome, int attempt) {
  const RetryPolicy& policy = options_.policy;
  if (outcome) {
    std::optional<Duration> asked;
    if (auto retry_after = outcome->headers.Find("Retry-After")) {
      asked = ParseRetryAfter(*retry_after, clock_.Now());
    }
    // SCAYLE sends X-RateLimit-Reset on every response; it only means "wait" when throttled.
    const bool throttled =
        outcome->status == 429 || (options_.is_throttled && options_.is_throttled(*outcome));
    if (!asked && throttled) {
      if (auto reset = outcome->headers.Find("X-RateLimit-Reset")) asked = ParseSeconds(*reset);
    }
    if (asked && *asked > Duration(0)) return std::min(*asked, policy.max_server_wait);
  }
  // Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): spreads the retries
  // of many callers that failed together instead of having them return in lock-step.
  Duration ceiling = policy.base_delay;
  for (int i = 1; i < attempt && ceiling < policy.max_delay; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, policy.max_delay);
  std::lock_guard lock(mu_);
  std::uniform_int_distribution<int64_t> jitter(0, std::max<int64_t>(ceiling.count(), 0));
  return Duration(jitter(rng_));
}

bool RetryingHttpClient::Sleep(Duration d) {
  if (sleeper_) return sleeper_(d);
  std::unique_lock lock(mu_);
  return !stop_cv_.wait_for(lock, clock_.RealDuration(d), [this] { return stopped_; });
}

Result<HttpResponse> RetryingHttpClient::Send(const HttpRequest& request) {
  const RetryPolicy& policy = options_.policy;
  const TimePoint start = clock_.Now();
  for (int attempt = 1;; ++attempt) {
    Result<HttpResponse> outcome = inner_.Send(request);

    AttemptReport report;
    report.operation = request.operation;
    report.attempt = attempt;
    if (outcome) {
      report.status = outcome->status;
    } else {
      report.error = outcome.error().code;
    }
    bool stopped;
    {
      std::lock_guard lock(mu_);
      stopped = stopped_;
    }
    if (!stopped && attempt < policy.max_attempts && Retryable(request, outcome)) {
      const Duration wait = NextWait(outcome, attempt);
      if (clock_.Now() - start + wait <= policy.max_total) {
        report.retrying = true;
        report.wait = wait;
      }
    }
    if (options_.observer) options_.observer(report);

    if (!report.retrying) {
      if (attempt > 1) {
        HttpLogger()->debug("http: {}: {} after {} attempts", DescribeForLog(request),
                            Outcome(outcome), attempt);
      }
      return outcome;
    }
    HttpLogger()->debug("http: {}: attempt {} got {}, retrying in {} ms", DescribeForLog(request),
                        attempt, Outcome(outcome), report.wait.count());
    if (!Sleep(report.wait)) return outcome;
  }
}

}  // namespace mb::http
