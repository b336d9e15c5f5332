#pragma once
// Feed and report documents live behind presigned URLs: a plain PUT or GET with no token and no
// SP-API quota. Report and feed-result documents may be gzip-compressed.

#include <string>
#include <string_view>

#include "amazon/sp_api_client.hpp"
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

// getFeedDocument and getReportDocument answer the same shape (a presigned url and its
// compression): one call, then the download. `base` is the API's path prefix, e.g.
// "/feeds/2021-06-30"; `what` names the document in errors ("feed document 123").
Result<std::string> GetDocument(SpApiClient& client, std::string_view base,
                                std::string_view operation, const std::string& document_id,
                                CallPriority priority, std::string_view what);

}  // namespace mb::amazon
