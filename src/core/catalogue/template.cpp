#include "core/catalogue/template.hpp"

namespace mb::catalogue {

namespace {

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(' ');
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(' ');
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

Result<std::vector<TemplatePart>> ParseTemplate(std::string_view text) {
  std::vector<TemplatePart> parts;
  std::string literal;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '}') {
      return Fail(ErrorCode::kParseError,
                  "unexpected '}' at column " + std::to_string(i + 1) + " of template");
    }
    if (c != '{') {
      literal.push_back(c);
      continue;
    }
    size_t close = text.find('}', i);
    if (close == std::string_view::npos) {
      return Fail(ErrorCode::kParseError,
                  "unclosed '{' at column " + std::to_string(i + 1) + " of template");
    }
    std::string_view inner = text.substr(i + 1, close - i - 1);
    TemplatePart part;
    size_t bar = inner.find('|');
    part.source = Trim(inner.substr(0, bar));
    if (bar != std::string_view::npos) part.value_map = Trim(inner.substr(bar + 1));
    if (part.source.empty() || (bar != std::string_view::npos && part.value_map.empty())) {
      return Fail(ErrorCode::kParseError,
                  "empty placeholder at column " + std::to_string(i + 1) + " of template");
    }
    if (!literal.empty()) parts.push_back(TemplatePart{std::move(literal), "", ""});
    literal.clear();
    parts.push_back(std::move(part));
    i = close;
  }
  if (!literal.empty()) parts.push_back(TemplatePart{std::move(literal), "", ""});
  return parts;
}

Result<std::string> RenderTemplate(const std::vector<TemplatePart>& parts,
                                   const PlaceholderResolver& resolve) {
  std::string out;
  std::string missing;
  for (const auto& part : parts) {
    if (!part.is_placeholder()) {
      out += part.literal;
      continue;
    }
    auto value = resolve(part);
    if (!value) {
      missing += (missing.empty() ? "" : ", ") + part.source;
      continue;
    }
    out += *value;
  }
  if (!missing.empty()) return Fail(ErrorCode::kUnmapped, "no value for " + missing);
  std::string collapsed;
  for (char c : out) {
    if (c == ' ' && (collapsed.empty() || collapsed.back() == ' ')) continue;
    collapsed.push_back(c);
  }
  while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  return collapsed;
}

}  // namespace mb::catalogue
