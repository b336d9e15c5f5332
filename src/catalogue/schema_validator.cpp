#include "catalogue/schema_validator.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/constraint_builder.hpp>
#include <valijson/constraints/concrete_constraints.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace mb::catalogue {

using nlohmann::json;

std::vector<std::string> AmazonVocabularyKeywords() {
  return {"$lifecycle",        "editable",       "enumNames",         "hidden",   "maxUniqueItems",
          "maxUtf8ByteLength", "minUniqueItems", "minUtf8ByteLength", "selectors"};
}

namespace {

constexpr std::string_view kTooManyBytes = "UTF-8 bytes: at most ";
constexpr std::string_view kTooFewBytes = "UTF-8 bytes: at least ";

// maxUtf8ByteLength / minUtf8ByteLength as a valijson keyword: applies wherever valijson applies
// the subschema (properties, items, allOf/anyOf/then branches).
class Utf8ByteLength final : public valijson::constraints::PolyConstraint {
 public:
  Utf8ByteLength(int64_t limit, bool is_max) : limit_(limit), is_max_(is_max) {}

  bool validate(const valijson::adapters::Adapter& target, const std::vector<std::string>& context,
                valijson::ValidationResults* results) const override {
    if (!target.isString()) return true;
    auto bytes = static_cast<int64_t>(target.getString().size());
    bool ok = is_max_ ? bytes <= limit_ : bytes >= limit_;
    if (!ok && results != nullptr) {
      results->pushError(context, std::string(is_max_ ? kTooManyBytes : kTooFewBytes) +
                                      std::to_string(limit_) + ", has " + std::to_string(bytes));
    }
    return ok;
  }

 private:
  Constraint* cloneInto(void* ptr) const override { return new (ptr) Utf8ByteLength(*this); }
  size_t sizeOf() const override { return sizeof(Utf8ByteLength); }

  int64_t limit_;
  bool is_max_;
};

class Utf8ByteLengthBuilder final : public valijson::ConstraintBuilder {
 public:
  explicit Utf8ByteLengthBuilder(bool is_max) : is_max_(is_max) {}
  valijson::constraints::Constraint* make(const valijson::adapters::Adapter& value) const override {
    int64_t limit = 0;
    if (!value.getInteger(limit)) {
      throw std::runtime_error(std::string(is_max_ ? "max" : "min") +
                               "Utf8ByteLength must be an integer");
    }
    return new Utf8ByteLength(limit, is_max_);
  }

 private:
  bool is_max_;
};

// "[item_name]", "[0]", "[value]" -> item_name / value: the attribute and the member path.
struct Location {
  std::string attribute;
  std::string member;
};

Location LocationOf(const std::vector<std::string>& context) {
  Location loc;
  std::vector<std::string> parts;
  for (const auto& c : context) {
    if (c == "<root>") continue;
    std::string p = c;
    if (p.size() >= 2 && p.front() == '[' && p.back() == ']') p = p.substr(1, p.size() - 2);
    if (!p.empty() && p.front() == '"') p = p.substr(1, p.size() - 2);
    parts.push_back(p);
  }
  if (!parts.empty()) loc.attribute = parts[0];
  for (size_t i = 1; i < parts.size(); ++i) {
    if (std::all_of(parts[i].begin(), parts[i].end(), ::isdigit)) continue;
    loc.member += (loc.member.empty() ? "" : ".") + parts[i];
  }
  return loc;
}

// Wrapper errors valijson adds above the real cause: dropped, the cause is reported.
bool IsWrapper(const std::string& d) {
  return d.starts_with("Failed to validate item #") ||
         d.starts_with("Failed to validate against schema associated with property") ||
         d.starts_with("Failed to validate against a conditional schema") ||
         d.starts_with("Failed to validate against child schema") ||
         d.starts_with("Failed to validate against additional properties schema");
}

const json* Resolve(const json& root, const json* node) {
  for (int depth = 0; node != nullptr && node->is_object() && node->contains("$ref") && depth < 8;
       ++depth) {
    std::string ref = (*node)["$ref"].get<std::string>();
    if (!ref.starts_with("#")) return node;
    node = &root.at(json::json_pointer(ref.substr(1)));
  }
  return node;
}

std::string ValueText(const json& v) {
  std::string text = v.is_string() ? v.get<std::string>() : v.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return "'" + text + "'";
}

// The instance value at `context` (for messages that quote the offending value).
const json* ValueAt(const json& attributes, const std::vector<std::string>& context) {
  const json* node = &attributes;
  for (const auto& c : context) {
    if (c == "<root>") continue;
    std::string p = c.substr(1, c.size() - 2);
    if (!p.empty() && p.front() == '"') p = p.substr(1, p.size() - 2);
    if (node->is_array() && std::all_of(p.begin(), p.end(), ::isdigit) && !p.empty()) {
      size_t i = std::stoul(p);
      if (i >= node->size()) return nullptr;
      node = &(*node)[i];
    } else if (node->is_object() && node->contains(p)) {
      node = &(*node)[p];
    } else {
      return nullptr;
    }
  }
  return node;
}

}  // namespace

