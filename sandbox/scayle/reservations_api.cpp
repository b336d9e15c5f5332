// POST /reservations (per-entry partial success) and DELETE /reservations/{id or key=} (§4).
#include "sandbox/scayle/routes.hpp"

namespace sandbox::scayle {

namespace {

// A malformed entry fails alone, like any other per-entry error.
std::optional<ReservationRequest> ParseEntry(const Json& e, ApiError& error) {
  error = {400, "VALIDATION_ERROR", ""};
  if (!e.is_object()) {
    error.message = "each reservation must be a JSON object";
    return std::nullopt;
  }
  ReservationRequest r;
  if (e.value("referenceKey", Json()).is_string())
    r.reference_key = e["referenceKey"].get<std::string>();
  if (!e.value("warehouseReferenceKey", Json()).is_string()) {
    error.message = "warehouseReferenceKey is required";
    return std::nullopt;
  }
  r.warehouse_key = e["warehouseReferenceKey"].get<std::string>();
  if (e.contains("reservationTtl") && !e["reservationTtl"].is_null()) {
    if (!e["reservationTtl"].is_number_integer()) {
      error.message = "reservationTtl must be an integer number of seconds";
      return std::nullopt;
    }
    r.ttl_seconds = e["reservationTtl"].get<int64_t>();
  }
  const Json variant = e.value("variant", Json());
  if (variant.is_object() && variant.value("id", Json()).is_number_integer()) {
    r.variant.id = variant["id"].get<int64_t>();
  } else if (variant.is_object() && variant.value("referenceKey", Json()).is_string()) {
    r.variant.reference_key = variant["referenceKey"].get<std::string>();
  } else {
    error.message = "variant needs an id or a referenceKey";
    return std::nullopt;
  }
  if (variant.value("merchantReferenceKey", Json()).is_string()) {
    r.merchant_key = variant["merchantReferenceKey"].get<std::string>();
  }
  return r;
}

Json ErrorEntry(const std::string& reference_key, const ApiError& e) {
  return {{"referenceKey", reference_key},
          {"error", {{"errorKey", e.key}, {"message", e.message}}}};
}

}  // namespace

void RegisterReservationRoutes(ApiRouter& router, ScayleWorld& world) {
  router.Post(
      "/reservations", "reservationsWrite",
      [&world](const httplib::Request& req, const auto&) -> ApiResult {
        auto body = ParseJsonBody(req);
        if (!body) return tl::unexpected(body.error());
        if (!body->is_array() || body->empty()) {
          return tl::unexpected(ApiError{400, "VALIDATION_ERROR",
                                         "the body must be a non-empty array of reservations"});
        }
        // Entries are answered in request order; valid ones go to the world in one batch.
        std::vector<std::optional<Json>> answers(body->size());
        std::vector<ReservationRequest> valid;
        std::vector<size_t> positions;
        for (size_t i = 0; i < body->size(); ++i) {
          ApiError error;
          auto entry = ParseEntry((*body)[i], error);
          if (!entry) {
            const Json& raw = (*body)[i];
            bool keyed = raw.is_object() && raw.value("referenceKey", Json()).is_string();
            answers[i] = ErrorEntry(keyed ? raw["referenceKey"].get<std::string>() : "", error);
            continue;
          }
          valid.push_back(std::move(*entry));
          positions.push_back(i);
        }
        auto outcomes = world.Reserve(valid);
        for (size_t k = 0; k < outcomes.size(); ++k) {
          const auto& o = outcomes[k];
          answers[positions[k]] = o.reservation
                                      ? Json{{"referenceKey", o.reference_key},
                                             {"id", o.reservation->id},
                                             {"reservationTtl", o.reservation->ttl_seconds}}
                                      : ErrorEntry(o.reference_key, *o.error);
        }
        Json entities = Json::array();
        bool all_ok = true;
        for (auto& a : answers) {
          all_ok = all_ok && !a->contains("error");
          entities.push_back(std::move(*a));
        }
        // UNCONFIRMED upstream: 201 when every entry was reserved, 206 (a documented status)
        // otherwise.
        return Reply{all_ok ? 201 : 206, {{"entities", std::move(entities)}}};
      });
  router.Delete("/reservations/{r*}", "reservationsWrite",
                [&world](const auto&, const auto& params) -> ApiResult {
                  auto id = PathIdentifier(params[0], "RESERVATION_NOT_FOUND");
                  if (!id) return tl::unexpected(id.error());
                  auto released = world.ReleaseReservation(*id);
                  if (!released) return tl::unexpected(released.error());
                  return Reply{204, nullptr};
                });
}

}  // namespace sandbox::scayle
