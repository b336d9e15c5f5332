#pragma once
// Templates of the mapping file: "{brand} {@name} {color|color}" = the SCAYLE attribute `brand`,
// the product name, and `color` translated through the value map `color`.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace mb::catalogue {

struct TemplatePart {
  std::string literal;    // set for text between placeholders
  std::string source;     // set for a placeholder: SCAYLE attribute or built-in (@name)
  std::string value_map;  // optional: after '|'
  bool is_placeholder() const { return !source.empty(); }
};

// Parses a template; errors name the column of the problem ("unclosed '{' at column 7").
Result<std::vector<TemplatePart>> ParseTemplate(std::string_view text);

// Renders with `resolve` answering each placeholder (nullopt = missing). Fails with kUnmapped
// naming every placeholder that had no value. Runs of spaces left by empty values are collapsed.
using PlaceholderResolver = std::function<std::optional<std::string>(const TemplatePart&)>;
Result<std::string> RenderTemplate(const std::vector<TemplatePart>& parts,
                                   const PlaceholderResolver& resolve);

}  // namespace mb::catalogue
