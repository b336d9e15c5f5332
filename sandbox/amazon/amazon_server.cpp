#include "sandbox/amazon/amazon_server.hpp"

#include "sandbox/catalogue/definitions_api.hpp"

#include <cstdio>
#include <stdexcept>

namespace sandbox::amazon {
namespace {

// The models declare x-amzn-RateLimit-Limit on these answers only (SPAPI.md §2).
bool DeclaresRateLimitHeader(int status) {
  return status == 200 || status == 201 || status == 202 || status == 204 || status == 400 ||
         status == 404;
}

ApiResponse Unauthorized(const std::string& message) {
  return ApiResponse::Error(403, "Unauthorized", message);
}

void Write(httplib::Response& res, const ApiResponse& answer) {
  res.status = answer.status;
  if (!answer.body.empty() || !answer.content_type.empty()) {
    res.set_content(answer.body,
                    answer.content_type.empty() ? "application/json" : answer.content_type.c_str());
  }
}

}  // namespace

AmazonServer::AmazonServer(AmazonWorld& world, AmazonServerOptions options)
    : world_(world),
      options_([&] {
        for (const auto& seller : world.config().sellers) {
          options.lwa.refresh_tokens[seller.refresh_token] = seller.seller_id;
        }
        return std::move(options);
      }()),
      lwa_(options_.lwa, world.config().seed),
      faults_(world.config().seed + 1) {
  AddListingsRoutes(router_, world_);
  AddOrdersRoutes(router_, world_);
  AddFeedsRoutes(router_, world_, limiter_);
  AddReportsRoutes(router_, world_);
  AddControlRoutes(control_, *this);
  if (const catalogue::ProductTypeCatalogue* types = options_.product_types) {
    catalogue::AddDefinitionsRoutes(router_, *types, [this] { return base_url(); });
    world_.SetListingChecker(
        [types](const std::string& product_type, const std::string& marketplace_id,
                const nlohmann::json& attributes, const std::string& requirements,
                const std::string& issue_locale) {
          if (!types->Has(product_type, marketplace_id)) return nlohmann::json::array();
          return types->Check(product_type, marketplace_id, attributes, requirements, issue_locale);
        });
  }
  auto dispatch = [this](const httplib::Request& req, httplib::Response& res) {
    Dispatch(req, res);
  };
  if (options_.mount_extra_routes) {
    http_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (req.path.rfind(options_.extra_routes_prefix, 0) != 0) {
        return httplib::Server::HandlerResponse::Unhandled;
      }
      AccessGrant grant;
      if (lwa_.Check(req.get_header_value("x-amz-access-token"), world_.clock().Now(), &grant) ==
          TokenCheck::kValid) {
        return httplib::Server::HandlerResponse::Unhandled;
      }
      Count("notifications", 403, false);
      Write(res, Unauthorized("Access to requested resource is denied."));
      return httplib::Server::HandlerResponse::Handled;
    });
    options_.mount_extra_routes(http_);
  }
  http_.Get(".*", dispatch);
  http_.Post(".*", dispatch);
  http_.Put(".*", dispatch);
  http_.Patch(".*", dispatch);
  http_.Delete(".*", dispatch);
  http_.set_payload_max_length(64 * 1024 * 1024);
  // Without TCP_NODELAY every small answer waits on the client's delayed ACK (~40 ms).
  http_.set_tcp_nodelay(true);
  http_.set_keep_alive_max_count(10000);
  http_.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        }
        Write(res, ApiResponse::Error(500, "InternalFailure", "sandbox bug: " + what));
      });
}

AmazonServer::~AmazonServer() {
  Stop();
  // The world may outlive the product types the checker reads.
  if (options_.product_types != nullptr) world_.SetListingChecker(nullptr);
}

