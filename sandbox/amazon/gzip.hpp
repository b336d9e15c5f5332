#pragma once
// gzip for report and feed result documents (compressionAlgorithm GZIP).

#include <optional>
#include <string>
#include <string_view>

namespace sandbox::amazon {

std::string GzipCompress(std::string_view data);
std::optional<std::string> GzipDecompress(std::string_view data);

}  // namespace sandbox::amazon
