-- POST /api/cart/items, quantity 1, tokens round-robin. Each shopper adds to LINES products of their
-- own, one after the other, so a line grows by about adds / (shoppers * LINES): far below its cap of 99.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local LINES = 10
local tokens, products, n = {}, {}, 0
local json = { ["Content-Type"] = "application/json" }

function init(args)
  tokens = read_lines(os.getenv("BENCH_TOKENS_FILE"))
  products = read_lines(os.getenv("BENCH_PRODUCTS_FILE"))
  n = thread_id * math.floor(#tokens / thread_count)
  ready = true
end

function next_request()
  local shopper = n % #tokens
  local line = math.floor(n / #tokens) % LINES
  n = n + 1
  local product = products[(shopper * LINES + line) % #products + 1]
  local body = string.format('{"product_id": %s, "quantity": 1}', product)
  return wrk.format("POST", "/api/cart/items", bearer(tokens[shopper + 1], shopper, json), body)
end
