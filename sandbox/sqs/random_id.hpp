#pragma once
// Random identifiers in the shapes AWS and Amazon use (request ids, SQS message ids, receipt
// handles). They never influence a scenario's outcome, so they need no seed.

#include <string>

namespace sandbox::sqs {

// Lower-case RFC 4122 version-4 UUID, e.g. 5fea7756-0ea4-451a-a703-a558b933e274.
std::string NewUuid();

// `bytes` random bytes, base64-encoded (receipt handles are opaque base64 strings).
std::string NewOpaqueToken(size_t bytes);

}  // namespace sandbox::sqs
