-- Distinct requests: every request asks another page, so no answer is served from a cache of
-- identical requests (validation outcomes keep 2048 per operation, remembered list pages 64;
-- this cycles through 5000). PATH is set by bench.py through the environment.
local path = os.getenv("VARY_PATH")
local n = 0
request = function()
  n = (n % 5000) + 1
  return wrk.format("GET", path .. "&page=" .. n)
end
