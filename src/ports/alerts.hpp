#pragma once
// Where exception alerts go (log, chat webhook, pager). The engine calls it when an exception is
// first raised and when it resolves, never on every repeat.

#include "core/exception_catalogue.hpp"

namespace mb {

class Alerts {
 public:
  virtual ~Alerts() = default;
  virtual void ExceptionRaised(const RaisedException& exception) = 0;
  virtual void ExceptionResolved(ExceptionType type, std::string_view dedup_key,
                                 std::string_view resolution) = 0;
};

}  // namespace mb