struct ProductTypeSchema::Compiled {
  valijson::Schema schema;
};

ProductTypeSchema::ProductTypeSchema(std::string name, json document)
    : name_(std::move(name)), document_(std::move(document)) {}

ProductTypeSchema::~ProductTypeSchema() = default;

Result<std::shared_ptr<const ProductTypeSchema>> ProductTypeSchema::Parse(std::string_view text,
                                                                          std::string name) {
  json document = json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    return Fail(ErrorCode::kParseError, "product type schema " + name + " is not JSON");
  }
  if (document.value("$schema", "") != kAmazonMetaSchemaId) {
    return Fail(ErrorCode::kInvalidInput,
                "product type schema " + name + " does not name Amazon's meta-schema in $schema");
  }
  std::shared_ptr<ProductTypeSchema> schema(new ProductTypeSchema(name, std::move(document)));
  schema->compiled_ = std::make_unique<Compiled>();
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    parser.addConstraintBuilder("maxUtf8ByteLength", new Utf8ByteLengthBuilder(true));
    parser.addConstraintBuilder("minUtf8ByteLength", new Utf8ByteLengthBuilder(false));
    valijson::adapters::NlohmannJsonAdapter adapter(schema->document_);
    parser.populateSchema(adapter, schema->compiled_->schema);
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInvalidInput,
                "product type schema " + name + " cannot be used: " + e.what());
  }
  const json& props = schema->document_.value("properties", json::object());
  if (props.contains("variation_theme")) {
    const json& n = props["variation_theme"]["items"]["properties"]["name"];
    std::set<std::string> deprecated;
    if (n.contains("$lifecycle")) {
      for (const auto& d : n["$lifecycle"].value("enumDeprecated", json::array())) {
        deprecated.insert(d.get<std::string>());
      }
    }
    for (const auto& v : n.value("enum", json::array())) {
      if (!deprecated.count(v.get<std::string>())) {
        schema->facts_.live_variation_themes.push_back(v.get<std::string>());
      }
    }
  }
  return std::shared_ptr<const ProductTypeSchema>(std::move(schema));
}

namespace {

class ProblemList {
 public:
  ProblemList(const Sku& sku, const MarketplaceId& marketplace)
      : sku_(sku), marketplace_(marketplace) {}
  void Add(ProblemKind kind, std::string attribute, std::string message) {
    std::string key = attribute + "\n" + message;
    if (!seen_.insert(key).second) return;
    Problem p;
    p.kind = kind;
    p.source = ProblemSource::kSchema;
    p.sku = sku_;
    p.marketplace = marketplace_;
    p.attribute = std::move(attribute);
    p.message = std::move(message);
    problems_.push_back(std::move(p));
  }
  std::vector<Problem> Take() { return std::move(problems_); }

