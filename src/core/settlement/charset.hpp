#pragma once
// Bytes of a downloaded settlement report → UTF-8 text. Amazon sends no charset with report
// documents (SP-API issue #3025), and files saved from Seller Central by hand have been seen in
// Windows-1252, so the encoding is detected here once, before any parsing.

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace mb::settlement {

enum class Charset {
  kUtf8,
  // Not valid UTF-8 and bytes 0x80-0x9F present: those are Windows-1252 printable characters
  // (€, ‚, „, …, Š, Ž, ’ …); ISO-8859-1 would make them control characters nobody writes.
  kWindows1252,
  // Not valid UTF-8, no byte in 0x80-0x9F: ISO-8859-1 and Windows-1252 decode identically.
  kIso88591,
};

enum class LineEnding { kLf, kCrLf, kCr, kMixed, kNone };

std::string_view CharsetName(Charset charset);
std::string_view LineEndingName(LineEnding ending);

struct DecodedText {
  std::string text;  // UTF-8, no BOM; line endings as in the input (the parser accepts LF and CRLF)
  Charset charset = Charset::kUtf8;
  bool had_bom = false;
  LineEnding line_ending = LineEnding::kNone;
};

// Takes the bytes by value so valid UTF-8 (the usual case, up to hundreds of MB) is moved, not
// copied. Lone CR line endings (classic Mac) are rewritten to LF; CRLF is left for the parser.
// A UTF-16 BOM is an error: Amazon never writes UTF-16 and guessing would garble every row.
Result<DecodedText> DecodeReportBytes(std::string bytes);

// Decodes without copying when it can: for UTF-8 (with or without BOM) with LF or CRLF line ends
// the result views into `bytes`; otherwise the converted text is written to `storage` and
// `converted` is set.
struct DecodedView {
  std::string_view text;
  Charset charset = Charset::kUtf8;
  bool had_bom = false;
  LineEnding line_ending = LineEnding::kNone;
  bool converted = false;
};
Result<DecodedView> DecodeReportView(std::string_view bytes, std::string& storage);

// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view bytes);

}  // namespace mb::settlement
