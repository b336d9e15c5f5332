#pragma once
// Reads the catalogue mapping file (TOML, docs/catalogue-mapping.md) into catalogue::Mapping.
// Every mistake is reported with file:line so the ecommerce team can fix the file themselves; all
// mistakes are reported at once, not just the first.

#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue/mapping.hpp"
#include "core/error.hpp"

namespace mb::catalogue {

// The built-in sources a rule may read with `from = "@..."` or `{@...}` in a template.
bool IsBuiltInSource(std::string_view source);

// `source_name` is used in messages ("catalogue-mapping.toml:12: ...").
Result<Mapping> ParseMapping(std::string_view text, std::string_view source_name);
Result<Mapping> LoadMappingFile(const std::string& path);

}  // namespace mb::catalogue