 private:
  Sku sku_;
  MarketplaceId marketplace_;
  std::set<std::string> seen_;
  std::vector<Problem> problems_;
};

// The first number in a valijson message ("String should be no more than 200 characters.").
std::string LimitOf(const std::string& d) {
  size_t b = d.find_first_of("0123456789");
  if (b == std::string::npos) return "?";
  return d.substr(b, d.find_first_not_of("0123456789", b) - b);
}

size_t Bytes(const json* value) {
  return value != nullptr && value->is_string() ? value->get_ref<const std::string&>().size() : 0;
}

size_t CodePoints(const json* value) {
  if (value == nullptr || !value->is_string()) return 0;
  size_t n = 0;
  for (unsigned char c : value->get_ref<const std::string&>()) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Field(const Location& loc) {
  return loc.member.empty() ? loc.attribute : loc.attribute + "." + loc.member;
}

void ReportValijsonError(const json& attributes, const valijson::ValidationResults::Error& e,
                         const std::string& type_name, ProblemList& out) {
  const std::string& d = e.description;
  Location loc = LocationOf(e.context);
  const json* value = ValueAt(attributes, e.context);
  std::string quoted = value ? ValueText(*value) : "the value";
  if (d.starts_with("Missing required property '")) {
    std::string missing = d.substr(27, d.size() - 29);
    std::string attribute = loc.attribute.empty() ? missing : loc.attribute;
    std::string what =
        loc.attribute.empty() ? "'" + missing + "'" : "'" + missing + "' in " + loc.attribute;
    out.Add(ProblemKind::kMissingRequired, attribute,
            what + " is required by " + type_name + " but the listing has none");
  } else if (d.starts_with("Failed to match against any enum values")) {
    out.Add(ProblemKind::kValueNotAllowed, loc.attribute,
            Field(loc) + " " + quoted + " is not one of the values the product type allows");
  } else if (d.starts_with(kTooManyBytes)) {
    out.Add(ProblemKind::kTooLong, loc.attribute,
            Field(loc) + " is too long: at most " + LimitOf(d.substr(kTooManyBytes.size())) +
                " UTF-8 bytes, has " + std::to_string(Bytes(value)) +
                " (umlauts and accents count twice)");
  } else if (d.starts_with(kTooFewBytes)) {
    out.Add(ProblemKind::kTooShort, loc.attribute,
            Field(loc) + " is too short: at least " + LimitOf(d.substr(kTooFewBytes.size())) +
                " UTF-8 bytes, has " + std::to_string(Bytes(value)));
  } else if (d.starts_with("Value should be a multiple of")) {
    // valijson divides binary doubles: 45.0 is "not a multiple of 0.01". Amazon means decimals,
    // so only a value that is off by more than rounding noise is reported.
    double divisor = std::stod(d.substr(d.find_first_of("0123456789")));
    double q = value && value->is_number() ? value->get<double>() / divisor : 0.5;
    if (std::abs(q - std::round(q)) > 1e-6) {
      out.Add(ProblemKind::kInvalidValue, loc.attribute,
              Field(loc) + " " + quoted + " must be a multiple of " +
                  d.substr(d.find_first_of("0123456789")));
    }
  } else if (d.starts_with("String should be no more than")) {
    out.Add(ProblemKind::kTooLong, loc.attribute,
            Field(loc) + " is too long: at most " + LimitOf(d) + " characters, has " +
                std::to_string(CodePoints(value)));
  } else if (d.starts_with("String should be no fewer than")) {
    out.Add(ProblemKind::kTooShort, loc.attribute,
            Field(loc) + " is too short: at least " + LimitOf(d) + " characters, has " +
                std::to_string(CodePoints(value)));
  } else if (d.starts_with("Array should contain no more than")) {
    out.Add(ProblemKind::kTooManyValues, loc.attribute, Field(loc) + ": " + d);
  } else if (d.starts_with("Array should contain no fewer than")) {
    out.Add(ProblemKind::kMissingRequired, loc.attribute, Field(loc) + " needs a value: " + d);
  } else if (d.starts_with("Value type not permitted")) {
    out.Add(ProblemKind::kInvalidValue, loc.attribute,
            Field(loc) + " " + quoted + " has the wrong type (text, number or true/false)");
  } else if (d.starts_with("Failed to validate against any schemas allowed by anyOf")) {
    out.Add(ProblemKind::kInvalidValue, loc.attribute,
            Field(loc) + " " + quoted + " matches none of the forms the product type allows");
  } else if (d.starts_with("Object contains a property that could not be validated")) {
    std::string unwanted = d.substr(d.rfind(": '") + 3);
    unwanted = unwanted.substr(0, unwanted.find('\''));
    out.Add(ProblemKind::kInvalidValue, loc.attribute.empty() ? unwanted : loc.attribute,
            (loc.attribute.empty() ? "" : Field(loc) + ": ") + "'" + unwanted +
                "' is not an attribute the product type knows");
  } else {
    out.Add(ProblemKind::kInvalidValue, loc.attribute, Field(loc) + " " + quoted + ": " + d);
  }
}

// selectors + maxUniqueItems / minUniqueItems: elements are the same "unique item" when their
// selector members are equal; each combination may appear at most maxUniqueItems times.
void CheckUniqueItems(const std::string& name, const json& property, const json& value,
                      ProblemList& out) {
  if (!value.is_array() || !property.contains("selectors")) return;
  std::map<std::string, int64_t> counts;
  for (const auto& element : value) {
    std::string key;
    for (const auto& s : property["selectors"]) {
      std::string sel = s.get<std::string>();
      key += sel + "=" +
             (element.is_object() && element.contains(sel) ? element[sel].dump() : "-") + " ";
    }
    ++counts[key];
  }
  int64_t max = property.value("maxUniqueItems", int64_t{-1});
  int64_t min = property.value("minUniqueItems", int64_t{0});
  for (const auto& [key, count] : counts) {
    if (max >= 0 && count > max) {
      out.Add(ProblemKind::kTooManyValues, name,
              name + " has " + std::to_string(count) + " values for " +
                  key.substr(0, key.size() - 1) + "; the product type allows " +
                  std::to_string(max));
    }
    if (count < min) {
      out.Add(ProblemKind::kMissingRequired, name,
              name + " needs at least " + std::to_string(min) + " values per " +
                  key.substr(0, key.size() - 1));
    }
  }
}

// editable:false members must keep what Amazon already has.
void CheckEditable(const json& root, const std::string& attribute, const std::string& path,
                   const json* schema, const json& mine, const json& theirs, ProblemList& out) {
  schema = Resolve(root, schema);
  if (schema == nullptr || !schema->is_object()) return;
  if (!schema->value("editable", true) && mine != theirs) {
    out.Add(ProblemKind::kNotEditable, attribute,
            path + " cannot change once listed (Amazon has " + ValueText(theirs) +
                ", SCAYLE gives " + ValueText(mine) + ")");
    return;
  }
  if (mine.is_array() && theirs.is_array() && schema->contains("items")) {
    for (size_t i = 0; i < std::min(mine.size(), theirs.size()); ++i) {
      CheckEditable(root, attribute, path, &(*schema)["items"], mine[i], theirs[i], out);
    }
  } else if (mine.is_object() && theirs.is_object() && schema->contains("properties")) {
    for (const auto& [key, sub] : (*schema)["properties"].items()) {
      if (mine.contains(key) && theirs.contains(key)) {
        CheckEditable(root, attribute, path + "." + key, &sub, mine[key], theirs[key], out);
      }
    }
  }
}

}  // namespace

std::vector<Problem> ProductTypeSchema::Validate(const Sku& sku, const MarketplaceId& marketplace,
                                                 const json& attributes,
                                                 const json* on_amazon) const {
  ProblemList out(sku, marketplace);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(attributes);
  if (!validator.validate(compiled_->schema, target, &results)) {
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      if (IsWrapper(error.description)) continue;
      ReportValijsonError(attributes, error, name_, out);
    }
  }
  const json& props = document_.value("properties", json::object());
  for (const auto& [name, value] : attributes.items()) {
    if (!props.contains(name)) continue;
    const json* property = Resolve(document_, &props[name]);
    CheckUniqueItems(name, *property, value, out);
    if (on_amazon != nullptr && on_amazon->contains(name)) {
      CheckEditable(document_, name, name, property, value, (*on_amazon)[name], out);
    }
  }
  return out.Take();
}

void ValidateListing(const ProductTypeSchema& schema, CompiledListing& listing,
                     const json* on_amazon) {
  if (!listing.ok()) return;
  for (auto& p :
       schema.Validate(listing.sku, listing.marketplace_id, listing.attributes, on_amazon)) {
    listing.problems.push_back(std::move(p));
  }
}

}  // namespace mb::catalogue
