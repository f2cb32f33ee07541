-- GET the paths in BENCH_PATHS (space-separated) round-robin: /healthz, a cached list, cached details.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
  local paths = {}
  for path in os.getenv("BENCH_PATHS"):gmatch("%S+") do
    table.insert(paths, path)
  end
  for i = 0, math.max(#paths, tonumber(os.getenv("BENCH_CLIENTS") or "1000")) - 1 do
    table.insert(requests, wrk.format("GET", paths[i % #paths + 1], client(i)))
  end
  position = thread_id * 7919 -- threads start far apart in the list
  ready = true
end

next_request = round_robin
