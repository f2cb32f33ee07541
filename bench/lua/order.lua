-- POST /api/orders, each request as a new buyer whose 3-line cart is ready. Buyers
-- BENCH_TOKEN_FIRST .. +BENCH_TOKEN_COUNT-1 (1-based lines of BENCH_TOKENS_FILE) are this run's;
-- each thread takes its own contiguous slice, so no buyer checks out twice.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local body = '{"shipping_address": {"full_name": "Ada Lovelace", "line1": "12 Velvet Row", '
  .. '"city": "London", "postal_code": "N1 7GU", "country": "GB", "phone": "+44 20 7946 0000"}}'

function init(args)
  local first = tonumber(os.getenv("BENCH_TOKEN_FIRST"))
  local slice = math.floor(tonumber(os.getenv("BENCH_TOKEN_COUNT")) / thread_count)
  local lo, hi = first + thread_id * slice, first + (thread_id + 1) * slice - 1
  local index = 0
  for line in io.lines(os.getenv("BENCH_TOKENS_FILE")) do
    index = index + 1
    if index > hi then
      break
    end
    if index >= lo then
      local headers = bearer(line, index, { ["Content-Type"] = "application/json" })
      table.insert(requests, wrk.format("POST", "/api/orders", headers, body))
    end
  end
  ready = true
end

function next_request()
  position = position + 1
  if position > #requests then
    exhausted = exhausted + 1 -- the last buyer again: its cart is empty, so it answers 400 and counts
    return requests[#requests]
  end
  return requests[position]
end
