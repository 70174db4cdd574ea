// For operators and tools: /health, /ready, /metrics, /v1/openapi.json.
#include <fmt/core.h>

#include "http/api_internal.h"
#include "http/openapi.h"

namespace truthbyte {

HttpResponse Api::Health(Context& ctx) { return Json(ctx, 200, R"({"status":"ok"})"); }

HttpResponse Api::Ready(Context& ctx) {
  auto version = services_.store->QuestionsVersion();
  if (!version.ok()) return Error(ctx, ServiceError::FromStatus(Status::Unavailable(version.status().message())));
  return Json(ctx, 200, fmt::format(R"({{"status":"ready","questions":{}}})", services_.catalog->Current()->entries.size()));
}

HttpResponse Api::MetricsText(Context& ctx) {
  auto snapshot = services_.catalog->Current();
  HttpResponse r{http::status::ok, ctx.request.version()};
  r.set(http::field::content_type, "text/plain; version=0.0.4");
  const QueryStrategyCounts store_queries = services_.store->QueryStrategies();
  std::vector<std::pair<std::string, double>> gauges = {
      {"truthbyte_catalog_questions", static_cast<double>(snapshot->entries.size())},
      {"truthbyte_store_category_index_queries", static_cast<double>(store_queries.category_index)},
      {"truthbyte_store_scan_fallbacks", static_cast<double>(store_queries.scan_fallback)},
      {"truthbyte_catalog_version", static_cast<double>(snapshot->version)},
      {"truthbyte_catalog_refreshes_total", static_cast<double>(services_.catalog->refreshes())}};
  for (auto& engine : services_.store->EngineMetrics()) gauges.push_back(std::move(engine));
  if (services_.crowd) {
    gauges.emplace_back("truthbyte_crowd_refits_total", static_cast<double>(services_.crowd->refits()));
    gauges.emplace_back("truthbyte_crowd_failed_refits_total", static_cast<double>(services_.crowd->failed_refits()));
    if (auto fit = services_.crowd->Current()) {
      gauges.emplace_back("truthbyte_crowd_players", static_cast<double>(fit->analysis.players.size()));
      gauges.emplace_back("truthbyte_crowd_answers", static_cast<double>(fit->analysis.answers));
      gauges.emplace_back("truthbyte_crowd_disputed_questions", static_cast<double>(fit->analysis.disputed));
      gauges.emplace_back("truthbyte_crowd_fit_seconds", fit->analysis.seconds);
    }
  }
  r.body() = metrics_.Render(gauges);
  return r;
}

HttpResponse Api::OpenApi(Context& ctx) {
  HttpResponse r = Json(ctx, 200, std::string(OpenApiDocument()));
  r.set(http::field::cache_control, "public, max-age=3600");
  return r;
}

}  // namespace truthbyte
