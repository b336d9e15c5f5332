#pragma once
// One catalogue of listing problems, whatever found them: the mapping compiler, the offline schema
// check, or Amazon (submissions, feed processing reports, getListingsItem issues) in whatever
// language the marketplace answers. Each kind says in plain English what is wrong and what to fix,
// so `catalogue check` can count by kind and the ecommerce team sees one vocabulary.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"

namespace mb::catalogue {

enum class ProblemKind {
  kNoProductType,     // the master matches no product-type rule
  kNoScayleVariant,   // an SKU (on Amazon or asked for) has no SCAYLE variant
  kDuplicateSku,      // several SCAYLE variants share one SKU
  kMissingValue,      // a SCAYLE value the mapping needs is absent
  kUnmappedValue,     // a SCAYLE value has no entry in a value map (e.g. a colour)
  kNoVariationTheme,  // no preferred theme is allowed by the product type
  kMissingRequired,   // the product type requires an attribute the listing lacks
  kValueNotAllowed,   // a value outside the product type's list of values
  kTooLong,           // text longer than allowed (characters or UTF-8 bytes)
  kTooShort,          // text shorter than allowed
  kTooManyValues,     // more values than allowed (maxUniqueItems, maxItems)
  kInvalidValue,      // any other schema violation (type, pattern, range ...)
  kNotEditable,       // a value Amazon does not let change after creation
  kImageProblem,      // Amazon rejected or misses an image
  kPriceProblem,      // Amazon rejected or misses a price
  kDuplicateListing,  // Amazon sees a duplicate ASIN / identifier conflict
  kApprovalRequired,  // the brand or category needs approval on Amazon
  kAmazonOther,       // an Amazon issue no rule recognises (its text is kept)
};

struct ProblemKindInfo {
  ProblemKind kind;
  std::string_view key;    // stable, shown in `catalogue check`
  std::string_view title;  // what is wrong
  std::string_view fix;    // what to do, and where
};

std::span<const ProblemKindInfo> AllProblemKinds();
const ProblemKindInfo& InfoFor(ProblemKind kind);

enum class ProblemSource { kMapping, kSchema, kAmazon };
std::string_view ProblemSourceName(ProblemSource source);

struct Problem {
  ProblemKind kind = ProblemKind::kAmazonOther;
  ProblemSource source = ProblemSource::kMapping;
  Sku sku;
  MarketplaceId marketplace;
  std::string attribute;       // Amazon attribute (or SCAYLE attribute for mapping problems)
  std::string message;         // plain English, names the SKU's value and the limit
  std::string amazon_code;     // Amazon's issue code when from Amazon
  std::string amazon_message;  // Amazon's text, in the marketplace's language: kept, not parsed

  bool blocking = true;  // WARNING / INFO issues from Amazon do not block a listing
  // "SKU-1 [A1PA6795UKMFR9] color: ...", the line used in exceptions and the CLI.
  std::string ToString() const;
};

// An Amazon issue (Listings `Issue` or feed processing-report issue), as received.
struct AmazonIssue {
  std::string code;
  std::string message;
  std::string severity;  // ERROR, WARNING, INFO
  std::vector<std::string> attribute_names;
  std::vector<std::string> categories;  // INVALID_ATTRIBUTE, MISSING_ATTRIBUTE ...
};

// Classifies by code and category, never by message text: Amazon localises messages (issueLocale
// defaults to the marketplace's language) but not codes and categories.
Problem NormaliseAmazonIssue(const Sku& sku, const MarketplaceId& marketplace,
                             const AmazonIssue& issue);

}  // namespace mb::catalogue
