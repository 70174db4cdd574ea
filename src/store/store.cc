#include "store/store.h"

namespace truthbyte {

Result<UserDay> Store::GetUserDay(const std::string& user_id, const std::string& date) {
  auto user = GetUser(user_id);
  if (!user.ok()) return user.status();
  UserDay day;
  if (!*user) return day;
  day.exists = true;
  day.streak = (*user)->streak;
  if (auto it = (*user)->daily_progress.find(date); it != (*user)->daily_progress.end())
    day.progress = std::move(it->second);
  return day;
}

}  // namespace truthbyte
