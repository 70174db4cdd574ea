#include "store/dynamodb/dynamodb_store.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "core/civil_date.h"
#include "core/question_format.h"
#include "core/record_json.h"
#include "core/text.h"
#include "store/dynamodb/attribute_value.h"

namespace truthbyte {
namespace {

using nlohmann::json;
using dynamodb::FromItem;
using dynamodb::ToAttributeValue;
using dynamodb::ToItem;

constexpr std::size_t kBatchGetLimit = 100;
constexpr std::size_t kBatchWriteLimit = 25;
constexpr int kFallbackScanPages = 3;
// Settings and the questions version live in rate-limits under this prefix,
// without expiry (the seed's nine tables have no settings table).
constexpr const char* kSettingPrefix = "setting:";
constexpr const char* kQuestionsVersionKey = "setting:questions_version";

// A part of the stored crowd fit: well below the 400 KB item limit.
constexpr std::size_t kCrowdFitPartBytes = 350 * 1000;

std::int64_t NowMs() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
}

std::string NowIso() { return FormatTimestampMs(NowMs()); }

json QuestionItem(const Question& q) {
  json item = {{"id", q.id},         {"question", q.question},     {"title", q.title},
               {"passage", q.passage}, {"answer", q.answer},        {"categories", q.categories},
               {"difficulty", q.difficulty}, {"tags", q.tags},     {"created_at", q.created_at},
               {"source", q.source}};
  return item;
}

// Items written by other tools may miss fields or use the seed's legacy
// shapes; QuestionFromJson applies the same precedence rules as imports.
Result<Question> QuestionFromItem(const json& plain) { return QuestionFromJson(plain); }

std::string Str(const json& item, const char* key) {
  auto it = item.find(key);
  return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t Int(const json& item, const char* key) {
  auto it = item.find(key);
  if (it == item.end() || !it->is_number()) return 0;
  return it->is_number_integer() ? it->get<std::int64_t>() : static_cast<std::int64_t>(it->get<double>());
}

// A boolean attribute; false when absent or of another type (json::value
// would throw on a number or a string written by another tool).
bool Bool(const json& item, const char* key) {
  auto it = item.find(key);
  return it != item.end() && it->is_boolean() && it->get<bool>();
}

// A daily-progress entry as we write it, or in the seed's shorter shape
// ({answers, completed_at}): the missing numbers are derived.
DailyProgress ProgressFromItem(const std::string& date, const json& value) {
  DailyProgress p;
  if (DailyProgressFromJson(date, value, &p).ok()) return p;
  p = DailyProgress{};
  p.date = date;
  if (value.is_object()) {
    if (auto a = value.find("answers"); a != value.end() && a->is_array()) {
      for (const auto& e : *a) {
        if (!e.is_object()) continue;
        DailyAnswer d;
        d.question_id = Str(e, "question_id");
        d.answer = Bool(e, "answer");
        d.is_correct = Bool(e, "is_correct");
        d.timestamp = e.contains("timestamp") && e["timestamp"].is_number() ? e["timestamp"].get<double>() : 0;
        p.correct_count += d.is_correct;
        p.answers.push_back(std::move(d));
      }
    }
    p.completed_at = value.contains("completed_at") && value["completed_at"].is_string()
                         ? value["completed_at"].get<std::string>()
                         : std::string();
  }
  p.total_questions = static_cast<int>(p.answers.size());
  DailyScore score = ScoreDaily(p.correct_count, p.total_questions);
  p.score = score.percentage;
  p.rank = std::string(1, score.rank);
  return p;
}

Submission SubmissionFromItem(const json& item) {
  Submission s;
  s.id = Str(item, "id");
  s.question = Str(item, "question");
  s.title = Str(item, "title");
  s.passage = Str(item, "passage");
  auto answer = item.find("answer");
  if (answer == item.end()) answer = item.find("suggested_answer");  // the seed's name
  s.answer = answer != item.end() && answer->is_boolean() && answer->get<bool>();
  // Ours are stored as given; the seed's legacy "tags" are normalised.
  for (const char* key : {"categories", "tags"}) {
    auto it = item.find(key);
    if (it == item.end() || !it->is_array()) continue;
    for (const auto& c : *it)
      if (c.is_string()) s.categories.push_back(c.get<std::string>());
    if (s.categories.empty()) continue;
    if (std::string(key) == "tags") s.categories = NormaliseCategories(s.categories);
    break;
  }
  s.difficulty = item.contains("difficulty") ? static_cast<int>(Int(item, "difficulty")) : 3;
  s.author = Str(item, "author");
  if (s.author.empty()) s.author = Str(item, "submitter_id");
  s.status = ParseSubmissionStatus(Str(item, "status")).value_or(SubmissionStatus::kPending);
  s.submitted_at = Str(item, "submitted_at");
  if (s.submitted_at.empty()) s.submitted_at = Str(item, "created_at");
  s.reviewed_at = Str(item, "reviewed_at");
  s.reviewer_id = Str(item, "reviewer_id");
  s.reviewer_notes = Str(item, "reviewer_notes");
  s.approved_question_id = Str(item, "approved_question_id");
  return s;
}

json SubmissionItem(const Submission& s) {
  json item = {{"id", s.id},
               {"question", s.question},
               {"title", s.title},
               {"passage", s.passage},
               {"answer", s.answer},
               {"categories", s.categories},
               {"difficulty", s.difficulty},
               {"author", s.author},
               {"status", SubmissionStatusName(s.status)},
               {"submitted_at", s.submitted_at},
               {"normalised_question", NormaliseQuestionText(s.question)}};
  for (const auto& [k, v] : {std::pair<const char*, const std::string*>{"reviewed_at", &s.reviewed_at},
                             {"reviewer_id", &s.reviewer_id},
                             {"reviewer_notes", &s.reviewer_notes},
                             {"approved_question_id", &s.approved_question_id}})
    if (!v->empty()) item[k] = *v;
  return item;
}

class DynamoDbStore final : public Store {
 public:
  explicit DynamoDbStore(const DynamoDbOptions& options)
      : env_(options.env), client_(options.client) {}

  std::string Describe() const override {
    return "dynamodb:" + env_ + "@" +
           (client_.options().endpoint.empty() ? client_.options().region : client_.options().endpoint);
  }

  std::vector<std::string> InitNotes() const override {
    std::lock_guard lock(notes_mu_);
    return notes_;
  }

  QueryStrategyCounts QueryStrategies() const override {
    return {category_index_.load(), scan_fallback_.load()};
  }

  std::vector<std::pair<std::string, double>> EngineMetrics() const override {
    const dynamodb::ClientStats& s = client_.stats();
    return {{"truthbyte_dynamodb_calls_total", static_cast<double>(s.calls.load())},
            {"truthbyte_dynamodb_http_requests_total", static_cast<double>(s.attempts.load())},
            {"truthbyte_dynamodb_retries_total", static_cast<double>(s.retries.load())},
            {"truthbyte_dynamodb_failures_total", static_cast<double>(s.failures.load())}};
  }

  // ---- Schema -------------------------------------------------------------

  Status Init() override {
    struct Index {
      const char* name;
      const char* hash;
      const char* range;  // may be null
    };
    struct TableSpec {
      const char* table;
      const char* hash;
      const char* range;
      std::vector<Index> indexes;
    };
    const std::vector<TableSpec> specs = {
        {"questions", "id", nullptr, {}},
        {"question-categories", "category", "question_id", {}},
        {"categories", "name", nullptr, {}},
        {"answers", "user_id", "question_id", {{"question_id-index", "question_id", nullptr}}},
        {"sessions", "session_id", nullptr, {{"ip-hash-index", "ip_hash", nullptr}}},
        {"submitted-questions",
         "id",
         nullptr,
         {{"author-index", "author", "submitted_at"}, {"status-index", "status", "submitted_at"}}},
        {"users", "user_id", nullptr, {}},
        {"daily-challenges", "date", nullptr, {}},
        {"rate-limits", "key", nullptr, {}},
        {"resolutions", "question_id", "resolved_at", {}},
        {"served", "user_id", "question_id", {}},
        {"crowd-fit", "part", nullptr, {}},
    };
    std::vector<std::string> notes;
    for (const TableSpec& spec : specs) {
      std::set<std::string> attributes{spec.hash};
      json keys = json::array({{{"AttributeName", spec.hash}, {"KeyType", "HASH"}}});
      if (spec.range) {
        keys.push_back({{"AttributeName", spec.range}, {"KeyType", "RANGE"}});
        attributes.insert(spec.range);
      }
      json request = {{"TableName", Table(spec.table)}, {"KeySchema", keys}, {"BillingMode", "PAY_PER_REQUEST"}};
      if (!spec.indexes.empty()) {
        json gsis = json::array();
        for (const Index& index : spec.indexes) {
          json ks = json::array({{{"AttributeName", index.hash}, {"KeyType", "HASH"}}});
          attributes.insert(index.hash);
          if (index.range) {
            ks.push_back({{"AttributeName", index.range}, {"KeyType", "RANGE"}});
            attributes.insert(index.range);
          }
          gsis.push_back({{"IndexName", index.name}, {"KeySchema", ks}, {"Projection", {{"ProjectionType", "ALL"}}}});
        }
        request["GlobalSecondaryIndexes"] = gsis;
      }
      json definitions = json::array();
      for (const std::string& a : attributes) definitions.push_back({{"AttributeName", a}, {"AttributeType", "S"}});
      request["AttributeDefinitions"] = definitions;
      auto created = client_.Call("CreateTable", request);
      if (!created.ok() && created.status().code() != StatusCode::kAlreadyExists) return created.status();
    }
    for (const TableSpec& spec : specs) TB_RETURN_IF_ERROR(WaitActive(Table(spec.table)));

    // Rate-limit counters carry their own expiry and the code ignores
    // expired ones; TTL only tidies the table.
    auto ttl = client_.Call("UpdateTimeToLive",
                            {{"TableName", Table("rate-limits")},
                             {"TimeToLiveSpecification", {{"Enabled", true}, {"AttributeName", "expires_at"}}}});
    if (ttl.ok()) {
      notes.push_back("TTL is on for " + Table("rate-limits") + " (attribute expires_at)");
    } else if (ttl.status().message().find("already enabled") != std::string::npos ||
               ttl.status().message().find("TimeToLive is already") != std::string::npos) {
      notes.push_back("TTL was already on for " + Table("rate-limits"));
    } else {
      notes.push_back("TTL skipped for " + Table("rate-limits") + ": the endpoint does not support it (" +
                      ttl.status().message() + "); expired counters are ignored anyway");
    }
    std::lock_guard lock(notes_mu_);
    notes_ = std::move(notes);
    return Status::Ok();
  }

  // ---- Questions ----------------------------------------------------------

  Status UpsertQuestions(std::span<const Question> questions, UpsertCounts* counts) override {
    // The last version of each id in the batch wins, as in a sequential upsert.
    std::map<std::string, const Question*> latest;
    std::vector<std::string> order;
    for (const Question& q : questions) {
      if (!latest.count(q.id)) order.push_back(q.id);
      latest[q.id] = &q;
    }
    std::map<std::string, Question> existing;
    TB_RETURN_IF_ERROR(LoadQuestions(order, &existing));

    // Counted as a sequential upsert would: each copy against the version
    // before it (stored, or earlier in the batch).
    UpsertCounts local;
    std::map<std::string, const Question*> current;
    for (const Question& q : questions) {
      auto before = current.find(q.id);
      const Question* prior = before != current.end() ? before->second
                              : existing.count(q.id)  ? &existing.at(q.id)
                                                      : nullptr;
      if (prior && prior->SameContent(q)) {
        ++local.unchanged;
      } else {
        ++(prior ? local.updated : local.inserted);
      }
      current[q.id] = &q;
    }
    std::vector<json> index_puts, question_puts, index_deletes;
    std::map<std::string, std::int64_t> deltas;
    const std::string now = NowIso();
    for (const std::string& id : order) {
      const Question& q = *latest[id];
      auto old = existing.find(id);
      if (old != existing.end() && old->second.SameContent(q)) continue;
      Question row = q;
      if (old != existing.end()) {
        row.created_at = old->second.created_at.empty() ? now : old->second.created_at;
        if (row.source.empty()) row.source = old->second.source;
      } else if (row.created_at.empty()) {
        row.created_at = now;
      }
      PlanIndexChanges(row, old == existing.end() ? nullptr : &old->second, &index_puts, &index_deletes, &deltas);
      question_puts.push_back(ToItem(QuestionItem(row)));
    }
    if (question_puts.empty()) {
      if (counts) AddCounts(counts, local);
      return Status::Ok();
    }
    // Safe order: index rows first (a reader may see an id whose question is
    // not written yet and skips it), then the questions, then removals,
    // then counts, then the version stamp. Every step is idempotent but the
    // counts; `reindex` repairs them after a crash.
    TB_RETURN_IF_ERROR(BatchWrite(Table("question-categories"), index_puts, "PutRequest"));
    TB_RETURN_IF_ERROR(BatchWrite(Table("questions"), question_puts, "PutRequest"));
    TB_RETURN_IF_ERROR(BatchWrite(Table("question-categories"), index_deletes, "DeleteRequest"));
    TB_RETURN_IF_ERROR(ApplyCountDeltas(deltas));
    TB_RETURN_IF_ERROR(BumpQuestionsVersion());
    if (counts) AddCounts(counts, local);
    return Status::Ok();
  }

  Result<std::vector<Question>> GetQuestions(std::span<const std::string> ids) override {
    std::vector<std::string> unique;
    std::set<std::string> seen;
    for (const std::string& id : ids)
      if (seen.insert(id).second) unique.push_back(id);
    std::map<std::string, Question> found;
    TB_RETURN_IF_ERROR(LoadQuestions(unique, &found));
    std::vector<Question> out;
    for (const std::string& id : ids) {
      auto it = found.find(id);
      if (it != found.end()) out.push_back(it->second);
    }
    return out;
  }

  Status ScanQuestions(const Visitor<Question>& visit) override {
    return SortedScan<Question>(
        "questions",
        [](const json& item, std::vector<Question>* all) {
          auto q = QuestionFromItem(item);
          if (q.ok()) all->push_back(std::move(*q));  // items no importer would accept are skipped
        },
        [](const Question& a, const Question& b) { return a.id < b.id; }, visit);
  }

  Result<std::int64_t> CountQuestions() override {
    std::int64_t n = 0;
    TB_RETURN_IF_ERROR(ScanTable(Table("questions"), {{"ProjectionExpression", "id"}}, [&](const json&) {
      ++n;
      return Status::Ok();
    }));
    return n;
  }

  Result<std::vector<std::string>> ListQuestionIds(int min_difficulty, int max_difficulty) override {
    std::vector<std::string> ids;
    TB_RETURN_IF_ERROR(ScanQuestions([&](const Question& q) {
      if (q.difficulty >= min_difficulty && q.difficulty <= max_difficulty) ids.push_back(q.id);
      return Status::Ok();
    }));
    return ids;
  }

  Result<CategoryIds> QueryCategoryIndex(const std::string& category, std::optional<int> difficulty) override {
    std::vector<std::string> ids;
    json request = {{"TableName", Table("question-categories")},
                    {"KeyConditionExpression", "#c = :c"},
                    {"ExpressionAttributeNames", {{"#c", "category"}}},
                    {"ExpressionAttributeValues", {{":c", ToAttributeValue(category)}}}};
    if (difficulty) {
      request["FilterExpression"] = "#d = :d";
      request["ExpressionAttributeNames"]["#d"] = "difficulty";
      request["ExpressionAttributeValues"][":d"] = ToAttributeValue(*difficulty);
    }
    Status s = Paginate("Query", request, -1, [&](const json& item) {
      ids.push_back(Str(item, "question_id"));
      return Status::Ok();
    });
    if (s.ok()) {
      category_index_.fetch_add(1);
      std::sort(ids.begin(), ids.end());
      return CategoryIds{std::move(ids), QueryStrategy::kCategoryIndex};
    }
    // The seed's fallback: a filtered scan of questions, at most 3 pages.
    scan_fallback_.fetch_add(1);
    ids.clear();
    json scan = {{"TableName", Table("questions")}, {"ProjectionExpression", "#i, #d, #cs"},
                 {"ExpressionAttributeNames", {{"#i", "id"}, {"#d", "difficulty"}, {"#cs", "categories"}}}};
    if (category != kGeneralCategory) {
      scan["FilterExpression"] = "contains(#cs, :c)";
      scan["ExpressionAttributeValues"] = {{":c", ToAttributeValue(category)}};
    }
    TB_RETURN_IF_ERROR(Paginate("Scan", scan, kFallbackScanPages, [&](const json& item) {
      if (!difficulty || Int(item, "difficulty") == *difficulty) ids.push_back(Str(item, "id"));
      return Status::Ok();
    }));
    std::sort(ids.begin(), ids.end());
    return CategoryIds{std::move(ids), QueryStrategy::kScanFallback};
  }

  Result<std::vector<CategoryCount>> ListCategories() override {
    std::vector<CategoryCount> out;
    TB_RETURN_IF_ERROR(ScanTable(Table("categories"), json::object(), [&](const json& item) {
      CategoryCount c{Str(item, "name"), Str(item, "display_name"), Int(item, "count")};
      if (c.display_name.empty()) c.display_name = CategoryDisplayName(c.name);
      if (c.count > 0) out.push_back(std::move(c));
      return Status::Ok();
    }));
    std::sort(out.begin(), out.end(), [](const CategoryCount& a, const CategoryCount& b) {
      return a.count != b.count ? a.count > b.count : a.name < b.name;
    });
    return out;
  }

  Status RebuildCategoryIndex() override {
    std::map<std::pair<std::string, std::string>, int> wanted;  // (category, id) -> difficulty
    std::map<std::string, std::int64_t> counts;
    TB_RETURN_IF_ERROR(ScanQuestions([&](const Question& q) {
      for (const std::string& c : q.categories) {
        wanted[{c, q.id}] = q.difficulty;
        ++counts[c];
      }
      return Status::Ok();
    }));
    std::vector<json> deletes;
    std::set<std::pair<std::string, std::string>> present;
    std::map<std::pair<std::string, std::string>, std::int64_t> present_difficulty;
    TB_RETURN_IF_ERROR(ScanTable(Table("question-categories"), json::object(), [&](const json& item) {
      std::pair<std::string, std::string> key{Str(item, "category"), Str(item, "question_id")};
      present.insert(key);
      present_difficulty[key] = Int(item, "difficulty");
      if (!wanted.count(key))
        deletes.push_back({{"category", ToAttributeValue(key.first)}, {"question_id", ToAttributeValue(key.second)}});
      return Status::Ok();
    }));
    std::vector<json> puts;
    for (const auto& [key, difficulty] : wanted) {
      if (present.count(key) && present_difficulty[key] == difficulty) continue;
      puts.push_back(ToItem({{"category", key.first}, {"question_id", key.second}, {"difficulty", difficulty}}));
    }
    TB_RETURN_IF_ERROR(BatchWrite(Table("question-categories"), puts, "PutRequest"));
    TB_RETURN_IF_ERROR(BatchWrite(Table("question-categories"), deletes, "DeleteRequest"));

    std::vector<json> category_puts, category_deletes;
    TB_RETURN_IF_ERROR(ScanTable(Table("categories"), json::object(), [&](const json& item) {
      const std::string name = Str(item, "name");
      if (!counts.count(name)) category_deletes.push_back({{"name", ToAttributeValue(name)}});
      return Status::Ok();
    }));
    for (const auto& [name, count] : counts)
      category_puts.push_back(
          ToItem({{"name", name}, {"count", count}, {"display_name", CategoryDisplayName(name)}}));
    TB_RETURN_IF_ERROR(BatchWrite(Table("categories"), category_puts, "PutRequest"));
    TB_RETURN_IF_ERROR(BatchWrite(Table("categories"), category_deletes, "DeleteRequest"));
    return BumpQuestionsVersion();
  }

  Result<std::uint64_t> QuestionsVersion() override {
    auto item = GetItem(Table("rate-limits"), {{"key", kQuestionsVersionKey}});
    if (!item.ok()) return item.status();
    if (item->is_null()) return std::uint64_t{0};
    return static_cast<std::uint64_t>(Int(*item, "count"));
  }

  // ---- Daily challenges ---------------------------------------------------

  Result<std::optional<DailyChallenge>> GetDailyChallenge(const std::string& date) override {
    auto item = GetItem(Table("daily-challenges"), {{"date", date}});
    if (!item.ok()) return item.status();
    if (item->is_null()) return std::optional<DailyChallenge>();
    DailyChallenge c;
    c.date = Str(*item, "date");
    c.created_at = Str(*item, "created_at");
    if (auto ids = item->find("question_ids"); ids != item->end() && ids->is_array())
      for (const auto& id : *ids)
        if (id.is_string()) c.question_ids.push_back(id.get<std::string>());
    return std::optional<DailyChallenge>(std::move(c));
  }

  Result<DailyChallenge> FreezeDailyChallenge(const DailyChallenge& challenge) override {
    json item = {{"date", challenge.date},
                 {"question_ids", challenge.question_ids},
                 {"created_at", challenge.created_at.empty() ? NowIso() : challenge.created_at}};
    Status s = PutIfAbsent(Table("daily-challenges"), item, "date");
    if (!s.ok() && s.code() != StatusCode::kConditionFailed) return s;
    auto stored = GetDailyChallenge(challenge.date);
    if (!stored.ok()) return stored.status();
    if (!*stored) return Status::Internal("daily challenge vanished after freezing");
    return std::move(**stored);
  }

  Result<std::optional<std::string>> FirstDailyChallengeDate() override {
    std::optional<std::string> first;
    TB_RETURN_IF_ERROR(ScanTable(Table("daily-challenges"), {{"ProjectionExpression", "#d"},
                                                             {"ExpressionAttributeNames", {{"#d", "date"}}}},
                                 [&](const json& item) {
                                   const std::string date = Str(item, "date");
                                   if (!date.empty() && (!first || date < *first)) first = date;
                                   return Status::Ok();
                                 }));
    return first;
  }

  // ---- Answers and users --------------------------------------------------

  Result<AnswerBatchResult> RecordAnswers(std::span<const Answer> answers, const std::string& now_iso) override {
    AnswerBatchResult result;
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> tallies;
    for (const Answer& a : answers) {
      json item = {{"user_id", a.user_id}, {"question_id", a.question_id}, {"answer", a.answer},
                   {"timestamp", a.timestamp}};
      if (a.is_correct) item["is_correct"] = *a.is_correct;
      if (a.response_time_ms) item["response_time_ms"] = *a.response_time_ms;
      if (a.judgment != Judgment::kCounted) item["judgment"] = JudgmentName(a.judgment);
      Status s = PutIfAbsent(Table("answers"), item, "user_id");
      auto& tally = tallies[a.user_id];
      if (s.code() == StatusCode::kConditionFailed) {
        ++result.duplicates;
        continue;
      }
      TB_RETURN_IF_ERROR(s);
      ++result.recorded;
      if (a.is_correct) {
        ++tally.first;
        tally.second += *a.is_correct;
      }
    }
    for (const auto& [user_id, tally] : tallies) {
      auto r = client_.Call(
          "UpdateItem",
          {{"TableName", Table("users")},
           {"Key", {{"user_id", ToAttributeValue(user_id)}}},
           {"UpdateExpression", "SET created_at = if_not_exists(created_at, :now), last_active = :now "
                                "ADD total_answers :t, correct_answers :c"},
           {"ExpressionAttributeValues",
            {{":now", ToAttributeValue(now_iso)}, {":t", ToAttributeValue(tally.first)},
             {":c", ToAttributeValue(tally.second)}}},
           {"ReturnValues", "UPDATED_NEW"}});
      if (!r.ok()) return r.status();
      // The counts after this update, from the same call.
      auto attributes = FromItem((*r)["Attributes"]);
      if (!attributes.ok()) return attributes.status();
      result.totals[user_id] = AnswerTotals{Int(*attributes, "total_answers"), Int(*attributes, "correct_answers")};
    }
    return result;
  }

  static Answer AnswerFromItem(const json& item) {
    Answer a;
    a.user_id = Str(item, "user_id");
    a.question_id = Str(item, "question_id");
    a.answer = Bool(item, "answer");
    if (item.contains("is_correct") && item["is_correct"].is_boolean()) a.is_correct = item["is_correct"].get<bool>();
    a.timestamp = item.contains("timestamp") && item["timestamp"].is_number() ? item["timestamp"].get<double>() : 0;
    if (item.contains("response_time_ms") && item["response_time_ms"].is_number())
      a.response_time_ms = Int(item, "response_time_ms");
    if (auto j = item.find("judgment"); j != item.end() && j->is_string())
      a.judgment = ParseJudgment(j->get<std::string>()).value_or(Judgment::kCounted);
    return a;
  }

  static bool AnswerKeyLess(const Answer& a, const Answer& b) {
    return std::tie(a.user_id, a.question_id) < std::tie(b.user_id, b.question_id);
  }

  Status ScanAnswers(const Visitor<Answer>& visit) override {
    return SortedScan<Answer>(
        "answers", [](const json& item, std::vector<Answer>* all) { all->push_back(AnswerFromItem(item)); },
        AnswerKeyLess, visit);
  }

  Status ScanAnswersUnordered(const Visitor<Answer>& visit) override {
    return ScanTable(Table("answers"), json::object(), [&](const json& item) { return visit(AnswerFromItem(item)); });
  }

  Result<std::vector<Answer>> AnswersForQuestion(const std::string& question_id) override {
    std::vector<Answer> out;
    json request = {{"TableName", Table("answers")},
                    {"IndexName", "question_id-index"},
                    {"KeyConditionExpression", "question_id = :q"},
                    {"ExpressionAttributeValues", {{":q", ToAttributeValue(question_id)}}}};
    TB_RETURN_IF_ERROR(Paginate("Query", std::move(request), -1, [&](const json& item) {
      out.push_back(AnswerFromItem(item));
      return Status::Ok();
    }));
    std::sort(out.begin(), out.end(), AnswerKeyLess);
    return out;
  }

  Result<std::vector<std::string>> AnsweredQuestionIds(const std::string& user_id) override {
    std::vector<std::string> ids;
    json request = {{"TableName", Table("answers")},
                    {"KeyConditionExpression", "user_id = :u"},
                    {"ProjectionExpression", "question_id"},
                    {"ConsistentRead", true},
                    {"ExpressionAttributeValues", {{":u", ToAttributeValue(user_id)}}}};
    TB_RETURN_IF_ERROR(Paginate("Query", std::move(request), -1, [&](const json& item) {
      ids.push_back(Str(item, "question_id"));
      return Status::Ok();
    }));
    // The sort key's order is DynamoDB's byte order of UTF-8, as ours.
    return ids;
  }

  Result<std::optional<User>> GetUser(const std::string& user_id) override {
    auto item = GetItem(Table("users"), {{"user_id", user_id}});
    if (!item.ok()) return item.status();
    if (item->is_null()) return std::optional<User>();
    return std::optional<User>(UserFromItem(*item));
  }

  Result<UserDay> GetUserDay(const std::string& user_id, const std::string& date) override {
    // The streak and that one day only: a player's item grows by a day's
    // results every day, and the rest of it would cross the wire and be
    // parsed for nothing.
    auto item = GetItem(Table("users"), {{"user_id", user_id}},
                        "user_id, current_daily_streak, best_daily_streak, last_counted_date, daily_progress.#d",
                        {{"#d", date}});
    if (!item.ok()) return item.status();
    UserDay day;
    if (item->is_null()) return day;
    day.exists = true;
    day.streak = StreakFromItem(*item);
    // Without a last counted day GetUser works the streak out from the
    // whole history (items of other tools; players with no counted day).
    if (!day.streak.last_counted) return Store::GetUserDay(user_id, date);
    if (auto progress = item->find("daily_progress"); progress != item->end() && progress->is_object())
      if (auto entry = progress->find(date); entry != progress->end()) day.progress = ProgressFromItem(date, *entry);
    return day;
  }

  Status CompleteDailyChallenge(const std::string& user_id, const DailyProgress& progress, const StreakState& streak,
                                std::span<const Answer> answers, const std::string& now_iso) override {
    // The answers first: recording is idempotent (first answer per user and
    // question wins, counted once), and the completion below is the
    // exactly-once step. A crash between the two leaves recorded answers
    // and an open day, so the player's retry records nothing twice and
    // completes the day.
    if (!answers.empty()) {
      auto recorded = RecordAnswers(answers, now_iso);
      if (!recorded.ok()) return recorded.status();
    }
    // The progress map must exist before a date can be set inside it.
    auto ensure = client_.Call(
        "UpdateItem",
        {{"TableName", Table("users")},
         {"Key", {{"user_id", ToAttributeValue(user_id)}}},
         {"UpdateExpression", "SET daily_progress = if_not_exists(daily_progress, :empty), "
                              "created_at = if_not_exists(created_at, :now)"},
         {"ExpressionAttributeValues", {{":empty", ToAttributeValue(json::object())}, {":now", ToAttributeValue(now_iso)}}}});
    if (!ensure.ok()) return ensure.status();
    json values = {{":p", ToAttributeValue(json(DailyProgressToJson(progress)))},
                   {":cur", ToAttributeValue(streak.current)},
                   {":best", ToAttributeValue(streak.best)},
                   {":last", ToAttributeValue(streak.last_counted ? streak.last_counted->ToString() : std::string())},
                   {":now", ToAttributeValue(now_iso)}};
    auto r = client_.Call(
        "UpdateItem",
        {{"TableName", Table("users")},
         {"Key", {{"user_id", ToAttributeValue(user_id)}}},
         {"UpdateExpression", "SET daily_progress.#d = :p, current_daily_streak = :cur, best_daily_streak = :best, "
                              "last_counted_date = :last, last_active = :now"},
         {"ConditionExpression", "attribute_not_exists(daily_progress.#d)"},
         {"ExpressionAttributeNames", {{"#d", progress.date}}},
         {"ExpressionAttributeValues", values}});
    if (r.status().code() == StatusCode::kConditionFailed)
      return Status::ConditionFailed("the daily challenge of " + progress.date + " is already completed");
    return r.status();
  }

  Status ScanUsers(const Visitor<User>& visit) override {
    return SortedScan<User>(
        "users", [this](const json& item, std::vector<User>* all) { all->push_back(UserFromItem(item)); },
        [](const User& a, const User& b) { return a.user_id < b.user_id; }, visit);
  }

  // ---- Sessions -----------------------------------------------------------

  Status CreateSession(const Session& s) override {
    json item = {{"session_id", s.session_id}, {"ip_hash", s.ip_hash}, {"created_at", s.created_at}};
    if (!s.user_id.empty()) item["user_id"] = s.user_id;
    Status st = PutIfAbsent(Table("sessions"), item, "session_id");
    if (st.code() == StatusCode::kConditionFailed) return Status::AlreadyExists("session " + s.session_id + " exists");
    return st;
  }

  Result<std::optional<Session>> GetSession(const std::string& session_id) override {
    auto item = GetItem(Table("sessions"), {{"session_id", session_id}});
    if (!item.ok()) return item.status();
    if (item->is_null()) return std::optional<Session>();
    return std::optional<Session>(
        Session{Str(*item, "session_id"), Str(*item, "ip_hash"), Str(*item, "user_id"), Int(*item, "created_at")});
  }

  Result<std::string> BindSession(const std::string& session_id, const std::string& user_id) override {
    auto r = client_.Call("UpdateItem",
                          {{"TableName", Table("sessions")},
                           {"Key", {{"session_id", ToAttributeValue(session_id)}}},
                           {"UpdateExpression", "SET #u = :u"},
                           {"ConditionExpression", "attribute_exists(#s) AND (attribute_not_exists(#u) OR #u = :empty)"},
                           {"ExpressionAttributeNames", {{"#u", "user_id"}, {"#s", "session_id"}}},
                           {"ExpressionAttributeValues", {{":u", ToAttributeValue(user_id)}, {":empty", ToAttributeValue("")}}}});
    if (!r.ok() && r.status().code() != StatusCode::kConditionFailed) return r.status();
    auto session = GetSession(session_id);
    if (!session.ok()) return session.status();
    if (!*session) return Status::NotFound("no session " + session_id);
    return (*session)->user_id;
  }

  // ---- Submitted questions ------------------------------------------------

  Status CreateSubmission(const Submission& s) override {
    Status st = PutIfAbsent(Table("submitted-questions"), SubmissionItem(s), "id");
    if (st.code() == StatusCode::kConditionFailed) return Status::AlreadyExists("submission " + s.id + " exists");
    return st;
  }

  Result<std::optional<Submission>> GetSubmission(const std::string& id) override {
    auto item = GetItem(Table("submitted-questions"), {{"id", id}});
    if (!item.ok()) return item.status();
    if (item->is_null()) return std::optional<Submission>();
    return std::optional<Submission>(SubmissionFromItem(*item));
  }

  Result<std::vector<Submission>> ListSubmissionsByStatus(SubmissionStatus status, int limit) override {
    std::vector<Submission> out;
    json request = {{"TableName", Table("submitted-questions")},
                    {"IndexName", "status-index"},
                    {"KeyConditionExpression", "#s = :s"},
                    {"ScanIndexForward", true},
                    {"ExpressionAttributeNames", {{"#s", "status"}}},
                    {"ExpressionAttributeValues", {{":s", ToAttributeValue(SubmissionStatusName(status))}}}};
    TB_RETURN_IF_ERROR(CollectSubmissions(request, limit, &out));
    std::stable_sort(out.begin(), out.end(), [](const Submission& a, const Submission& b) {
      return std::tie(a.submitted_at, a.id) < std::tie(b.submitted_at, b.id);
    });
    if (static_cast<int>(out.size()) > limit) out.resize(static_cast<std::size_t>(limit));
    return out;
  }

  Result<std::vector<Submission>> ListSubmissionsByAuthor(const std::string& author,
                                                          std::optional<SubmissionStatus> status,
                                                          int limit) override {
    std::vector<Submission> out;
    json request = {{"TableName", Table("submitted-questions")},
                    {"IndexName", "author-index"},
                    {"KeyConditionExpression", "#a = :a"},
                    {"ScanIndexForward", false},
                    {"ExpressionAttributeNames", {{"#a", "author"}}},
                    {"ExpressionAttributeValues", {{":a", ToAttributeValue(author)}}}};
    if (status) {
      request["FilterExpression"] = "#s = :s";
      request["ExpressionAttributeNames"]["#s"] = "status";
      request["ExpressionAttributeValues"][":s"] = ToAttributeValue(SubmissionStatusName(*status));
    }
    TB_RETURN_IF_ERROR(CollectSubmissions(request, limit, &out));
    std::stable_sort(out.begin(), out.end(), [](const Submission& a, const Submission& b) {
      return std::tie(a.submitted_at, a.id) > std::tie(b.submitted_at, b.id);
    });
    if (static_cast<int>(out.size()) > limit) out.resize(static_cast<std::size_t>(limit));
    return out;
  }

  Status DecideSubmission(const SubmissionDecision& d) override {
    if (d.status == SubmissionStatus::kPending) return Status::InvalidArgument("a decision must approve or reject");
    const bool approve = d.status == SubmissionStatus::kApproved;
    if (approve && !d.approved_question) return Status::InvalidArgument("an approval needs the question to publish");
    // The decision first, by a conditional write: exactly one decision wins,
    // so a rejected proposal is never published. Then the publication,
    // which changes the counts once however many calls make it. A crash
    // between the two leaves an approved proposal without its question:
    // any later approval of it (told it was already approved) publishes it.
    auto existing = GetSubmission(d.submission_id);
    if (!existing.ok()) return existing.status();
    if (!*existing) return Status::NotFound("no submission " + d.submission_id);
    if ((*existing)->status == SubmissionStatus::kPending) {
      json values = {{":s", ToAttributeValue(SubmissionStatusName(d.status))},
                     {":pending", ToAttributeValue("pending")},
                     {":at", ToAttributeValue(d.reviewed_at)},
                     {":r", ToAttributeValue(d.reviewer_id)},
                     {":n", ToAttributeValue(d.reviewer_notes)},
                     {":q", ToAttributeValue(approve ? d.approved_question->id : std::string())}};
      auto r = client_.Call("UpdateItem",
                            {{"TableName", Table("submitted-questions")},
                             {"Key", {{"id", ToAttributeValue(d.submission_id)}}},
                             {"UpdateExpression", "SET #s = :s, reviewed_at = :at, reviewer_id = :r, "
                                                  "reviewer_notes = :n, approved_question_id = :q"},
                             {"ConditionExpression", "#s = :pending"},
                             {"ExpressionAttributeNames", {{"#s", "status"}}},
                             {"ExpressionAttributeValues", values}});
      if (!r.ok() && r.status().code() != StatusCode::kConditionFailed) return r.status();
      if (r.ok()) {
        if (!approve) return Status::Ok();
        auto published = PublishApprovedQuestion(*d.approved_question, d.submission_id);
        return published.ok() ? Status::Ok() : published.status();
      }
      existing = GetSubmission(d.submission_id);  // decided meanwhile: by whom?
      if (!existing.ok()) return existing.status();
      if (!*existing) return Status::NotFound("no submission " + d.submission_id);
    }
    const Submission& now = **existing;
    if (now.status == SubmissionStatus::kApproved && !now.approved_question_id.empty() && approve &&
        now.approved_question_id == d.approved_question->id) {
      // Completes a publication a crash may have left undone; a no-op when
      // it was published.
      auto published = PublishApprovedQuestion(*d.approved_question, d.submission_id);
      if (!published.ok()) return published.status();
    }
    return Status::ConditionFailed("submission " + d.submission_id + " was already " +
                                   SubmissionStatusName(now.status));
  }

  // Publishes the question of approved submission `submission_id`, once:
  // the question is put with the submission's id in `published_from`,
  // conditionally on not being there already, and the item it replaced
  // (returned by the same write) decides the index and count changes. So
  // concurrent or repeated publications of one approval change the counts
  // exactly once. Returns whether this call published it. A crash after
  // the put leaves the index rows and counts to `reindex`, as an import's.
  Result<bool> PublishApprovedQuestion(Question row, const std::string& submission_id) {
    if (row.created_at.empty()) row.created_at = NowIso();
    json item = QuestionItem(row);
    item["published_from"] = submission_id;
    auto r = client_.Call("PutItem", {{"TableName", Table("questions")},
                                      {"Item", ToItem(item)},
                                      {"ConditionExpression", "attribute_not_exists(#p) OR #p <> :sub"},
                                      {"ExpressionAttributeNames", {{"#p", "published_from"}}},
                                      {"ExpressionAttributeValues", {{":sub", ToAttributeValue(submission_id)}}},
                                      {"ReturnValues", "ALL_OLD"}});
    if (r.status().code() == StatusCode::kConditionFailed) return false;
    if (!r.ok()) return r.status();
    std::optional<Question> previous;
    if (auto old = r->find("Attributes"); old != r->end() && old->is_object() && !old->empty()) {
      // An old item that does not decode counts as absent (reindex repairs).
      auto plain = FromItem(*old);
      auto decoded = plain.ok() ? QuestionFromItem(*plain) : Result<Question>(plain.status());
      if (decoded.ok()) previous = std::move(*decoded);
    }
    std::vector<json> index_puts, index_deletes;
    std::map<std::string, std::int64_t> deltas;
    PlanIndexChanges(row, previous ? &*previous : nullptr, &index_puts, &index_deletes, &deltas);
    TB_RETURN_IF_ERROR(BatchWrite(Table("question-categories"), index_puts, "PutRequest"));
    TB_RETURN_IF_ERROR(BatchWrite(Table("question-categories"), index_deletes, "DeleteRequest"));
    TB_RETURN_IF_ERROR(ApplyCountDeltas(deltas));
    TB_RETURN_IF_ERROR(BumpQuestionsVersion());
    return true;
  }

  Status ScanSubmissions(const Visitor<Submission>& visit) override {
    return SortedScan<Submission>(
        "submitted-questions",
        [](const json& item, std::vector<Submission>* all) { all->push_back(SubmissionFromItem(item)); },
        [](const Submission& a, const Submission& b) { return a.id < b.id; }, visit);
  }

  Result<bool> PendingSubmissionWithText(const std::string& normalised_question) override {
    bool found = false;
    json request = {{"TableName", Table("submitted-questions")},
                    {"IndexName", "status-index"},
                    {"KeyConditionExpression", "#s = :s"},
                    {"FilterExpression", "#n = :n"},
                    {"ExpressionAttributeNames", {{"#s", "status"}, {"#n", "normalised_question"}}},
                    {"ExpressionAttributeValues",
                     {{":s", ToAttributeValue("pending")}, {":n", ToAttributeValue(normalised_question)}}}};
    TB_RETURN_IF_ERROR(Paginate("Query", request, -1, [&](const json&) {
      found = true;
      return Status::Ok();
    }));
    return found;
  }

  // ---- Served questions ---------------------------------------------------

  Status RecordServed(std::span<const ServedQuestion> served) override {
    // A batch may not name one key twice.
    std::set<std::pair<std::string, std::string>> keys;
    for (const ServedQuestion& s : served) keys.emplace(s.user_id, s.question_id);
    std::vector<json> puts;
    puts.reserve(keys.size());
    for (const auto& [user, question] : keys) puts.push_back(ToItem({{"user_id", user}, {"question_id", question}}));
    return BatchWrite(Table("served"), puts, "PutRequest");
  }

  Result<std::vector<std::string>> ServedAmong(const std::string& user_id,
                                               std::span<const std::string> question_ids) override {
    // A batch may not name one key twice.
    const std::set<std::string> unique(question_ids.begin(), question_ids.end());
    std::vector<json> keys;
    for (const std::string& id : unique)
      keys.push_back({{"user_id", ToAttributeValue(user_id)}, {"question_id", ToAttributeValue(id)}});
    std::vector<std::string> out;
    TB_RETURN_IF_ERROR(BatchGet(Table("served"), keys, [&](const json& item) {
      out.push_back(Str(item, "question_id"));
      return Status::Ok();
    }));
    std::sort(out.begin(), out.end());
    return out;
  }

  // ---- Dispute resolutions -------------------------------------------------

  Status RecordResolution(const Resolution& r) override {
    // The label first, set (not toggled) to label_after: a repeated call
    // after a failure between the two writes settles in the same state.
    if (r.action == ResolutionAction::kFlip) {
      auto flipped = client_.Call("UpdateItem", {{"TableName", Table("questions")},
                                                 {"Key", {{"id", ToAttributeValue(r.question_id)}}},
                                                 {"UpdateExpression", "SET answer = :a"},
                                                 {"ConditionExpression", "attribute_exists(id)"},
                                                 {"ExpressionAttributeValues", {{":a", ToAttributeValue(r.label_after)}}}});
      if (flipped.status().code() == StatusCode::kConditionFailed)
        return Status::NotFound("no question " + r.question_id);
      if (!flipped.ok()) return flipped.status();
    }
    json item = {{"question_id", r.question_id}, {"resolved_at", r.resolved_at},
                 {"action", ResolutionActionName(r.action)}, {"reviewer", r.reviewer},
                 {"notes", r.notes}, {"label_before", r.label_before}, {"label_after", r.label_after}};
    auto put = client_.Call("PutItem", {{"TableName", Table("resolutions")}, {"Item", ToItem(item)}});
    if (!put.ok()) return put.status();
    return BumpQuestionsVersion();
  }

  Status ScanResolutions(const Visitor<Resolution>& visit) override {
    std::vector<Resolution> all;
    TB_RETURN_IF_ERROR(ScanTable(Table("resolutions"), json::object(), [&](const json& item) -> Status {
      Resolution r;
      r.question_id = Str(item, "question_id");
      r.resolved_at = Str(item, "resolved_at");
      const std::string action = Str(item, "action");
      auto parsed = ParseResolutionAction(action);
      if (!parsed) return Status::Corruption("resolution of " + r.question_id + " has action " + action);
      r.action = *parsed;
      r.reviewer = Str(item, "reviewer");
      r.notes = Str(item, "notes");
      r.label_before = Bool(item, "label_before");
      r.label_after = Bool(item, "label_after");
      all.push_back(std::move(r));
      return Status::Ok();
    }));
    std::sort(all.begin(), all.end(), [](const Resolution& a, const Resolution& b) {
      return std::tie(a.question_id, a.resolved_at) < std::tie(b.question_id, b.resolved_at);
    });
    for (const Resolution& r : all) TB_RETURN_IF_ERROR(visit(r));
    return Status::Ok();
  }

  // ---- The stored crowd fit -----------------------------------------------
  // Items of at most 400 KB: the document is cut into parts ("<generation>#<n>")
  // written first, then the "head" item naming their generation and count
  // is replaced, then the old generation's parts are deleted. A reader
  // follows the head it read; one that loses the race with a deletion
  // finds a part missing and reads again.

  Status PutCrowdFit(const std::string& document) override {
    const std::string table = Table("crowd-fit");
    auto old_head = GetItem(table, {{"part", "head"}});
    if (!old_head.ok()) return old_head.status();
    const std::string generation = std::to_string(NowMs()) + "-" + std::to_string(std::random_device{}() % 100000);
    std::vector<std::string> parts;
    for (std::size_t at = 0; at < document.size() || parts.empty();) {
      std::size_t end = std::min(document.size(), at + kCrowdFitPartBytes);
      // Never inside a UTF-8 sequence: each part is a valid string.
      while (end < document.size() && end > at && (static_cast<unsigned char>(document[end]) & 0xC0) == 0x80) --end;
      parts.push_back(document.substr(at, end - at));
      at = end;
    }
    std::vector<json> puts;
    for (std::size_t i = 0; i < parts.size(); ++i)
      puts.push_back(ToItem({{"part", generation + "#" + std::to_string(i)}, {"data", parts[i]}}));
    TB_RETURN_IF_ERROR(BatchWrite(table, puts, "PutRequest"));
    auto head = client_.Call("PutItem", {{"TableName", table},
                                         {"Item", ToItem({{"part", "head"},
                                                          {"generation", generation},
                                                          {"parts", static_cast<std::int64_t>(parts.size())},
                                                          {"bytes", static_cast<std::int64_t>(document.size())}})}});
    if (!head.ok()) return head.status();
    if (old_head->is_null()) return Status::Ok();
    std::vector<json> deletes;
    const std::string old_generation = Str(*old_head, "generation");
    for (std::int64_t i = 0; i < Int(*old_head, "parts"); ++i)
      deletes.push_back({{"part", ToAttributeValue(old_generation + "#" + std::to_string(i))}});
    return BatchWrite(table, deletes, "DeleteRequest");
  }

  Result<std::optional<std::string>> GetCrowdFit() override {
    const std::string table = Table("crowd-fit");
    for (int attempt = 0; attempt < 3; ++attempt) {
      auto head = GetItem(table, {{"part", "head"}});
      if (!head.ok()) return head.status();
      if (head->is_null()) return std::optional<std::string>();
      const std::string generation = Str(*head, "generation");
      const std::int64_t count = Int(*head, "parts");
      std::vector<json> keys;
      for (std::int64_t i = 0; i < count; ++i)
        keys.push_back({{"part", ToAttributeValue(generation + "#" + std::to_string(i))}});
      std::map<std::int64_t, std::string> parts;
      TB_RETURN_IF_ERROR(BatchGet(table, keys, [&](const json& item) {
        const std::string part = Str(item, "part");
        parts[std::stoll(part.substr(part.find('#') + 1))] = Str(item, "data");
        return Status::Ok();
      }));
      if (static_cast<std::int64_t>(parts.size()) != count) continue;  // replaced meanwhile
      std::string document;
      document.reserve(static_cast<std::size_t>(Int(*head, "bytes")));
      for (const auto& [i, data] : parts) document += data;
      return std::optional<std::string>(std::move(document));
    }
    return Status::Unavailable("the stored crowd fit kept changing while it was read");
  }

  // ---- Rate limits and settings -------------------------------------------

  Result<RateCounter> AddToCounter(const std::string& key, std::int64_t amount, std::int64_t window_seconds,
                                   std::int64_t now) override {
    for (int attempt = 0; attempt < 8; ++attempt) {
      // Count inside the current window...
      auto r = client_.Call("UpdateItem",
                            {{"TableName", Table("rate-limits")},
                             {"Key", {{"key", ToAttributeValue(key)}}},
                             {"UpdateExpression", "SET expires_at = if_not_exists(expires_at, :exp) ADD #c :a"},
                             {"ConditionExpression", "attribute_not_exists(expires_at) OR expires_at > :now"},
                             {"ExpressionAttributeNames", {{"#c", "count"}}},
                             {"ExpressionAttributeValues",
                              {{":exp", ToAttributeValue(now + window_seconds)},
                               {":a", ToAttributeValue(amount)},
                               {":now", ToAttributeValue(now)}}},
                             {"ReturnValues", "ALL_NEW"}});
      if (r.ok()) {
        auto item = FromItem((*r)["Attributes"]);
        if (!item.ok()) return item.status();
        return RateCounter{Int(*item, "count"), Int(*item, "expires_at")};
      }
      if (r.status().code() != StatusCode::kConditionFailed) return r.status();
      // ...or start a new one when it has passed (one writer wins).
      auto reset = client_.Call("PutItem",
                                {{"TableName", Table("rate-limits")},
                                 {"Item", ToItem({{"key", key}, {"count", amount}, {"expires_at", now + window_seconds}})},
                                 {"ConditionExpression", "expires_at <= :now"},
                                 {"ExpressionAttributeValues", {{":now", ToAttributeValue(now)}}}});
      if (reset.ok()) return RateCounter{amount, now + window_seconds};
      if (reset.status().code() != StatusCode::kConditionFailed) return reset.status();
    }
    return Status::Unavailable("the rate-limit counter " + key + " is too contended");
  }

  Result<std::optional<std::string>> GetSetting(const std::string& key) override {
    auto item = GetItem(Table("rate-limits"), {{"key", kSettingPrefix + key}});
    if (!item.ok()) return item.status();
    if (item->is_null()) return std::optional<std::string>();
    return std::optional<std::string>(Str(*item, "value"));
  }

  Result<std::string> PutSettingIfAbsent(const std::string& key, const std::string& value) override {
    Status s = PutIfAbsent(Table("rate-limits"), {{"key", kSettingPrefix + key}, {"value", value}}, "key");
    if (!s.ok() && s.code() != StatusCode::kConditionFailed) return s;
    auto stored = GetSetting(key);
    if (!stored.ok()) return stored.status();
    if (!*stored) return Status::Internal("setting " + key + " vanished after writing");
    return **stored;
  }

 private:
  std::string Table(const std::string& name) const { return DynamoDbTableName(env_, name); }

  static void AddCounts(UpsertCounts* total, const UpsertCounts& add) {
    total->inserted += add.inserted;
    total->updated += add.updated;
    total->unchanged += add.unchanged;
  }

  Status WaitActive(const std::string& table) {
    for (int i = 0; i < 600; ++i) {
      auto d = client_.Call("DescribeTable", {{"TableName", table}});
      if (!d.ok()) return d.status();
      // A reply of another shape (a proxy, an emulator) is "not active
      // yet", never an exception.
      const json& reply = *d;
      const auto table_it = reply.find("Table");
      const json& t = table_it != reply.end() && table_it->is_object() ? *table_it : json::object();
      bool active = Str(t, "TableStatus") == "ACTIVE";
      if (auto gsis = t.find("GlobalSecondaryIndexes"); gsis != t.end() && gsis->is_array())
        for (const auto& g : *gsis) {
          const std::string status = g.is_object() ? Str(g, "IndexStatus") : std::string();
          active = active && (status.empty() || status == "ACTIVE");
        }
      if (active) return Status::Ok();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return Status::Unavailable("table " + table + " did not become ACTIVE within a minute");
  }

  // The plain item under `key` (consistent read), or null.
  // `projection`: a ProjectionExpression with its attribute names, or none
  // for the whole item.
  Result<json> GetItem(const std::string& table, const json& key, const std::string& projection = "",
                       const json& names = json()) {
    json request = {{"TableName", table}, {"Key", ToItem(key)}, {"ConsistentRead", true}};
    if (!projection.empty()) {
      request["ProjectionExpression"] = projection;
      if (!names.is_null()) request["ExpressionAttributeNames"] = names;
    }
    auto r = client_.Call("GetItem", std::move(request));
    if (!r.ok()) return r.status();
    auto it = r->find("Item");
    if (it == r->end()) return json();
    return FromItem(*it);
  }

  // PutItem unless an item with that key exists: kConditionFailed if it does.
  Status PutIfAbsent(const std::string& table, const json& item, const std::string& key_attribute) {
    auto r = client_.Call("PutItem", {{"TableName", table},
                                      {"Item", ToItem(item)},
                                      {"ConditionExpression", "attribute_not_exists(#k)"},
                                      {"ExpressionAttributeNames", {{"#k", key_attribute}}}});
    return r.status();
  }

  // Query or Scan with pagination; `max_pages` < 0 means all.
  Status Paginate(const std::string& operation, json request, int max_pages,
                  const std::function<Status(const json&)>& visit) {
    for (int page = 0; max_pages < 0 || page < max_pages; ++page) {
      auto r = client_.Call(operation, request);
      if (!r.ok()) return r.status();
      if (auto items = r->find("Items"); items != r->end()) {
        for (const auto& raw : *items) {
          auto item = FromItem(raw);
          if (!item.ok()) return item.status();
          TB_RETURN_IF_ERROR(visit(*item));
        }
      }
      auto last = r->find("LastEvaluatedKey");
      if (last == r->end() || last->empty()) break;
      request["ExclusiveStartKey"] = *last;
    }
    return Status::Ok();
  }

  // Visits every item of `table` (a short name) as `decode` adds it to a
  // list, in the order of `less`: a DynamoDB scan comes in hash order, and
  // the Store's scans promise key order.
  template <typename Row, typename Decode, typename Less>
  Status SortedScan(const char* table, Decode decode, Less less, const Visitor<Row>& visit) {
    std::vector<Row> all;
    TB_RETURN_IF_ERROR(ScanTable(Table(table), json::object(), [&](const json& item) {
      decode(item, &all);
      return Status::Ok();
    }));
    std::sort(all.begin(), all.end(), less);
    for (const Row& row : all) TB_RETURN_IF_ERROR(visit(row));
    return Status::Ok();
  }

  Status ScanTable(const std::string& table, json request, const std::function<Status(const json&)>& visit) {
    request["TableName"] = table;
    return Paginate("Scan", std::move(request), -1, visit);
  }

  Status CollectSubmissions(const json& request, int limit, std::vector<Submission>* out) {
    // Pages until `limit` items are collected (GSI order by submitted_at).
    json req = request;
    while (true) {
      auto r = client_.Call("Query", req);
      if (!r.ok()) return r.status();
      for (const auto& raw : (*r)["Items"]) {
        auto item = FromItem(raw);
        if (!item.ok()) return item.status();
        out->push_back(SubmissionFromItem(*item));
      }
      auto last = r->find("LastEvaluatedKey");
      if (static_cast<int>(out->size()) >= limit || last == r->end() || last->empty()) return Status::Ok();
      req["ExclusiveStartKey"] = *last;
    }
  }

  Status LoadQuestions(const std::vector<std::string>& ids, std::map<std::string, Question>* out) {
    std::vector<json> keys;
    keys.reserve(ids.size());
    for (const std::string& id : ids) keys.push_back({{"id", ToAttributeValue(id)}});
    return BatchGet(Table("questions"), keys, [&](const json& item) {
      auto q = QuestionFromItem(item);
      if (q.ok()) out->emplace(q->id, std::move(*q));
      return Status::Ok();
    });
  }

  // BatchGetItem of `keys` (wire format) in chunks of 100, strongly
  // consistent, retrying UnprocessedKeys with backoff; visits each item
  // found (plain JSON), in no particular order.
  Status BatchGet(const std::string& table, const std::vector<json>& keys,
                  const std::function<Status(const json&)>& visit) {
    for (std::size_t start = 0; start < keys.size(); start += kBatchGetLimit) {
      json chunk = json::array();
      for (std::size_t i = start; i < std::min(keys.size(), start + kBatchGetLimit); ++i) chunk.push_back(keys[i]);
      json request_items = {{table, {{"Keys", std::move(chunk)}, {"ConsistentRead", true}}}};
      TB_RETURN_IF_ERROR(client_.CallUntilProcessed("BatchGetItem", std::move(request_items), "UnprocessedKeys",
                                                    [&](const json& reply) -> Status {
        auto responses = reply.find("Responses");
        if (responses == reply.end() || !responses->contains(table)) return Status::Ok();
        for (const auto& raw : (*responses)[table]) {
          auto item = FromItem(raw);
          if (!item.ok()) return item.status();
          TB_RETURN_IF_ERROR(visit(*item));
        }
        return Status::Ok();
      }));
    }
    return Status::Ok();
  }

  // BatchWriteItem in chunks of 25, retrying UnprocessedItems with backoff.
  // `entries` are items (PutRequest) or keys (DeleteRequest) in wire format.
  Status BatchWrite(const std::string& table, const std::vector<json>& entries, const char* kind) {
    const bool put = std::string(kind) == "PutRequest";
    for (std::size_t start = 0; start < entries.size(); start += kBatchWriteLimit) {
      json requests = json::array();
      for (std::size_t i = start; i < std::min(entries.size(), start + kBatchWriteLimit); ++i)
        requests.push_back({{kind, {{put ? "Item" : "Key", entries[i]}}}});
      TB_RETURN_IF_ERROR(client_.CallUntilProcessed("BatchWriteItem", {{table, requests}}, "UnprocessedItems",
                                                    [](const json&) { return Status::Ok(); }));
    }
    return Status::Ok();
  }

  void PlanIndexChanges(const Question& row, const Question* previous, std::vector<json>* puts,
                        std::vector<json>* deletes, std::map<std::string, std::int64_t>* deltas) {
    const std::set<std::string> old_cats =
        previous ? std::set<std::string>(previous->categories.begin(), previous->categories.end())
                 : std::set<std::string>();
    const std::set<std::string> new_cats(row.categories.begin(), row.categories.end());
    for (const std::string& c : new_cats) {
      if (!old_cats.count(c)) ++(*deltas)[c];
      if (!old_cats.count(c) || previous->difficulty != row.difficulty)
        puts->push_back(ToItem({{"category", c}, {"question_id", row.id}, {"difficulty", row.difficulty}}));
    }
    for (const std::string& c : old_cats) {
      if (new_cats.count(c)) continue;
      --(*deltas)[c];
      deletes->push_back({{"category", ToAttributeValue(c)}, {"question_id", ToAttributeValue(row.id)}});
    }
  }

  Status ApplyCountDeltas(const std::map<std::string, std::int64_t>& deltas) {
    for (const auto& [name, delta] : deltas) {
      if (delta == 0) continue;
      auto r = client_.Call("UpdateItem",
                            {{"TableName", Table("categories")},
                             {"Key", {{"name", ToAttributeValue(name)}}},
                             {"UpdateExpression", "SET display_name = if_not_exists(display_name, :dn) ADD #c :d"},
                             {"ExpressionAttributeNames", {{"#c", "count"}}},
                             {"ExpressionAttributeValues",
                              {{":dn", ToAttributeValue(CategoryDisplayName(name))}, {":d", ToAttributeValue(delta)}}}});
      if (!r.ok()) return r.status();
    }
    return Status::Ok();
  }

  Status BumpQuestionsVersion() {
    auto r = client_.Call("UpdateItem", {{"TableName", Table("rate-limits")},
                                         {"Key", {{"key", ToAttributeValue(kQuestionsVersionKey)}}},
                                         {"UpdateExpression", "ADD #c :one"},
                                         {"ExpressionAttributeNames", {{"#c", "count"}}},
                                         {"ExpressionAttributeValues", {{":one", ToAttributeValue(1)}}}});
    return r.status();
  }

  // The streak attributes as stored; last_counted is empty when the item
  // has none (UserFromItem then looks for it in the history).
  static StreakState StreakFromItem(const json& item) {
    StreakState streak;
    streak.current = static_cast<int>(Int(item, "current_daily_streak"));
    streak.best = static_cast<int>(Int(item, "best_daily_streak"));
    streak.last_counted = CivilDate::Parse(Str(item, "last_counted_date"));
    return streak;
  }

  User UserFromItem(const json& item) {
    User u;
    u.user_id = Str(item, "user_id");
    u.created_at = Str(item, "created_at");
    u.last_active = Str(item, "last_active");
    u.total_answers = Int(item, "total_answers");
    u.correct_answers = Int(item, "correct_answers");
    u.streak = StreakFromItem(item);
    if (auto progress = item.find("daily_progress"); progress != item.end() && progress->is_object())
      for (const auto& [date, value] : progress->items()) u.daily_progress.emplace(date, ProgressFromItem(date, value));
    if (!u.streak.last_counted) {
      // Items from other tools: the latest counted day in the progress.
      for (auto it = u.daily_progress.rbegin(); it != u.daily_progress.rend(); ++it) {
        if (it->second.total_questions > 0 && 100LL * it->second.correct_count >= 70LL * it->second.total_questions) {
          u.streak.last_counted = CivilDate::Parse(it->first);
          break;
        }
      }
    }
    return u;
  }

  const std::string env_;
  dynamodb::DynamoDbClient client_;
  mutable std::mutex notes_mu_;
  std::vector<std::string> notes_;
  std::atomic<std::uint64_t> category_index_{0};
  std::atomic<std::uint64_t> scan_fallback_{0};
};

}  // namespace

std::string DynamoDbTableName(const std::string& env, const std::string& table) {
  return env + "-truthbyte-" + table;
}

Result<std::unique_ptr<Store>> OpenDynamoDbStore(const DynamoDbOptions& options) {
  if (options.env.empty()) return Status::InvalidArgument("--env must not be empty for the dynamodb store");
  return std::unique_ptr<Store>(std::make_unique<DynamoDbStore>(options));
}

}  // namespace truthbyte
