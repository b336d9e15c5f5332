#pragma once
// Test-only: an AmazonApi whose operations fail with kNotFound ("Amazon has none") unless a test
// overrides them.

#include "ports/unused_ports.hpp"

namespace mb::catalogue::testing {

class StubAmazonApi : public UnusedAmazonApi {
 public:
  StubAmazonApi() : UnusedAmazonApi(ErrorCode::kNotFound) {}
};

}  // namespace mb::catalogue::testing
