#include "core/settlement/charset.hpp"

#include <cstdint>
#include <cstring>

namespace mb::settlement {

std::string_view CharsetName(Charset charset) {
  switch (charset) {
    case Charset::kUtf8:
      return "UTF-8";
    case Charset::kWindows1252:
      return "Windows-1252";
    case Charset::kIso88591:
      return "ISO-8859-1";
  }
  return "?";
}

std::string_view LineEndingName(LineEnding ending) {
  switch (ending) {
    case LineEnding::kLf:
      return "LF";
    case LineEnding::kCrLf:
      return "CRLF";
    case LineEnding::kCr:
      return "CR";
    case LineEnding::kMixed:
      return "mixed";
    case LineEnding::kNone:
      return "none";
  }
  return "?";
}

bool IsValidUtf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* end = p + bytes.size();
  while (p < end) {
    // ASCII fast path, 32 bytes at a time: settlement files are almost entirely ASCII.
    if (end - p >= 32) {
      uint64_t chunk[4];
      std::memcpy(chunk, p, 32);
      if (((chunk[0] | chunk[1] | chunk[2] | chunk[3]) & 0x8080808080808080ULL) == 0) {
        p += 32;
        continue;
      }
    }
    if (end - p >= 8) {
      uint64_t chunk;
      std::memcpy(&chunk, p, 8);
      if ((chunk & 0x8080808080808080ULL) == 0) {
        p += 8;
        continue;
      }
    }
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p < len) return false;
    for (int i = 1; i < len; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    p += len;
  }
  return true;
}

namespace {

// Windows-1252 0x80-0x9F. The five bytes Windows-1252 leaves undefined map to the C1 control of
// the same value, as ISO-8859-1 (and Python's and WHATWG's decoders) do, so no byte is lost.
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

LineEnding DetectLineEnding(std::string_view text) {
  bool lf = false, crlf = false, cr = false;
  for (size_t pos = text.find_first_of("\r\n"); pos != std::string_view::npos;
       pos = text.find_first_of("\r\n", pos + 1)) {
    if (text[pos] == '\n') {
      lf = true;
    } else if (pos + 1 < text.size() && text[pos + 1] == '\n') {
      crlf = true;
      ++pos;
    } else {
      cr = true;
    }
    // Settling on one answer needs only the first few line ends, not a scan of the whole file.
    if (int(lf) + int(crlf) + int(cr) > 1) return LineEnding::kMixed;
    if (pos > 65536) break;
  }
  if (crlf) return LineEnding::kCrLf;
  if (lf) return LineEnding::kLf;
  if (cr) return LineEnding::kCr;
  return LineEnding::kNone;
}

}  // namespace

Result<DecodedView> DecodeReportView(std::string_view bytes, std::string& storage) {
  DecodedView out;
  if (bytes.starts_with("\x1F\x8B")) {
    // Report documents flagged compressionAlgorithm GZIP are gunzipped by whoever downloads them.
    return Fail(ErrorCode::kParseError,
                "settlement report is gzip-compressed; decompress it first (gunzip)");
  }
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    return Fail(ErrorCode::kParseError,
                "settlement report is UTF-16 (byte order mark FF FE / FE FF); expected UTF-8 or "
                "Windows-1252 text");
  }
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    out.had_bom = true;
    bytes.remove_prefix(3);
  }
  if (IsValidUtf8(bytes)) {
    out.charset = Charset::kUtf8;
    out.text = bytes;
  } else {
    if (out.had_bom) {
      return Fail(ErrorCode::kParseError,
                  "settlement report starts with a UTF-8 byte order mark but is not valid UTF-8");
    }
    out.charset = Charset::kIso88591;
    storage.clear();
    storage.reserve(bytes.size() + bytes.size() / 16);
    for (unsigned char c : bytes) {
      if (c < 0x80) {
        storage += char(c);
      } else if (c < 0xA0) {
        out.charset = Charset::kWindows1252;
        AppendUtf8(storage, kCp1252High[c - 0x80]);
      } else {
        AppendUtf8(storage, c);
      }
    }
    out.converted = true;
    out.text = storage;
  }
  out.line_ending = DetectLineEnding(out.text);
  if (out.line_ending == LineEnding::kCr) {
    if (!out.converted) storage.assign(out.text);
    for (char& c : storage) {
      if (c == '\r') c = '\n';
    }
    out.converted = true;
    out.text = storage;
  }
  return out;
}

Result<DecodedText> DecodeReportBytes(std::string bytes) {
  std::string storage;
  auto view = DecodeReportView(bytes, storage);
  if (!view) return tl::unexpected(view.error());
  DecodedText out;
  out.charset = view->charset;
  out.had_bom = view->had_bom;
  out.line_ending = view->line_ending;
  if (view->converted) {
    out.text = std::move(storage);
  } else {
    if (view->had_bom) bytes.erase(0, 3);
    out.text = std::move(bytes);
  }
  return out;
}

}  // namespace mb::settlement