void AmazonServer::Start() {
  port_ = options_.port == 0
              ? http_.bind_to_any_port(options_.host)
              : (http_.bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port_ <= 0) {
    throw std::runtime_error("amazon sandbox: cannot bind " + options_.host + ":" +
                             std::to_string(options_.port));
  }
  world_.SetDocumentBaseUrl(base_url());
  thread_ = std::thread([this] { http_.listen_after_bind(); });
  // stop() is a no-op until the accept loop runs, so don't hand out a server that can't stop.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!http_.is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void AmazonServer::Stop() {
  {
    std::lock_guard lock(stop_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) {
    http_.stop();
    thread_.join();
  }
}

std::string AmazonServer::base_url() const {
  return "http://" + options_.host + ":" + std::to_string(port_);
}

bool AmazonServer::HoldFor(std::chrono::milliseconds d) {
  std::unique_lock lock(stop_mu_);
  return !stop_cv_.wait_for(lock, d, [this] { return stopping_; });
}

void AmazonServer::DropConnection(httplib::Response& res) {
  res.status = 200;
  // Headers go out, then the provider fails: the client sees the connection close mid-body.
  res.set_content_provider(1024, "application/json",
                           [](size_t, size_t, httplib::DataSink&) { return false; });
}

void AmazonServer::Count(const std::string& operation, int status, bool fault) {
  std::lock_guard lock(counters_mu_);
  auto& c = counters_[operation];
  ++c.calls;
  if (status == 429) ++c.throttled;
  if (status >= 400 && status < 500 && status != 429) ++c.client_errors;
  if (status >= 500) ++c.server_errors;
  if (fault) ++c.faults;
}

std::map<std::string, OperationCounters> AmazonServer::Counters() const {
  std::lock_guard lock(counters_mu_);
  return counters_;
}

nlohmann::json AmazonServer::CountersJson() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [op, c] : Counters()) {
    out[op] = {{"calls", c.calls},
               {"throttled", c.throttled},
               {"clientErrors", c.client_errors},
               {"serverErrors", c.server_errors},
               {"faults", c.faults}};
  }
  return out;
}

void AmazonServer::Dispatch(const httplib::Request& req, httplib::Response& res) {
  char request_id[48];
  uint64_t seq = ++request_sequence_;
  std::snprintf(request_id, sizeof request_id, "%08llx-5a4d-4b42-8c00-%012llx",
                static_cast<unsigned long long>(seq * 2654435761ULL & 0xffffffffULL),
                static_cast<unsigned long long>(seq));
  res.set_header("x-amzn-RequestId", request_id);

  std::smatch match;
  // Schema links: presigned-style downloads, like documents (no access token).
  if (options_.product_types != nullptr && req.path.rfind("/_sandbox/catalogue/", 0) == 0) {
    if (auto a = catalogue::AnswerSchemaLink(*options_.product_types, req.path)) {
      res.status = a->status;
      res.set_content(a->body, a->content_type);
      return;
    }
  }
  if (req.path.rfind("/_sandbox/", 0) == 0) {
    if (const ApiRoute* route = control_.Match(req.method, req.path, match)) {
      ApiRequest api{req, match, route->operation, "", world_.clock().Now(), std::nullopt};
      Write(res, route->handler(api));
    } else {
      Write(res,
            ApiResponse::Error(404, "NotFound", "no control route " + req.method + " " + req.path));
    }
    return;
  }
  if (req.path.rfind("/_documents/", 0) == 0) return ServeDocument(req, res);
  if (req.path == "/auth/o2/token" && req.method == "POST") return ServeToken(req, res);
  const ApiRoute* route = router_.Match(req.method, req.path, match);
  if (route == nullptr) {
    Write(res, ApiResponse::Error(404, "NotFound", "Resource " + req.path + " is not found."));
    return;
  }
  ServeApi(*route, std::move(match), req, res);
}

void AmazonServer::ServeToken(const httplib::Request& req, httplib::Response& res) {
  std::map<std::string, std::string> form;
  if (req.get_header_value("Content-Type").find("application/json") != std::string::npos) {
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_object()) {
      for (const auto& [k, v] : body.items()) {
        if (v.is_string()) form[k] = v.get<std::string>();
      }
    }
  } else {
    form = ParseForm(req.body);
  }
  TokenAnswer answer = lwa_.Exchange(form, world_.clock().Now());
  Count("lwa.token", answer.http_status, false);
  Write(res, ApiResponse::Json(answer.http_status, answer.body));
}

