#pragma once
// Test-only: gzip-compresses text the way Amazon serves GZIP documents.

#include <zlib.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace mb::amazon::testing {

inline std::string Gzip(std::string_view text) {
  z_stream stream{};
  // 15 window bits + 16: write a gzip header, not zlib's.
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("deflateInit2");
  }
  std::string out(deflateBound(&stream, text.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

}  // namespace mb::amazon::testing
