#include "cli/app.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace truthbyte::cli {
namespace {

// "--cors-origins" -> "TRUTHBYTE_CORS_ORIGINS": every option can come from
// the environment (SPEC section 2).
std::string EnvName(const std::string& flag) {
  std::string name = "TRUTHBYTE_";
  for (char c : flag.substr(flag.find_first_not_of('-'))) {
    name.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return name;
}

template <typename T>
CLI::Option* AddOption(CLI::App* app, const std::string& flag, T& value, const std::string& help) {
  return app->add_option(flag, value, help)->envname(EnvName(flag));
}

CLI::Option* AddFlag(CLI::App* app, const std::string& flag, bool& value, const std::string& help) {
  return app->add_flag(flag, value, help)->envname(EnvName(flag));
}

}  // namespace

int RunTruthbyte(int argc, char** argv) {
  CLI::App app{"TruthByte: the backend of a crowdsourced \"True or False?\" game.", "truthbyte"};
  app.set_version_flag("--version", TRUTHBYTE_VERSION);
  app.require_subcommand(1);
  app.fallthrough();

  StoreOptions store;
  AddOption(&app, "--store", store.url, "Where the data lives: sqlite:PATH or dynamodb:")->capture_default_str();
  AddOption(&app, "--env", store.env, "Environment (DynamoDB table prefix)")->capture_default_str();
  AddOption(&app, "--region", store.region, "AWS region for the dynamodb store");
  AddOption(&app, "--endpoint", store.endpoint, "DynamoDB endpoint URL (for local engines)");

  int exit_code = 0;

  auto* init = app.add_subcommand("init", "Create the storage schema (idempotent)");
  init->callback([&] { exit_code = RunInit(store, std::cout); });

  ImportOptions import_options;
  bool import_starter = false;
  std::string import_what = "questions";
  auto* import = app.add_subcommand("import", "Load questions (upsert by id) or answers from JSON Lines files");
  import->add_option("files", import_options.files, "Files in BoolQ, seed, curated or full format, or of answers");
  AddOption(import, "--what", import_what, "questions, or answers: {user_id, question_id, answer, timestamp?}")
      ->check(CLI::IsMember({"questions", "answers"}))
      ->capture_default_str();
  AddFlag(import, "--strict", import_options.strict, "Abort on the first bad line and import nothing");
  AddFlag(import, "--starter", import_starter, "Also import the bundled starter questions");
  import->callback([&] {
    if (import_what == "answers") {
      if (import_starter || import_options.files.empty()) {
        exit_code = Fail(import_starter ? "--starter imports questions, not answers" : "import needs at least one FILE");
        return;
      }
      exit_code = RunAnswerImport(store, import_options, std::cout);
      return;
    }
    if (import_starter) import_options.files.insert(import_options.files.begin(), StarterQuestionsPath());
    if (import_options.files.empty()) {
      exit_code = Fail("import needs at least one FILE (or --starter)");
      return;
    }
    exit_code = RunImport(store, import_options, std::cout);
  });

  ExportOptions export_options;
  auto* exp = app.add_subcommand("export", "Write questions, answers, users, submissions, judgments or resolutions as JSON Lines");
  AddOption(exp, "--what", export_options.what,
            "questions, answers (with each player's reliability), users, submissions, or judgments (the crowd "
            "label of every question), or resolutions (every reviewer's decision on a disputed label)")
      ->check(CLI::IsMember({"questions", "answers", "users", "submissions", "judgments", "resolutions"}))
      ->capture_default_str();
  AddOption(exp, "--label-prior", export_options.label_prior,
            "With --what judgments or answers: the crowd model's label prior (as crowd analyze)")
      ->capture_default_str();
  AddOption(exp, "--out", export_options.out_path, "Write to FILE instead of standard output");
  AddOption(exp, "--question", export_options.question_id,
            "With --what answers: only the answers to this question id");
  exp->callback([&] { exit_code = RunExport(store, export_options, std::cout); });

  bool categories_json = false;
  auto* categories = app.add_subcommand("categories", "List categories with their question counts");
  AddFlag(categories, "--json", categories_json, "Print JSON");
  categories->callback([&] { exit_code = RunCategories(store, categories_json, std::cout); });

  std::string daily_date;
  bool daily_json = false;
  auto* daily = app.add_subcommand("daily", "Print a day's challenge (frozen at first use)");
  AddOption(daily, "--date", daily_date, "UTC date YYYY-MM-DD (default: today)");
  AddFlag(daily, "--json", daily_json, "Print JSON");
  daily->callback([&] { exit_code = RunDaily(store, daily_date, daily_json, std::cout); });

  auto* reindex = app.add_subcommand("reindex", "Rebuild the category index and counts from the questions");
  reindex->callback([&] { exit_code = RunReindex(store, std::cout); });

  GenerateOptions generate;
  auto* gen = app.add_subcommand("gen-questions", "Write N synthetic questions (full format) for benchmarks");
  gen->add_option("N", generate.count, "How many questions")->required()->check(CLI::Range(0LL, 100000000LL));
  AddOption(gen, "--seed", generate.seed, "Seed; the same seed gives the same questions")->capture_default_str();
  AddOption(gen, "--prefix", generate.id_prefix, "Id prefix")->capture_default_str();
  AddOption(gen, "--out", generate.out_path, "Write to FILE instead of standard output");
  gen->callback([&] { exit_code = RunGenerate(generate, std::cout); });

  ServeOptions serve_options;
  auto* serve = app.add_subcommand("serve", "Run the HTTP/JSON API v1");
  AddOption(serve, "--host", serve_options.host, "Address to listen on")->capture_default_str();
  AddOption(serve, "--port", serve_options.port, "Port to listen on (0 picks a free one)")->capture_default_str();
  AddOption(serve, "--threads", serve_options.threads, "Worker threads (0: one per core)")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  AddFlag(serve, "--demo", serve_options.demo, "Import the bundled starter questions first if the store has none");
  AddFlag(serve, "--debug", serve_options.debug, "Add debug_info (the query strategy) to question responses");
  AddOption(serve, "--cors-origins", serve_options.cors_origins, "Origins allowed by CORS (comma-separated; * for any)")
      ->delimiter(',')
      ->capture_default_str();
  AddOption(serve, "--catalog-refresh", serve_options.catalog_refresh,
            "Seconds between checks for questions changed by other processes")
      ->check(CLI::Range(0.05, 3600.0))
      ->capture_default_str();
  AddOption(serve, "--catalog-full-refresh", serve_options.catalog_full_refresh,
            "Seconds between full catalog reloads, for questions written by other tools (0: never)")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  AddOption(serve, "--session-rate-limit", serve_options.session_rate_limit, "GET /v1/session per IP per hour")
      ->check(CLI::Range(1LL, 1000000000LL))
      ->capture_default_str();
  AddOption(serve, "--user-rate-limit", serve_options.user_rate_limit, "Protected calls per user per hour")
      ->check(CLI::Range(1LL, 1000000000LL))
      ->capture_default_str();
  AddOption(serve, "--request-timeout", serve_options.request_timeout,
            "Seconds to receive a request (and to keep an idle connection)")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  AddOption(serve, "--daily-window", serve_options.daily_window,
            "Days back a past daily challenge is still stored when first asked for")
      ->check(CLI::Range(0, 36500))
      ->capture_default_str();
  AddOption(serve, "--trust-proxy", serve_options.trust_proxy,
            "Believe X-Forwarded-For/Forwarded from these peers: a number of proxy hops, or trusted CIDR networks "
            "(comma-separated); off by default");
  AddOption(serve, "--crowd-refit", serve_options.crowd_refit,
            "Seconds between background refits of the crowd model while answers arrive (0: off)")
      ->capture_default_str();
  AddOption(serve, "--label-prior", serve_options.label_prior,
            "P(true) a question's label gives the crowd model before any answer")
      ->capture_default_str();
  AddOption(serve, "--min-answer-ms", serve_options.min_answer_ms,
            "Answers given faster than this are recorded but kept out of the crowd model (0: off)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{600000}))
      ->capture_default_str();
  AddOption(serve, "--max-judgments-per-hour", serve_options.max_judgments_per_hour,
            "A player's answers beyond this many an hour are recorded but kept out of the crowd model (0: off)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1000000}))
      ->capture_default_str();
  serve->callback([&] { exit_code = RunServe(store, serve_options, std::cout); });

  bool token_admin = false;
  double token_hours = 12;
  auto* crowd = app.add_subcommand("crowd", "Crowd truth: the players' answers as judgments of the labels");
  crowd->require_subcommand(1);
  double label_prior = 0.9;
  bool crowd_json = false;
  auto* analyze = crowd->add_subcommand("analyze", "Fit the crowd model to every answer and summarise it");
  AddOption(analyze, "--label-prior", label_prior,
            "P(true) a question's label gives before any answer (0.5: the label carries no information)")
      ->capture_default_str();
  AddFlag(analyze, "--json", crowd_json, "Print JSON (with every disputed question)");
  analyze->callback([&] { exit_code = RunCrowdAnalyze(store, label_prior, crowd_json, std::cout); });
  std::string resolve_id, resolve_action, resolve_reviewer = "operator", resolve_notes;
  auto* resolve = crowd->add_subcommand("resolve", "Decide a disputed label: keep it, flip it or retire the question");
  resolve->add_option("QUESTION_ID", resolve_id, "Question id")->required();
  AddOption(resolve, "--action", resolve_action, "keep, flip or retire")->required();
  AddOption(resolve, "--reviewer", resolve_reviewer, "Reviewer name recorded with the decision")->capture_default_str();
  AddOption(resolve, "--notes", resolve_notes, "Reviewer notes");
  resolve->callback([&] {
    exit_code = RunCrowdResolve(store, resolve_id, resolve_action, resolve_reviewer, resolve_notes, std::cout);
  });
  SimulateOptions simulate;
  auto* sim = crowd->add_subcommand(
      "simulate", "Play a simulated crowd through the game on a question file and score the disputed labels");
  AddOption(sim, "--questions", simulate.questions_path, "Question file (JSON Lines, any import format)");
  AddOption(sim, "--flip", simulate.flip, "Share of the labels flipped before play")->capture_default_str();
  AddOption(sim, "--answers-per-question", simulate.answers_per_question, "The answer budget, per question on average")
      ->capture_default_str();
  AddOption(sim, "--players", simulate.players, "How many players")->capture_default_str();
  AddOption(sim, "--bad-players", simulate.bad_players, "Share of random or adversarial players (half each)")
      ->capture_default_str();
  AddOption(sim, "--choice", simulate.choice, "adaptive (fetch-questions mode=label) or uniform (mode=random)")
      ->capture_default_str();
  AddOption(sim, "--label-prior", simulate.label_prior, "The crowd model's label prior (as crowd analyze)")
      ->capture_default_str();
  AddOption(sim, "--refit-every", simulate.refit_every, "Answers between refits of the crowd model (0: a fiftieth of the budget)")
      ->capture_default_str();
  AddOption(sim, "--seed", simulate.seed, "Seed; the same seed gives the same run")->capture_default_str();
  AddFlag(sim, "--json", simulate.json, "Print JSON");
  sim->callback([&] {
    exit_code = RunCrowdSimulate(store, app.get_option("--store")->count() > 0, simulate, std::cout);
  });

  auto* token = app.add_subcommand("token", "Print an admin access token (for moderation over HTTP)");
  AddFlag(token, "--admin", token_admin, "An admin token (required)");
  AddOption(token, "--hours", token_hours, "Lifetime in hours")->check(CLI::Range(0.01, 24.0 * 365))->capture_default_str();
  token->callback([&] { exit_code = RunToken(store, token_admin, token_hours, std::cout); });

  auto* moderate = app.add_subcommand("moderate", "The moderation queue of proposed questions");
  moderate->require_subcommand(1);
  int list_limit = 100;
  auto* mod_list = moderate->add_subcommand("list", "List pending submissions, oldest first");
  AddOption(mod_list, "--limit", list_limit, "At most this many")->check(CLI::Range(1, 10000))->capture_default_str();
  mod_list->callback([&] { exit_code = RunModerateList(store, list_limit, std::cout); });
  std::string decide_id, reviewer = "operator", notes;
  auto* approve = moderate->add_subcommand("approve", "Approve a submission and publish its question");
  approve->add_option("ID", decide_id, "Submission id")->required();
  AddOption(approve, "--reviewer", reviewer, "Reviewer name recorded with the decision")->capture_default_str();
  AddOption(approve, "--notes", notes, "Reviewer notes");
  approve->callback([&] { exit_code = RunModerateDecide(store, decide_id, true, reviewer, notes, std::cout); });
  auto* reject = moderate->add_subcommand("reject", "Reject a submission");
  reject->add_option("ID", decide_id, "Submission id")->required();
  AddOption(reject, "--reviewer", reviewer, "Reviewer name recorded with the decision")->capture_default_str();
  AddOption(reject, "--notes", notes, "Reviewer notes");
  reject->callback([&] { exit_code = RunModerateDecide(store, decide_id, false, reviewer, notes, std::cout); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::cerr << "truthbyte: " << e.what() << "\nRun 'truthbyte --help' for usage." << std::endl;
    return 2;
  }
  return exit_code;
}

}  // namespace truthbyte::cli
