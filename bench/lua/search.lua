-- The product list's first page with a search, a price floor and an ordering: no two requests
-- alike, in this run or another (BENCH_SEQUENCE_START), so every answer is built, never cached.
-- (A later page may not exist for a rare word over a high floor: a 404 would count as an error.)
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local words = {}
local orderings = { "price", "-price", "name", "-name", "created_at", "-created_at" }
local n = 0
local first = 0

function init(args)
  for _, word in ipairs(read_lines(os.getenv("BENCH_WORDS_FILE"))) do
    table.insert(words, url_encode(word))
  end
  first = tonumber(os.getenv("BENCH_SEQUENCE_START") or "0")
  ready = true
end

function next_request()
  -- c is unique across threads and runs; (c mod 3000, c div 3000 mod 100) makes the price unique
  local c = first + n * thread_count + thread_id
  n = n + 1
  local min_price = string.format("%d.%02d", 200 + c % 3000, math.floor(c / 3000) % 100)
  local path = string.format(
    "/api/products?search=%s&min_price=%s&ordering=%s",
    words[c % #words + 1], min_price, orderings[math.floor(c / #words) % #orderings + 1]
  )
  return wrk.format("GET", path, client(c))
end
