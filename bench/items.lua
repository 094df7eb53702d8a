-- Item writes and cart reads against carts prepared by run.py.
--
-- Run with as many wrk threads as connections (-t N -c N): wrk gives Lua no handle on a
-- connection, but each thread has its own Lua state, so one thread = one connection =
-- one item id (and, with If-Match, one cart whose ETag only this connection changes).
--
-- Environment (set by run.py):
--   BENCH_MODE      "read": GET the cart; "write": alternate POST one item / DELETE it,
--                   so the cart size stays within one item of where it started (a cart
--                   holds at most 200 items, so it cannot just keep growing)
--   BENCH_CARTS     comma-separated cart ids; thread i uses cart i (modulo the count)
--   BENCH_ETAGS     their current ETags, same order (only needed with If-Match)
--   BENCH_IF_MATCH  "1": send If-Match with the ETag of the previous response
--   BENCH_ITEM      prefix of the item id each thread adds and removes

local function split(text)
  local out = {}
  for part in string.gmatch(text or "", "[^,]+") do out[#out + 1] = part end
  return out
end

local mode = os.getenv("BENCH_MODE") or "write"
local auth = "Bearer " .. os.getenv("BENCH_KEY")
local use_if_match = os.getenv("BENCH_IF_MATCH") == "1"
local carts, etags = split(os.getenv("BENCH_CARTS")), split(os.getenv("BENCH_ETAGS"))
local threads = 0

-- Runs in wrk's main Lua state, once per thread, before the thread starts.
function setup(thread)
  threads = threads + 1
  local index = (threads - 1) % #carts + 1
  thread:set("cart", carts[index])
  thread:set("etag", etags[index] or "")
  thread:set("item", (os.getenv("BENCH_ITEM") or "bench") .. "-" .. threads)
end

local base, has_item, last

function init(args)
  base = "/omni-svcs/v1/carts/" .. cart
  has_item = false
end

local function item_body()
  return '{"items":[{"action":"add","productOfferingType":"Mobile_Device",' ..
    '"productOfferingId":"Mobile_Device_pkey73001_sku2680262","productOrderItemId":"' .. item ..
    '","characteristic":[{"name":"eSIM_Enabled","value":"true"}]}]}'
end

function request()
  if mode == "read" then
    return wrk.format("GET", base, {["Accept"] = "application/json", ["Authorization"] = auth})
  end
  local headers = {["Accept"] = "application/json", ["Authorization"] = auth}
  if use_if_match then headers["If-Match"] = etag end
  if has_item then
    last = "delete"
    return wrk.format("DELETE", base .. "/items/" .. item, headers)
  end
  last = "post"
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", base .. "/items", headers, item_body())
end

-- Only writes need to look at responses (parsing them costs wrk a little).
if mode == "write" then
  function response(status, headers, body)
    -- 409 (already there) and 404 (already gone) resynchronise after a lost response;
    -- wrk still counts them as errors, which run.py reports.
    if last == "post" and (status == 200 or status == 409) then has_item = true end
    if last == "delete" and (status == 200 or status == 404) then has_item = false end
    -- 200 and 412 both carry the cart's current ETag.
    etag = headers["etag"] or headers["ETag"] or etag
  end
end

dofile((os.getenv("BENCH_DIR") or "bench") .. "/report.lua")
