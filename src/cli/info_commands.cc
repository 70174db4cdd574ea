// init, categories, daily, reindex, gen-questions and shared helpers.

#include <unistd.h>

#include <chrono>
#include <climits>
#include <filesystem>
#include <iostream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/terminal.h"
#include "core/question_format.h"
#include "core/question_generator.h"
#include "service/daily_challenges.h"
#include "store/sqlite_store.h"

namespace truthbyte::cli {

int Fail(const std::string& message) {
  std::cerr << "truthbyte: " << message << std::endl;
  return 1;
}

int Fail(const Status& status) { return Fail(status.message()); }

std::int64_t NowUnixMs() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
}

std::string NowIso() { return FormatTimestampMs(NowUnixMs()); }

CivilDate TodayUtc() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return CivilDate::FromUnixSeconds(std::chrono::duration_cast<std::chrono::seconds>(now).count());
}

std::string StarterQuestionsPath() {
  if (const char* env = std::getenv("TRUTHBYTE_STARTER_FILE"); env && *env) return env;
  char exe[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    const auto installed =
        std::filesystem::path(exe).parent_path().parent_path() / "share/truthbyte/starter_questions.jsonl";
    std::error_code ec;
    if (std::filesystem::exists(installed, ec)) return installed.string();
  }
  return TRUTHBYTE_STARTER_QUESTIONS;
}

int RunInit(const StoreOptions& store_options, std::ostream& out) {
  auto store = OpenStore(store_options);
  if (!store.ok()) return Fail(store.status());
  if (Status s = (*store)->Init(); !s.ok()) return Fail(s);
  for (const std::string& note : (*store)->InitNotes()) out << note << '\n';
  if (store_options.url.rfind("sqlite:", 0) == 0) {
    out << fmt::format("{} is ready (schema version {})\n", (*store)->Describe(), SqliteSchemaVersion());
  } else {
    out << fmt::format("{} is ready: all twelve tables are active\n", (*store)->Describe());
  }
  return 0;
}

int RunCategories(const StoreOptions& store_options, bool json, std::ostream& out) {
  auto store = OpenStore(store_options);
  if (!store.ok()) return Fail(store.status());
  auto categories = (*store)->ListCategories();
  if (!categories.ok()) return Fail(categories.status());
  auto total = (*store)->CountQuestions();
  if (!total.ok()) return Fail(total.status());
  if (json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& c : *categories)
      list.push_back({{"name", c.name}, {"display_name", c.display_name}, {"count", c.count}});
    nlohmann::ordered_json doc;
    doc["categories"] = std::move(list);
    doc["total_categories"] = categories->size();
    doc["total_questions"] = *total;
    out << doc.dump(2) << '\n';
    return 0;
  }
  std::size_t width = 8;
  for (const auto& c : *categories) width = std::max(width, c.name.size());
  out << fmt::format("{:<{}}  {:>9}\n", "CATEGORY", width, "QUESTIONS");
  for (const auto& c : *categories) out << fmt::format("{:<{}}  {:>9}\n", c.name, width, c.count);
  out << fmt::format("{} categories, {} questions\n", categories->size(), *total);
  return 0;
}

int RunDaily(const StoreOptions& store_options, const std::string& date_text, bool json, std::ostream& out) {
  const CivilDate today = TodayUtc();
  CivilDate date = today;
  if (!date_text.empty()) {
    auto parsed = CivilDate::Parse(date_text);
    if (!parsed) return Fail("--date must be a real date as YYYY-MM-DD, not \"" + date_text + "\"");
    date = *parsed;
  }
  auto store = OpenStore(store_options);
  if (!store.ok()) return Fail(store.status());
  // A day that has started is frozen on first use, by the server or here;
  // a future day is only previewed, so later imports still count for it.
  const bool started = date <= today;
  auto view = GetDailyChallenge(**store, date, started);
  if (!view.ok()) return Fail(view.status());
  auto questions = (*store)->GetQuestions(view->challenge.question_ids);
  if (!questions.ok()) return Fail(questions.status());

  if (json) {
    nlohmann::ordered_json doc;
    doc["date"] = view->challenge.date;
    doc["frozen"] = view->frozen;
    doc["question_ids"] = view->challenge.question_ids;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& q : *questions) list.push_back(QuestionToJson(q));
    doc["questions"] = std::move(list);
    out << doc.dump(2) << '\n';
    return 0;
  }
  if (view->challenge.question_ids.empty()) {
    out << fmt::format("No daily challenge for {}: no questions of difficulty 1-4 yet\n", view->challenge.date);
    return 0;
  }
  out << fmt::format("Daily challenge for {} ({}, {} questions)\n", view->challenge.date,
                     view->frozen ? "frozen" : "preview: frozen when the day starts",
                     view->challenge.question_ids.size());
  std::size_t width = 2;
  for (const auto& id : view->challenge.question_ids) width = std::max(width, id.size());
  int n = 0;
  for (const auto& id : view->challenge.question_ids) {
    auto it = std::find_if(questions->begin(), questions->end(), [&](const Question& q) { return q.id == id; });
    if (it == questions->end()) {
      out << fmt::format("{:>2}. {:<{}}  (question no longer in the store)\n", ++n, id, width);
      continue;
    }
    out << fmt::format("{:>2}. {:<{}}  [difficulty {}] {}\n", ++n, id, width, it->difficulty, it->question);
  }
  return 0;
}

int RunReindex(const StoreOptions& store_options, std::ostream& out) {
  auto store = OpenStore(store_options);
  if (!store.ok()) return Fail(store.status());
  if (Status s = (*store)->RebuildCategoryIndex(); !s.ok()) return Fail(s);
  auto categories = (*store)->ListCategories();
  if (!categories.ok()) return Fail(categories.status());
  out << fmt::format("rebuilt the category index: {} categories\n", categories->size());
  return 0;
}

int RunGenerate(const GenerateOptions& options, std::ostream& out) {
  OutputTarget target(out, options.out_path);
  if (Status st = target.Open(); !st.ok()) return Fail(st);
  std::ostream* os = &target.stream();
  QuestionGenerator generator(options.seed, options.id_prefix);
  ProgressBar bar("generating", static_cast<std::uint64_t>(options.count));
  std::string buffer;
  for (std::int64_t i = 0; i < options.count; ++i) {
    buffer += QuestionToJsonLine(generator.Generate(static_cast<std::uint64_t>(i)));
    buffer += '\n';
    if (buffer.size() > (1 << 20)) {
      os->write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
      bar.Update(static_cast<std::uint64_t>(i + 1), static_cast<std::uint64_t>(i + 1));
    }
  }
  os->write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  bar.Finish();
  if (Status st = target.Finish(); !st.ok()) return Fail(st);
  return 0;
}

}  // namespace truthbyte::cli
