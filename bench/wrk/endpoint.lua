-- wrk script for the TruthByte benchmark (bench/run.sh drives it).
--
-- Environment:
--   TB_MODE    get (default) | session | submit
--   TB_PATH    request path for "get" (e.g. /v1/fetch-questions?category=science)
--   TB_TOKEN, TB_USER   access token and user id sent with "get" requests
--   TB_IDS     file of question ids, one a line (submit: 7 random ones a request)
--   TB_USERS   file prefix for "user token" lines: session mode writes
--              PREFIX.<thread>, submit mode reads PREFIX.<thread> and uses
--              each user once, so every answer is a first answer.
--   TB_OUT     file the summary line (JSON) is appended to
--
-- The summary line: requests, duration_us, rps, p50_us, p99_us, max_us, and
-- the error counts (non-2xx statuses and socket errors).

local mode = os.getenv("TB_MODE") or "get"
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function read_lines(path)
  local lines = {}
  local f = io.open(path, "r")
  if not f then return lines end
  for line in f:lines() do
    if #line > 0 then table.insert(lines, line) end
  end
  f:close()
  return lines
end

-- A UUID v4 unique to this thread and request number.
local function user_uuid(thread_id, n)
  return string.format("%08x-%04x-4%03x-8%03x-%012x", thread_id, math.floor(n / 4096) % 65536, n % 4096,
                       thread_id % 4096, n)
end

local ids, users, out_file = {}, {}, nil
local next_user, sent = 1, 0
exhausted = 0  -- global: done() reads it from each thread

function init(args)
  math.randomseed(id * 7919)
  if mode == "session" then
    out_file = io.open(os.getenv("TB_USERS") .. "." .. id, "w")
  elseif mode == "submit" then
    ids = read_lines(os.getenv("TB_IDS"))
    users = read_lines(os.getenv("TB_USERS") .. "." .. id)
  else
    wrk.path = os.getenv("TB_PATH") or "/health"
    local token = os.getenv("TB_TOKEN")
    if token and #token > 0 then
      wrk.headers["Authorization"] = "Bearer " .. token
      wrk.headers["X-User-ID"] = os.getenv("TB_USER") or ""
    end
  end
end

function request()
  sent = sent + 1
  if mode == "session" then
    return wrk.format("GET", "/v1/session", { ["X-User-ID"] = user_uuid(id, sent) })
  elseif mode == "submit" then
    local line = users[next_user]
    next_user = next_user + 1
    if next_user > #users then
      next_user = 1
      exhausted = exhausted + 1
    end
    local user, token = line:match("^(%S+) (%S+)$")
    local parts = {}
    local now = os.time()
    for i = 1, 7 do
      local qid = ids[math.random(#ids)]
      parts[i] = string.format('{"question_id":"%s","answer":%s,"timestamp":%d,"response_time_ms":%d}', qid,
                               math.random(2) == 1 and "true" or "false", now, math.random(500, 9000))
    end
    local body = '{"answers":[' .. table.concat(parts, ",") .. "]}"
    return wrk.format("POST", "/v1/submit-answers", {
      ["Authorization"] = "Bearer " .. token,
      ["X-User-ID"] = user,
      ["Content-Type"] = "application/json",
    }, body)
  end
  return wrk.request()
end

if mode == "session" then
  function response(status, headers, body)
    if status == 200 then
      local user = body:match('"user_id":"([^"]+)"')
      local token = body:match('"access_token":"([^"]+)"')
      if user and token then out_file:write(user, " ", token, "\n") end
    end
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  local socket_errors = errors.connect + errors.read + errors.write + errors.timeout
  local reused = 0
  for _, thread in ipairs(threads) do
    reused = reused + (thread:get("exhausted") or 0)
  end
  local line = string.format(
    '{"requests":%d,"duration_us":%d,"rps":%.1f,"p50_us":%d,"p99_us":%d,"max_us":%d,"non_2xx":%d,"socket_errors":%d,"users_reused":%d}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6), latency:percentile(50),
    latency:percentile(99), latency.max, errors.status, socket_errors, reused)
  local f = io.open(os.getenv("TB_OUT"), "a")
  f:write(line)
  f:close()
end
