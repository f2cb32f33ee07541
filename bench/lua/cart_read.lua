-- GET /api/cart with the shoppers' tokens round-robin.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
  for i, token in ipairs(read_lines(os.getenv("BENCH_TOKENS_FILE"))) do
    table.insert(requests, wrk.format("GET", "/api/cart", bearer(token, i)))
  end
  position = thread_id * math.floor(#requests / thread_count) -- threads start half the list apart
  ready = true
end

next_request = round_robin
