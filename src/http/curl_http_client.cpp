#include "http/curl_http_client.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>

#include <curl/curl.h>

#include "http/http_log.hpp"
#include "http/redact.hpp"

namespace mb::http {
namespace {

void GlobalInitOnce() {
  static std::once_flag once;
  // Never paired with curl_global_cleanup: other threads may still hold handles at exit.
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("http: curl_global_init failed");
    }
  });
}

ErrorCode MapCurlCode(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return ErrorCode::kTimeout;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return ErrorCode::kConnectionFailed;
    // A certificate that does not verify will not verify on the next attempt either: the
    // endpoint or the CA bundle is misconfigured.
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return ErrorCode::kConfigError;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return ErrorCode::kInvalidInput;
    case CURLE_WRITE_ERROR:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_WEIRD_SERVER_REPLY:
      return ErrorCode::kMalformedResponse;
    default:
      return ErrorCode::kUnavailable;
  }
}

// CURLOPT_XFERINFOFUNCTION: a non-zero return aborts the transfer (CURLE_ABORTED_BY_CALLBACK).
int AbortWhenStopping(void* stopping, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(stopping)->load() ? 1 : 0;
}

struct Exchange {
  HttpResponse response;
  size_t max_body = 0;
  bool body_too_large = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const size_t bytes = size * count;
  if (exchange->response.body.size() + bytes > exchange->max_body) {
    exchange->body_too_large = true;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  exchange->response.body.append(data, bytes);
  return bytes;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const size_t bytes = size * count;
  std::string_view line(data, bytes);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  // Each status line starts a new header block (100 Continue, proxy CONNECT): keep the last.
  if (line.starts_with("HTTP/")) {
    exchange->response.headers = HttpHeaders();
    return bytes;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  exchange->response.headers.Add(std::string(line.substr(0, colon)), std::string(value));
  return bytes;
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

bool HasLineBreak(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

}  // namespace

CurlHttpClient::CurlHttpClient(CurlOptions options) : options_(std::move(options)) {
  GlobalInitOnce();
}

CurlHttpClient::~CurlHttpClient() {
  for (void* handle : idle_) curl_easy_cleanup(static_cast<CURL*>(handle));
}

void* CurlHttpClient::Acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      void* handle = idle_.back();
      idle_.pop_back();
      return handle;
    }
  }
  return curl_easy_init();
}

void CurlHttpClient::Release(void* handle) {
  {
    std::lock_guard lock(mu_);
    if (idle_.size() < options_.max_idle_handles) {
      idle_.push_back(handle);
      return;
    }
  }
  curl_easy_cleanup(static_cast<CURL*>(handle));
}

Result<HttpResponse> CurlHttpClient::Send(const HttpRequest& request) {
  Slist headers;
  auto append = [&headers](const std::string& line) {
    curl_slist* head = curl_slist_append(headers.get(), line.c_str());
    if (head == nullptr) return false;  // the old list is untouched
    (void)headers.release();
    headers.reset(head);
    return true;
  };
  for (const auto& [name, value] : request.headers.fields()) {
    // CR/LF would let a value smuggle extra header lines into the request.
    if (name.empty() || HasLineBreak(name) || HasLineBreak(value)) {
      return Fail(ErrorCode::kInvalidInput, "http: " + DescribeForLog(request) +
                                                ": header name or value contains a line break");
    }
    // `Name;` is curl's spelling of a header with an empty value (`Name:` would remove it).
    if (!append(value.empty() ? name + ";" : name + ": " + value)) {
      return Fail(ErrorCode::kInternal, "http: out of memory building headers");
    }
  }
  // curl would otherwise wait up to a second for `100 Continue` before sending large bodies.
  if (!request.headers.Has("Expect") && !append("Expect:")) {
    return Fail(ErrorCode::kInternal, "http: out of memory building headers");
  }

  if (request.long_poll && stopping_) {
    return Fail(ErrorCode::kUnavailable,
                "http: " + DescribeForLog(request) + ": long poll not started: stopping");
  }
  CURL* curl = static_cast<CURL*>(Acquire());
  if (curl == nullptr) return Fail(ErrorCode::kInternal, "http: curl_easy_init failed");
  // Reset options but keep the handle's live connections, DNS and TLS session caches.
  curl_easy_reset(curl);

  Exchange exchange;
  exchange.max_body = options_.max_response_bytes;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  const long total_ms = static_cast<long>(std::max<int64_t>(request.timeout.count(), 1));
  const long connect_ms =
      std::min(total_ms, static_cast<long>(std::max<int64_t>(options_.connect_timeout.count(), 1)));

  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  // Timeouts without SIGALRM: signals are unsafe in a multi-threaded process.
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, total_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
  // A redirect is a response for the caller to judge; following it could replay a POST or send
  // credentials to another host.
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
  // gzip only: Amazon and SCAYLE serve it, and offering brotli invites servers that compress at
  // brotli's default (highest) quality to spend far more CPU than the bytes are worth (79 % of the
  // sandbox's CPU in a 20,000-SKU demo went to it).
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "gzip");
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &exchange);
  if (request.long_poll) {
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &AbortWhenStopping);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &stopping_);
  }

  switch (request.method) {
    case HttpMethod::kGet:
      curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
      break;
    case HttpMethod::kHead:
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
      break;
    case HttpMethod::kDelete:
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "DELETE");
      break;
    case HttpMethod::kPost:
    case HttpMethod::kPut:
    case HttpMethod::kPatch:
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, MethodName(request.method).data());
      break;
  }
  if (!request.body.empty() || request.method == HttpMethod::kPost ||
      request.method == HttpMethod::kPut || request.method == HttpMethod::kPatch) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  }

  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  Release(curl);

  if (code != CURLE_OK) {
    std::string message = "http: " + DescribeForLog(request) + ": ";
    if (code == CURLE_OPERATION_TIMEDOUT) {
      message += "timed out after " + std::to_string(total_ms) + " ms";
    } else if (code == CURLE_ABORTED_BY_CALLBACK) {
      message += "long poll abandoned: stopping";
    } else if (exchange.body_too_large) {
      message +=
          "response body larger than " + std::to_string(options_.max_response_bytes) + " bytes";
    } else {
      message += curl_easy_strerror(code);
    }
    if (error_buffer[0] != '\0') message += " (" + RedactUrl(error_buffer) + ")";
    const ErrorCode error =
        exchange.body_too_large ? ErrorCode::kMalformedResponse : MapCurlCode(code);
    HttpLogger()->debug("{}", message);
    return Fail(error, std::move(message));
  }
  exchange.response.status = static_cast<int>(status);
  return std::move(exchange.response);
}

void CurlHttpClient::Stop() { stopping_ = true; }

}  // namespace mb::http
