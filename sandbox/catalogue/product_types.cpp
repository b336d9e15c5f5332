#include "sandbox/catalogue/product_types.hpp"

#include "sandbox/amazon/listing_attributes.hpp"

#include <openssl/evp.h>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace sandbox::catalogue {

using nlohmann::json;

namespace {

using amazon::MakeIssue;

std::string Md5Base64(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_md5(), nullptr);
  std::string out(4 * ((length + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), digest,
                          static_cast<int>(length));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Offer attributes (propertyGroups.offer of Amazon's definitions).
const std::set<std::string>& OfferAttributes() {
  static const std::set<std::string> names = {"purchasable_offer",       "fulfillment_availability",
                                              "condition_type",          "list_price",
                                              "merchant_shipping_group", "condition_note"};
  return names;
}

struct Localised {
  bool german;
  std::string Required(const std::string& name) const {
    return german ? "'" + name + "' ist erforderlich, wurde aber nicht angegeben."
                  : "'" + name + "' is required but not supplied.";
  }
  std::string Invalid(const std::string& name, const std::string& why) const {
    return german ? "Der Wert für '" + name + "' ist ungültig: " + why
                  : "The value for '" + name + "' is invalid: " + why;
  }
  std::string Unknown(const std::string& name) const {
    return german ? "'" + name + "' ist kein Attribut dieses Produkttyps."
                  : "'" + name + "' is not an attribute of this product type.";
  }
};

// Amazon's vocabulary the standard keywords miss: UTF-8 byte lengths anywhere under properties /
// items, and selectors with maxUniqueItems on each attribute.
void CheckVocabulary(const json& root, const json& schema, const json& value,
                     const std::string& attribute, const Localised& text, json& issues) {
  const json* s = &schema;
  if (s->contains("$ref")) {
    std::string ref = (*s)["$ref"];
    if (ref.starts_with("#")) s = &root.at(json::json_pointer(ref.substr(1)));
  }
  if (value.is_string()) {
    auto bytes = static_cast<int64_t>(value.get_ref<const std::string&>().size());
    if (s->contains("maxUtf8ByteLength") && bytes > (*s)["maxUtf8ByteLength"].get<int64_t>()) {
      issues.push_back(MakeIssue(
          "99022", text.Invalid(attribute, "max " + (*s)["maxUtf8ByteLength"].dump() + " bytes"),
          attribute, "INVALID_ATTRIBUTE"));
    }
    if (s->contains("minUtf8ByteLength") && bytes < (*s)["minUtf8ByteLength"].get<int64_t>()) {
      issues.push_back(
          MakeIssue("99022", text.Invalid(attribute, "too short"), attribute, "INVALID_ATTRIBUTE"));
    }
  }
  if (value.is_array()) {
    if (s->contains("selectors") && s->contains("maxUniqueItems")) {
      std::map<std::string, int64_t> counts;
      for (const auto& element : value) {
        std::string key;
        for (const auto& sel : (*s)["selectors"]) {
          key += element.is_object() ? element.value(sel.get<std::string>(), json()).dump() : "";
          key += "|";
        }
        if (++counts[key] > (*s)["maxUniqueItems"].get<int64_t>()) {
          issues.push_back(MakeIssue("99022", text.Invalid(attribute, "too many values"), attribute,
                                     "INVALID_ATTRIBUTE"));
          break;
        }
      }
    }
    if (s->contains("items")) {
      for (const auto& element : value) {
        CheckVocabulary(root, (*s)["items"], element, attribute, text, issues);
      }
    }
  }
  if (value.is_object() && s->contains("properties")) {
    for (const auto& [key, sub] : (*s)["properties"].items()) {
      if (value.contains(key)) CheckVocabulary(root, sub, value[key], attribute, text, issues);
    }
  }
}

std::shared_ptr<const valijson::Schema> Compile(const json& document) {
  auto schema = std::make_shared<valijson::Schema>();
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter adapter(document);
  parser.populateSchema(adapter, *schema);
  return schema;
}

}  // namespace

std::string ProductTypeCatalogue::DefaultDirectory() { return MB_SANDBOX_PRODUCT_TYPES_DIR; }

ProductTypeCatalogue::ProductTypeCatalogue(const std::string& directory) {
  for (const auto& file : std::filesystem::directory_iterator(directory)) {
    if (file.path().extension() != ".json") continue;
    std::string stem = file.path().stem().string();  // SHIRT.A1PA6795UKMFR9
    size_t dot = stem.find('.');
    if (dot == std::string::npos) continue;
    std::ifstream in(file.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    Entry entry;
    entry.text = buffer.str();
    entry.document = json::parse(entry.text);
    entry.checksum = Md5Base64(entry.text);
    entry.full = Compile(entry.document);
    // Offer-only submissions: the product facts belong to the ASIN's owner, only the offer counts.
    json offer = entry.document;
    offer.erase("required");
    offer.erase("allOf");
    offer["additionalProperties"] = true;
    entry.offer_only = Compile(offer);
    entries_[{stem.substr(0, dot), stem.substr(dot + 1)}] = std::move(entry);
  }
  if (entries_.empty()) throw std::runtime_error("no product type schemas in " + directory);
}

const ProductTypeCatalogue::Entry* ProductTypeCatalogue::Find(
    const std::string& product_type, const std::string& marketplace_id) const {
  auto it = entries_.find({product_type, marketplace_id});
  return it == entries_.end() ? nullptr : &it->second;
}

bool ProductTypeCatalogue::Has(const std::string& product_type,
                               const std::string& marketplace_id) const {
  return Find(product_type, marketplace_id) != nullptr;
}

const std::string& ProductTypeCatalogue::SchemaText(const std::string& product_type,
                                                    const std::string& marketplace_id) const {
  static const std::string kNone;
  const Entry* e = Find(product_type, marketplace_id);
  return e ? e->text : kNone;
}

std::string ProductTypeCatalogue::Checksum(const std::string& product_type,
                                           const std::string& marketplace_id) const {
  const Entry* e = Find(product_type, marketplace_id);
  return e ? e->checksum : "";
}

json ProductTypeCatalogue::Definition(const std::string& product_type,
                                      const std::string& marketplace_id,
                                      const std::string& base_url, const std::string& requirements,
                                      const std::string& locale) const {
  const Entry* e = Find(product_type, marketplace_id);
  if (e == nullptr) return nullptr;
  json groups = json::object();
  json offer = json::array();
  json product = json::array();
  for (const auto& [name, _] : e->document["properties"].items()) {
    (OfferAttributes().count(name) ? offer : product).push_back(name);
  }
  groups["offer"] = {
      {"title", "Offer"}, {"description", "Product Offer"}, {"propertyNames", offer}};
  groups["product_details"] = {
      {"title", "Product Details"}, {"description", "Product Details"}, {"propertyNames", product}};
  std::string link =
      base_url + "/_sandbox/catalogue/schemas/" + product_type + "." + marketplace_id + ".json";
  return {
      {"metaSchema",
       {{"link",
         {{"resource", base_url + "/_sandbox/catalogue/meta-schema/v1.json"}, {"verb", "GET"}}},
        {"checksum", ""}}},
      {"schema", {{"link", {{"resource", link}, {"verb", "GET"}}}, {"checksum", e->checksum}}},
      {"requirements", requirements.empty() ? "LISTING" : requirements},
      {"requirementsEnforced", "ENFORCED"},
      {"propertyGroups", groups},
      {"locale", locale.empty() || locale == "DEFAULT" ? "en_US" : locale},
      {"marketplaceIds", json::array({marketplace_id})},
      {"productType", product_type},
      {"displayName", product_type == "SHIRT" ? "Shirt" : "Shoes"},
      {"productTypeVersion",
       {{"version", e->checksum}, {"latest", true}, {"releaseCandidate", false}}},
  };
}

json ProductTypeCatalogue::Search(const std::vector<std::string>& keywords,
                                  const std::string& marketplace_id) const {
  json types = json::array();
  for (const auto& [key, _] : entries_) {
    if (key.marketplace_id != marketplace_id) continue;
    bool match = keywords.empty();
    for (const auto& k : keywords) {
      std::string upper;
      for (char c : k) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      match |= key.product_type.find(upper) != std::string::npos;
    }
    if (match) {
      types.push_back({{"name", key.product_type},
                       {"displayName", key.product_type},
                       {"marketplaceIds", json::array({marketplace_id})}});
    }
  }
  return {{"productTypes", types}, {"productTypeVersion", "LATEST"}};
}

json ProductTypeCatalogue::Check(const std::string& product_type, const std::string& marketplace_id,
                                 const json& attributes, const std::string& requirements,
                                 const std::string& issue_locale) const {
  Localised text{marketplace_id == "A1PA6795UKMFR9" && issue_locale != "en_US"};
  json issues = json::array();
  const Entry* e = Find(product_type, marketplace_id);
  if (e == nullptr) {
    issues.push_back(MakeIssue("4000001",
                               text.german ? "Unbekannter Produkttyp " + product_type
                                           : "Unknown product type " + product_type,
                               "", "INVALID_ATTRIBUTE"));
    return issues;
  }
  bool offer_only = requirements == "LISTING_OFFER_ONLY";
  const valijson::Schema& compiled = offer_only ? *e->offer_only : *e->full;
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(attributes);
  std::set<std::string> seen;
  if (!validator.validate(compiled, target, &results)) {
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      const std::string& d = error.description;
      std::string attribute;
      for (const auto& c : error.context) {
        if (c != "<root>") {
          attribute = c.substr(1, c.size() - 2);
          break;
        }
      }
      if (d.starts_with("Failed to validate") && !d.starts_with("Failed to validate against any"))
        continue;
      json issue;
      if (d.starts_with("Missing required property '")) {
        std::string name = d.substr(27, d.size() - 29);
        issue = MakeIssue("90220", text.Required(attribute.empty() ? name : attribute + "." + name),
                          attribute.empty() ? name : attribute, "MISSING_ATTRIBUTE");
      } else if (d.starts_with("Object contains a property that could not be validated")) {
        std::string name = d.substr(d.rfind(": '") + 3);
        name = name.substr(0, name.find('\''));
        issue = MakeIssue("90000900", text.Unknown(name), attribute.empty() ? name : attribute,
                          "INVALID_ATTRIBUTE");
      } else if (d.starts_with("Failed to match against any enum values")) {
        issue = MakeIssue("90244", text.Invalid(attribute, "not an allowed value"), attribute,
                          "INVALID_ATTRIBUTE");
      } else {
        issue = MakeIssue("99022", text.Invalid(attribute, d), attribute, "INVALID_ATTRIBUTE");
      }
      if (seen.insert(issue.dump()).second) issues.push_back(issue);
    }
  }
  for (const auto& [name, value] : attributes.items()) {
    if (!e->document["properties"].contains(name)) continue;
    if (offer_only && !OfferAttributes().count(name)) continue;
    CheckVocabulary(e->document, e->document["properties"][name], value, name, text, issues);
  }
  return issues;
}

}  // namespace sandbox::catalogue
