#pragma once
// Secrets never reach a log line: every URL, header and body the HTTP layer logs or puts into an
// error message goes through these first. Masking is by name (headers, form and JSON fields,
// query parameters) plus credentials embedded in any URL (`https://user:pass@host`).

#include <cstddef>
#include <string>
#include <string_view>

#include "ports/http_client.hpp"

namespace mb::http {

inline constexpr std::string_view kMask = "***";

// Header whose value is a credential (Authorization, x-amz-access-token, cookies, ...).
bool IsSecretHeader(std::string_view name);
// Form, JSON or query field whose value is a credential (refresh_token, client_secret, ...).
bool IsSecretField(std::string_view name);

// Masks `user:pass@` in every URL inside `text` and the values of secret query parameters.
std::string RedactUrl(std::string_view url);
std::string RedactHeaderValue(std::string_view name, std::string_view value);
// `Name: value, Name: ***` on one line.
std::string RedactHeaders(const HttpHeaders& headers);
// Masks secret fields of a JSON or form-encoded body and URL credentials anywhere in it, then
// cuts it to `max_chars` (a log line is not a document dump). JSON is recognised by the content
// type or a leading `{`/`[`; anything else is treated as form-encoded text.
std::string RedactBody(std::string_view body, std::string_view content_type = {},
                       size_t max_chars = 2048);

// Short form for error messages: `POST https://host/path (operation)`.
std::string DescribeForLog(const HttpRequest& request);
// One log line: `POST https://host/path [operation] headers: ... body: ...`.
std::string RedactForLog(const HttpRequest& request, size_t max_body_chars = 2048);
// `503 headers: ... body: ...`.
std::string RedactForLog(const HttpResponse& response, size_t max_body_chars = 2048);

}  // namespace mb::http
