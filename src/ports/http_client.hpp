#pragma once
// The HTTP port every adapter (SP-API, LWA, SQS, SCAYLE) talks through. Transport failures
// (timeout, refused, dropped) are errors; any HTTP status, 4xx and 5xx included, is a response:
// what a status means is the caller's business, only the retry decorator interprets a few.

#include <algorithm>
#include <chrono>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace mb {

enum class HttpMethod { kGet, kHead, kPost, kPut, kPatch, kDelete };

inline std::string_view MethodName(HttpMethod method) {
  switch (method) {
    case HttpMethod::kGet:
      return "GET";
    case HttpMethod::kHead:
      return "HEAD";
    case HttpMethod::kPost:
      return "POST";
    case HttpMethod::kPut:
      return "PUT";
    case HttpMethod::kPatch:
      return "PATCH";
    case HttpMethod::kDelete:
      return "DELETE";
  }
  return "GET";
}

// RFC 9110 §9.2.2: repeating these has the same effect as sending them once.
inline bool IsIdempotent(HttpMethod method) {
  return method != HttpMethod::kPost && method != HttpMethod::kPatch;
}

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    return lower(x) == lower(y);
  });
}

// An ordered list of header fields; names compare case-insensitively (RFC 9110 §5.1). Repeated
// names are kept, as HTTP allows (Set-Cookie).
class HttpHeaders {
 public:
  using Field = std::pair<std::string, std::string>;

  HttpHeaders() = default;
  HttpHeaders(std::initializer_list<Field> fields) : fields_(fields) {}

  void Add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  // Replaces every field of that name by one.
  void Set(std::string name, std::string value) {
    Remove(name);
    Add(std::move(name), std::move(value));
  }
  void Remove(std::string_view name) {
    std::erase_if(fields_, [&](const Field& f) { return EqualsIgnoreCase(f.first, name); });
  }
  // The first field of that name. The view lives as long as this object is not modified.
  std::optional<std::string_view> Find(std::string_view name) const {
    for (const auto& [n, v] : fields_) {
      if (EqualsIgnoreCase(n, name)) return std::string_view(v);
    }
    return std::nullopt;
  }
  bool Has(std::string_view name) const { return Find(name).has_value(); }

  const std::vector<Field>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }
  size_t size() const { return fields_.size(); }

 private:
  std::vector<Field> fields_;
};

struct HttpRequest {
  HttpRequest() = default;
  HttpRequest(HttpMethod method_in, std::string url_in, std::string operation_in = {})
      : method(method_in), url(std::move(url_in)), operation(std::move(operation_in)) {}

  HttpMethod method = HttpMethod::kGet;
  std::string url;
  HttpHeaders headers;
  std::string body;
  // Total time for one attempt (connect, send, wait, receive). Retries get a fresh budget each.
  std::chrono::milliseconds timeout{30000};
  // Stable label for metrics and logs, e.g. `amazon.patchListingsItem`; never contains ids.
  std::string operation;
  // Unset: decided by the method (GET/HEAD/PUT/DELETE yes, POST/PATCH no). Set true for a
  // POST/PATCH that carries its own idempotency key, false to forbid retries of anything.
  std::optional<bool> retry_safe;
  // A long poll (SQS ReceiveMessage, held up to 20 s): a client being stopped abandons it rather
  // than wait it out. Only for requests whose loss nothing depends on (a message received but not
  // deleted comes back after its visibility timeout).
  bool long_poll = false;

  bool SafeToRetry() const { return retry_safe.value_or(IsIdempotent(method)); }
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;

  bool ok() const { return status >= 200 && status < 300; }
};

// Implementations are safe to call from several threads at once.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

}  // namespace mb