void AmazonServer::ServeDocument(const httplib::Request& req, httplib::Response& res) {
  const std::string id = req.path.substr(std::string("/_documents/").size());
  const std::string signature =
      req.has_param("X-Amz-Signature") ? req.get_param_value("X-Amz-Signature") : "";
  const char* kDenied =
      "<?xml version=\"1.0\" "
      "encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Request has "
      "expired or the signature does not match</Message></Error>";
  if (req.method == "PUT") {
    if (!world_.UploadDocument(id, signature, req.body)) {
      res.status = 403;
      res.set_content(kDenied, "application/xml");
      return;
    }
    res.status = 200;
    return;
  }
  auto doc = world_.GetDocument(id);
  if (req.method != "GET" || !doc || !doc->uploaded || doc->url_signature != signature ||
      world_.clock().Now() >= doc->url_expires) {
    res.status = 403;
    res.set_content(kDenied, "application/xml");
    return;
  }
  if (doc->gzip && req.has_param("response-content-encoding"))
    res.set_header("Content-Encoding", "gzip");
  res.status = 200;
  res.set_content(doc->bytes, doc->gzip ? "application/octet-stream" : doc->content_type.c_str());
}

void AmazonServer::ServeApi(const ApiRoute& route, std::smatch match, const httplib::Request& req,
                            httplib::Response& res) {
  world_.ProcessDue();
  const SimTime now = world_.clock().Now();
  const OperationLimit* limit = FindOperationLimit(route.operation);
  AccessGrant grant;
  switch (lwa_.Check(req.get_header_value("x-amz-access-token"), now, &grant)) {
    case TokenCheck::kValid:
      break;
    case TokenCheck::kExpired:
      Count(route.operation, 403, false);
      return Write(res, Unauthorized("The access token you provided has expired."));
    default:
      Count(route.operation, 403, false);
      return Write(res, Unauthorized("Access to requested resource is denied."));
  }
  if (grant.seller_id.empty()) {  // grantless tokens only reach grantless operations
    Count(route.operation, 403, false);
    return Write(res, Unauthorized("Access to requested resource is denied."));
  }
  auto quota_exceeded = [&] {
    return ApiResponse::Error(429, "QuotaExceeded",
                              "You exceeded your quota for the requested resource.");
  };
  if (!limiter_.TryAcquire(grant.seller_id, route.operation, now)) {
    Count(route.operation, 429, false);
    return Write(res, quota_exceeded());
  }
  std::optional<FaultRule> fault = faults_.Draw(route.operation);
  ApiRequest api{req, std::move(match), route.operation, grant.seller_id, now, std::nullopt};
  if (fault) {
    switch (fault->kind) {
      case FaultKind::kThrottle:
        Count(route.operation, 429, true);
        return Write(res, quota_exceeded());
      case FaultKind::kServerError:
        Count(route.operation, fault->status, true);
        return Write(
            res, fault->status == 503
                     ? ApiResponse::Error(503, "ServiceUnavailable",
                                          "Service temporarily unavailable. Please try again.")
                     : ApiResponse::Error(fault->status, "InternalFailure",
                                          "We encountered an internal error. Please try again."));
      case FaultKind::kTimeout:
        Count(route.operation, 0, true);
        HoldFor(options_.timeout_hold);
        return DropConnection(res);
      case FaultKind::kDropConnection:
        Count(route.operation, 0, true);
        return DropConnection(res);
      case FaultKind::kSlowResponse:
        if (!HoldFor(fault->delay)) return DropConnection(res);
        break;
      case FaultKind::kMalformedBody:
      case FaultKind::kUnknownOrderStatus:
        break;
    }
    api.fault = fault;
  }
  ApiResponse answer = route.handler(api);
  if (fault && fault->kind == FaultKind::kMalformedBody) {
    answer.status = 200;
    answer.body = answer.body.substr(0, answer.body.size() / 2) + "\"\x01";
    answer.content_type = "application/json";
  }
  Count(route.operation, answer.status, fault.has_value());
  if (limit != nullptr && DeclaresRateLimitHeader(answer.status)) {
    res.set_header("x-amzn-RateLimit-Limit", std::string(limit->rate));
  }
  Write(res, answer);
}

}  // namespace sandbox::amazon
