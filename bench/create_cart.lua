-- Create Cart with the carrier's seed request (tests/conftest.py SEED_REQUEST; run.py
-- checks the two stay equal). A static request: wrk sends it without calling Lua per
-- request, so the load generator costs as little as possible.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")  -- the baseline ignores it
wrk.body = [[
{"channel": {"id": "IND", "name": "IND", "extensions": [
   {"name": "subChannel", "value": "bestbuy"},
   {"name": "subChannelGroup", "value": "National Retail"}]},
 "relatedParty": [
   {"referredType": "individual", "role": "owner", "id": "2f3ca666-744d-4aa3-9351-e259185a065b"},
   {"name": "RS and I Inc", "referredType": "dealerLocation", "id": "G5MGG", "role": "partner"},
   {"referredType": "customer", "role": "customer", "id": "3f7f9189-974e-4639-8343-4a1819a98c7e",
    "extensions": [{"name": "CustomerType", "value": "Consumer"},
                   {"name": "CustomerSubType", "value": "Individual"}]}]}
]]

dofile((os.getenv("BENCH_DIR") or "bench") .. "/report.lua")
