-- GET requests, each to a path picked at random from a file (one path a line): reads of
-- many carts by id, or the same list page again and again (a file of one line).
--
-- Environment (set by run.py):
--   BENCH_PATHS  the file of paths, e.g. /omni-svcs/v1/carts/<id> or /omni-svcs/v1/orders?state=Submitted

local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end
local headers = {["Accept"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")}

-- Each thread seeds its own generator, so threads do not walk the same sequence.
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end

dofile((os.getenv("BENCH_DIR") or "bench") .. "/report.lua")
