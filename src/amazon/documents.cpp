#include "amazon/documents.hpp"

#include <zlib.h>

#include "amazon/amazon_json.hpp"
#include "http/redact.hpp"

namespace mb::amazon {

Result<std::string> Gunzip(std::string_view compressed, size_t max_bytes) {
  z_stream stream{};
  // 15 window bits + 32: detect gzip or zlib headers.
  if (inflateInit2(&stream, 15 + 32) != Z_OK) {
    return Fail(ErrorCode::kInternal, "zlib: cannot initialise inflate");
  }
  std::string out;
  char buffer[64 * 1024];
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof(buffer);
    rc = inflate(&stream, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&stream);
      return Fail(ErrorCode::kMalformedResponse, std::string("document is not valid gzip: ") +
                                                     (stream.msg ? stream.msg : "truncated"));
    }
    out.append(buffer, sizeof(buffer) - stream.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&stream);
      return Fail(ErrorCode::kMalformedResponse, "document inflates beyond the size limit");
    }
    if (rc == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) {
      inflateEnd(&stream);
      return Fail(ErrorCode::kMalformedResponse, "document is not valid gzip: truncated");
    }
  }
  inflateEnd(&stream);
  return out;
}

Status UploadDocument(HttpClient& http, const std::string& url, std::string_view content_type,
                      std::string_view content) {
  HttpRequest request(HttpMethod::kPut, url, "amazon.uploadFeedDocument");
  request.headers.Set("Content-Type", std::string(content_type));
  request.body = std::string(content);
  request.timeout = std::chrono::seconds(120);
  auto response = http.Send(request);
  if (!response) {
    return Fail(response.error().code,
                "amazon: feed document upload failed: " + response.error().message);
  }
  if (!response->ok()) {
    return Fail(response->status >= 500 ? ErrorCode::kUnavailable : ErrorCode::kRejected,
                "amazon: feed document upload to " + http::RedactUrl(url) + " returned " +
                    std::to_string(response->status) +
                    (response->status == 403 ? " (the presigned URL lives 5 minutes)" : ""));
  }
  return {};
}

Result<std::string> DownloadDocument(HttpClient& http, const std::string& url,
                                     std::string_view compression, std::string_view what) {
  HttpRequest request(HttpMethod::kGet, url, "amazon.downloadDocument");
  request.timeout = std::chrono::seconds(300);
  auto response = http.Send(request);
  if (!response) {
    return Fail(response.error().code, "amazon: download of " + std::string(what) +
                                           " failed: " + response.error().message);
  }
  if (!response->ok()) {
    return Fail(response->status >= 500 ? ErrorCode::kUnavailable : ErrorCode::kRejected,
                "amazon: download of " + std::string(what) + " returned " +
                    std::to_string(response->status));
  }
  if (compression.empty()) return std::move(response->body);
  if (compression != "GZIP") {
    return Fail(
        ErrorCode::kMalformedResponse,
        "amazon: " + std::string(what) + " uses unknown compression " + std::string(compression));
  }
  auto text = Gunzip(response->body);
  if (!text) {
    return Fail(text.error().code, "amazon: " + std::string(what) + ": " + text.error().message);
  }
  return text;
}

Result<std::string> GetDocument(SpApiClient& client, std::string_view base,
                                std::string_view operation, const std::string& document_id,
                                CallPriority priority, std::string_view what) {
  SpApiRequest call;
  call.method = HttpMethod::kGet;
  call.path = std::string(base) + "/documents/" + PathSegment(document_id);
  call.operation = std::string(operation);
  call.priority = priority;
  auto body = client.CallJson(call);
  if (!body) return tl::unexpected(body.error());
  auto url = JsonString(*body, "url");
  auto compression = JsonString(*body, "compressionAlgorithm");
  if (!url || !compression || url->empty()) {
    return Fail(ErrorCode::kMalformedResponse,
                "amazon: " + std::string(operation) + " answer lacks a url");
  }
  return DownloadDocument(client.http(), *url, *compression, what);
}

}  // namespace mb::amazon
