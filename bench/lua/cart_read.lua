-- GET /api/cart with the shoppers' tokens round-robin.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local requests, n = {}, 0

function init(args)
  for i, token in ipairs(read_lines(os.getenv("BENCH_TOKENS_FILE"))) do
    table.insert(requests, wrk.format("GET", "/api/cart", bearer(token, i)))
  end
  n = thread_id * math.floor(#requests / thread_count) -- threads start half the list apart
  ready = true
end

function request()
  if not ready then
    return wrk.format() -- wrk checks the script's request in its main state, before any init()
  end
  n = n + 1
  return requests[n % #requests + 1]
end
