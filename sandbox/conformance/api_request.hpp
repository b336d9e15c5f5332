#pragma once
// One HTTP request as the emulated Amazon APIs see it, independent of the server library so the
// matching and validation rules can be tested without sockets.

#include <httplib.h>

#include <map>
#include <string>

namespace sandbox::conformance {

using PathParams = std::map<std::string, std::string>;

struct ApiRequest {
  std::string method;     // upper case, e.g. "GET"
  std::string path;       // URL-decoded, without the query string
  httplib::Params query;  // decoded; a repeated key appears several times
  httplib::Headers headers;
  std::string body;
};

ApiRequest FromHttplib(const httplib::Request& req);

}  // namespace sandbox::conformance
