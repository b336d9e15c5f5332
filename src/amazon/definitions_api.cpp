// Product Type Definitions 2020-09-01: getDefinitionsProductType and the schema download by link
// (definitionsProductTypes_2020-09-01.json).
#include "amazon/amazon_json.hpp"
#include "amazon/documents.hpp"
#include "amazon/sp_api_amazon_api.hpp"

namespace mb::amazon {

namespace {

using nlohmann::json;

Status ReadSchemaLink(const json& body, const char* field, std::string& url,
                      std::string& checksum) {
  if (!body.contains(field) || !body[field].is_object()) return {};
  const json& schema = body[field];
  auto sum = JsonString(schema, "checksum");
  if (!sum) return tl::unexpected(sum.error());
  checksum = *sum;
  if (schema.contains("link")) {
    auto resource = JsonString(schema["link"], "resource");
    if (!resource) return tl::unexpected(resource.error());
    url = *resource;
  }
  return {};
}

}  // namespace

Result<ProductTypeDefinition> SpApiAmazonApi::GetDefinitionsProductType(
    const GetProductTypeDefinitionRequest& request) {
  SpApiRequest call;
  call.method = HttpMethod::kGet;
  call.path = "/definitions/2020-09-01/productTypes/" + PathSegment(request.product_type);
  call.query = {{"marketplaceIds", request.marketplace_id.value()},
                {"sellerId", client_.seller_id()},
                {"productTypeVersion", request.product_type_version},
                {"requirements", request.requirements},
                {"requirementsEnforced", request.requirements_enforced},
                {"locale", request.locale}};
  call.operation = "getDefinitionsProductType";
  call.priority = request.priority;
  auto body = client_.CallJson(call);
  if (!body) return tl::unexpected(body.error());
  return ParseGuarded<ProductTypeDefinition>(
      "getDefinitionsProductType", [&]() -> Result<ProductTypeDefinition> {
        ProductTypeDefinition definition;
        auto type = JsonString(*body, "productType");
        auto name = JsonString(*body, "displayName");
        auto marketplaces = JsonStrings(*body, "marketplaceIds");
        auto locale = JsonString(*body, "locale");
        auto requirements = JsonString(*body, "requirements");
        auto enforced = JsonString(*body, "requirementsEnforced");
        if (!type || !name || !marketplaces || !locale || !requirements || !enforced) {
          return Fail(ErrorCode::kMalformedResponse,
                      "amazon: product type definition does not match the model");
        }
        definition.product_type = *type;
        definition.display_name = *name;
        for (const auto& m : *marketplaces) definition.marketplace_ids.emplace_back(m);
        definition.locale = *locale;
        definition.requirements = *requirements;
        definition.requirements_enforced = *enforced;
        if (body->contains("productTypeVersion")) {
          const json& version = (*body)["productTypeVersion"];
          auto v = JsonString(version, "version");
          if (!v) return tl::unexpected(v.error());
          definition.version = *v;
          definition.latest = version.value("latest", false);
          definition.release_candidate = version.value("releaseCandidate", false);
        }
        if (auto s =
                ReadSchemaLink(*body, "schema", definition.schema_url, definition.schema_checksum);
            !s) {
          return tl::unexpected(s.error());
        }
        if (auto s = ReadSchemaLink(*body, "metaSchema", definition.meta_schema_url,
                                    definition.meta_schema_checksum);
            !s) {
          return tl::unexpected(s.error());
        }
        if (definition.schema_url.empty()) {
          return Fail(ErrorCode::kMalformedResponse,
                      "amazon: product type definition " + *type + " has no schema link");
        }
        if (body->contains("propertyGroups") && (*body)["propertyGroups"].is_object()) {
          for (const auto& [group, value] : (*body)["propertyGroups"].items()) {
            auto names = JsonStrings(value, "propertyNames");
            if (!names) return tl::unexpected(names.error());
            definition.property_groups[group] = *names;
          }
        }
        return definition;
      });
}

Result<std::string> SpApiAmazonApi::DownloadSchema(const std::string& url) {
  return DownloadDocument(client_.http(), url, "", "product type schema");
}

}  // namespace mb::amazon
