#include "core/catalogue/problems.hpp"

#include <algorithm>
#include <array>
#include <map>

namespace mb::catalogue {

namespace {

constexpr std::array kKinds = {
    ProblemKindInfo{ProblemKind::kNoProductType, "no_product_type",
                    "The SCAYLE master matches no product-type rule of the mapping",
                    "Add a [[product_type]] rule for its category in the mapping file, or leave "
                    "it off Amazon on purpose."},
    ProblemKindInfo{ProblemKind::kNoScayleVariant, "no_scayle_variant",
                    "The SKU has no SCAYLE variant",
                    "Create or rename the variant in SCAYLE (referenceKey = SKU), or delete the "
                    "listing on Amazon."},
    ProblemKindInfo{ProblemKind::kDuplicateSku, "duplicate_sku",
                    "Several SCAYLE variants carry the same SKU",
                    "Give each SCAYLE variant its own referenceKey; Amazon lists one SKU once."},
    ProblemKindInfo{ProblemKind::kMissingValue, "missing_value",
                    "A SCAYLE value the mapping needs is empty",
                    "Fill the SCAYLE attribute named in the message (for the marketplace's "
                    "language), or give the mapping a constant."},
    ProblemKindInfo{ProblemKind::kUnmappedValue, "unmapped_value",
                    "A SCAYLE value has no entry in the mapping's value map",
                    "Add the value to the value map named in the message (docs/"
                    "catalogue-mapping.md), or correct the value in SCAYLE."},
    ProblemKindInfo{ProblemKind::kNoVariationTheme, "no_variation_theme",
                    "None of the mapping's variation themes is allowed by the product type",
                    "Add a theme the product type allows to variation_themes of the rule."},
    ProblemKindInfo{ProblemKind::kMissingRequired, "missing_required",
                    "The product type requires an attribute the listing lacks",
                    "Map the attribute in the mapping file (from SCAYLE, or a constant)."},
    ProblemKindInfo{ProblemKind::kValueNotAllowed, "value_not_allowed",
                    "A value is not one the product type allows",
                    "Map the SCAYLE value to one of the allowed values (value map), or fix it "
                    "in SCAYLE."},
    ProblemKindInfo{ProblemKind::kTooLong, "too_long", "A text is longer than Amazon allows",
                    "Shorten the SCAYLE text or the mapping template; limits count UTF-8 bytes, "
                    "so umlauts count twice."},
    ProblemKindInfo{ProblemKind::kTooShort, "too_short", "A text is shorter than Amazon requires",
                    "Complete the SCAYLE value."},
    ProblemKindInfo{ProblemKind::kTooManyValues, "too_many_values",
                    "More values than the product type allows",
                    "Reduce the SCAYLE list, or map only the first values."},
    ProblemKindInfo{ProblemKind::kInvalidValue, "invalid_value",
                    "A value has the wrong form for the product type",
                    "Correct the mapping (type, format) or the SCAYLE value named in the "
                    "message."},
    ProblemKindInfo{ProblemKind::kNotEditable, "not_editable",
                    "Amazon does not allow this value to change once listed",
                    "Restore the original value in SCAYLE, or ask Seller Support to change it."},
    ProblemKindInfo{ProblemKind::kImageProblem, "image_problem",
                    "Amazon rejected or misses an image",
                    "Check the SCAYLE images (white background, >= 1000 px, reachable URL)."},
    ProblemKindInfo{ProblemKind::kPriceProblem, "price_problem",
                    "Amazon rejected or misses the price",
                    "Check the SCAYLE price for the marketplace's country and currency."},
    ProblemKindInfo{ProblemKind::kDuplicateListing, "duplicate_listing",
                    "Amazon matched the listing to another product or ASIN",
                    "Check the EAN in SCAYLE; if it is right, open a case with Amazon."},
    ProblemKindInfo{ProblemKind::kApprovalRequired, "approval_required",
                    "The brand or category needs approval on Amazon",
                    "Apply for approval in Seller Central (Catalogue → Add products)."},
    ProblemKindInfo{ProblemKind::kAmazonOther, "amazon_other", "Amazon reported another problem",
                    "Read Amazon's message in the details; add a rule for its code if it recurs."},
};

// Codes whose meaning is stable across categories (Listings Items / JSON feed documentation).
const std::map<std::string, ProblemKind>& CodeTable() {
  static const std::map<std::string, ProblemKind> table = {
      {"90220", ProblemKind::kMissingRequired},   // 'x' is required but not supplied
      {"100339", ProblemKind::kMissingRequired},  // required attribute missing (product)
      {"99022", ProblemKind::kInvalidValue},      // value missing or invalid
      {"90244", ProblemKind::kValueNotAllowed},   // value not in the allowed list
      {"8541", ProblemKind::kDuplicateListing},   // identifier matches another ASIN
      {"8542", ProblemKind::kDuplicateListing},
      {"8572", ProblemKind::kDuplicateListing},  // GTIN invalid/used
      {"5461", ProblemKind::kApprovalRequired},  // brand approval
      {"18027", ProblemKind::kDuplicateListing},
      {"8560", ProblemKind::kMissingRequired},  // missing key attributes
      {"4000003", ProblemKind::kNotEditable},   // immutable attribute changed
  };
  return table;
}

bool Has(const std::vector<std::string>& values, std::string_view v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

}  // namespace

std::span<const ProblemKindInfo> AllProblemKinds() { return kKinds; }

const ProblemKindInfo& InfoFor(ProblemKind kind) {
  for (const auto& info : kKinds) {
    if (info.kind == kind) return info;
  }
  return kKinds.back();
}

std::string_view ProblemSourceName(ProblemSource source) {
  switch (source) {
    case ProblemSource::kMapping:
      return "mapping";
    case ProblemSource::kSchema:
      return "schema";
    case ProblemSource::kAmazon:
      return "amazon";
  }
  return "unknown";
}

std::string Problem::ToString() const {
  std::string out = sku.value();
  if (!marketplace.empty()) out += " [" + marketplace.value() + "]";
  if (!attribute.empty()) out += " " + attribute;
  out += ": " + message;
  return out;
}

Problem NormaliseAmazonIssue(const Sku& sku, const MarketplaceId& marketplace,
                             const AmazonIssue& issue) {
  Problem p;
  p.source = ProblemSource::kAmazon;
  p.sku = sku;
  p.marketplace = marketplace;
  p.amazon_code = issue.code;
  p.amazon_message = issue.message;
  p.blocking = issue.severity == "ERROR" || issue.severity.empty();
  for (const auto& name : issue.attribute_names) {
    p.attribute += (p.attribute.empty() ? "" : ",") + name;
  }
  const auto& c = issue.categories;
  if (auto it = CodeTable().find(issue.code); it != CodeTable().end()) {
    p.kind = it->second;
  } else if (Has(c, "INVALID_IMAGE") || Has(c, "MISSING_IMAGE")) {
    p.kind = ProblemKind::kImageProblem;
  } else if (Has(c, "INVALID_PRICE") || Has(c, "MISSING_PRICE")) {
    p.kind = ProblemKind::kPriceProblem;
  } else if (Has(c, "DUPLICATE")) {
    p.kind = ProblemKind::kDuplicateListing;
  } else if (Has(c, "QUALIFICATION_REQUIRED")) {
    p.kind = ProblemKind::kApprovalRequired;
  } else if (Has(c, "MISSING_ATTRIBUTE")) {
    p.kind = ProblemKind::kMissingRequired;
  } else if (Has(c, "INVALID_ATTRIBUTE")) {
    p.kind = ProblemKind::kInvalidValue;
  } else {
    p.kind = ProblemKind::kAmazonOther;
  }
  const auto& info = InfoFor(p.kind);
  // The message is ours, in English; Amazon's own text stays in amazon_message.
  p.message = std::string(info.title) + " (Amazon " + issue.code +
              (p.attribute.empty() ? "" : " on " + p.attribute) +
              "). Fix: " + std::string(info.fix);
  return p;
}

}  // namespace mb::catalogue
