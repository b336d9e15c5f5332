#pragma once
// Feed and report documents live behind presigned URLs: a plain PUT or GET with no token and no
// SP-API quota. Report and feed-result documents may be gzip-compressed.

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "ports/http_client.hpp"

namespace mb::amazon {

// Decompresses a gzip (or zlib) stream; a corrupt or truncated one is kMalformedResponse.
Result<std::string> Gunzip(std::string_view compressed, size_t max_bytes = size_t{1} << 30);

Status UploadDocument(HttpClient& http, const std::string& url, std::string_view content_type,
                      std::string_view content);
// `compression` is the document's compressionAlgorithm ("" or "GZIP").
Result<std::string> DownloadDocument(HttpClient& http, const std::string& url,
                                     std::string_view compression, std::string_view what);

}  // namespace mb::amazon
