// The player's own record: /v1/user.
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/record_json.h"
#include "http/api_internal.h"

namespace truthbyte {
namespace {

nlohmann::ordered_json ProfileJson(const PlayerProfile& profile, std::optional<double> reliability) {
  const User& u = profile.user;
  nlohmann::ordered_json j;
  j["user_id"] = u.user_id;
  j["trust_score"] = profile.trust_score;
  j["created_at"] = u.created_at.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(u.created_at);
  j["last_active"] = u.last_active.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(u.last_active);
  nlohmann::ordered_json progress = nlohmann::ordered_json::object();
  for (const auto& [date, p] : u.daily_progress) progress[date] = DailyProgressToJson(p);
  j["daily_progress"] = std::move(progress);
  j["current_daily_streak"] = profile.current_streak;
  j["best_daily_streak"] = profile.best_streak;
  j["total_answers"] = u.total_answers;
  j["correct_answers"] = u.correct_answers;
  j["reliability"] = reliability ? nlohmann::ordered_json(*reliability) : nlohmann::ordered_json();
  return j;
}

}  // namespace

HttpResponse Api::UserProfile(Context& ctx) {
  auto profile = services_.game->Profile(ctx.caller.user_id, TodayFromMs(ctx.now_ms));
  if (!profile.ok()) return Error(ctx, profile.error());
  return Json(ctx, 200, JsonText(ProfileJson(*profile, Reliability(ctx.caller.user_id))));
}

}  // namespace truthbyte
