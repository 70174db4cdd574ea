// Sessions and tokens: /v1/session, /v1/refresh, /v1/auth-ping.
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "http/api_internal.h"
#include "http/request_parsing.h"

namespace truthbyte {
namespace {

// The token response of /v1/session (with the refresh token) and
// /v1/refresh (without one).
std::string GrantJson(const SessionGrant& grant, bool with_refresh_token) {
  nlohmann::ordered_json j;
  j["access_token"] = grant.access_token;
  if (with_refresh_token) j["refresh_token"] = grant.refresh_token;
  j["token_type"] = "Bearer";
  j["expires_in"] = grant.expires_in;
  j["token"] = grant.access_token;
  j["session_id"] = grant.session_id;
  j["user_id"] = grant.user_id.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(grant.user_id);
  return JsonText(j);
}

}  // namespace

HttpResponse Api::Session(Context& ctx) {
  auto it = ctx.request.find("X-User-ID");
  const std::string user = it == ctx.request.end() ? std::string() : std::string(it->value());
  auto grant = services_.auth->CreateSession(ctx.client_ip, user, ctx.now_ms / 1000);
  if (!grant.ok()) return Error(ctx, grant.error());
  return Json(ctx, 200, GrantJson(*grant, /*with_refresh_token=*/true));
}

HttpResponse Api::Refresh(Context& ctx) {
  auto body = ParseBody(ctx.request.body());
  if (!body.ok()) return Error(ctx, body.error());
  auto token = ReadRefreshToken(*body);
  if (!token.ok()) return Error(ctx, token.error());
  auto grant = services_.auth->Refresh(*token, ctx.now_ms / 1000);
  if (!grant.ok()) return Error(ctx, grant.error());
  return Json(ctx, 200, GrantJson(*grant, /*with_refresh_token=*/false));
}

HttpResponse Api::AuthPing(Context& ctx) {
  nlohmann::ordered_json j;
  j["valid"] = true;
  j["payload"] = ctx.caller.token_payload ? *ctx.caller.token_payload : nlohmann::json::object();
  j["user_id"] = ctx.caller.user_id;
  j["message"] = "the token is valid";
  return Json(ctx, 200, JsonText(j));
}

}  // namespace truthbyte
