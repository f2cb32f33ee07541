-- Shared by every scenario (loaded with dofile): thread ids, non-2xx counting, and one JSON
-- summary line for bench/run.py. wrk gives each thread its own Lua state: setup() and done()
-- run in the main state, init(), request() and response() in the thread's.

local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

thread_id = 0
thread_count = tonumber(os.getenv("BENCH_THREADS") or "1")
non2xx = 0
statuses = {}
ready = false -- set by init(): only thread states build requests
exhausted = 0 -- requests sent after the thread ran out of ready shoppers (order scenario)

-- wrk asks the main state for a request to check the script, before any init() ran: it gets a
-- plain one; a thread's requests come from the scenario's next_request() once its init() is done.
function request()
  if not ready then
    return wrk.format()
  end
  return next_request()
end

-- For scenarios whose init() builds every request up front into `requests`: them in turn, from
-- `position` on.
requests, position = {}, 0

function round_robin()
  position = position + 1
  return requests[position % #requests + 1]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    statuses[tostring(status)] = (statuses[tostring(status)] or 0) + 1
  end
end

function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then
      table.insert(lines, line)
    end
  end
  return lines
end

function url_encode(text)
  return (text:gsub("[^%w%-_%.~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

-- Requests come from BENCH_CLIENTS addresses, as the proxy in front (TRUSTED_PROXY_COUNT=1) says:
-- one address for all would make each throttle's history hold every request of the last minute.
local clients = tonumber(os.getenv("BENCH_CLIENTS") or "1000")

function client(i, headers)
  headers = headers or {}
  i = i % clients
  local a, b = math.floor(i / 65536) % 256, math.floor(i / 256) % 256
  headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", a, b, i % 256)
  return headers
end

function bearer(token, i, extra)
  local headers = client(i, { Authorization = "Bearer " .. token })
  for name, value in pairs(extra or {}) do
    headers[name] = value
  end
  return headers
end

function done(summary, latency, requests)
  local failed, ran_out, by_status = 0, 0, {}
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("non2xx")
    ran_out = ran_out + thread:get("exhausted")
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(by_status) do
    table.insert(parts, string.format('"%s": %d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, '
      .. '"non2xx": %d, "statuses": {%s}, "socket_errors": {"connect": %d, "read": %d, "write": %d, '
      .. '"timeout": %d}, "exhausted": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    failed, table.concat(parts, ", "), e.connect, e.read, e.write, e.timeout, ran_out
  ))
end
