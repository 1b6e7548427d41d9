-- A test suite's traffic: of every five requests two list DeskChime users, two list Deskie cases
-- and one creates a Deskie case (20 % writes). Every read is another page or another filter
-- (DeskChime: limit x role, 12 combinations, then the next page; Deskie: limit x status x
-- priority, 75 combinations, then the next page; pages cycle through 5000), so neither the
-- validation outcomes nor the remembered list pages can answer from an identical request, and
-- every write makes the next Deskie list compute afresh. The answers' statuses are counted and
-- printed at the end as "STATUSES code=count ...".
-- Set by bench.py through the environment: MIX_PREFIX_DESKCHIME / MIX_PREFIX_DESKIE (path
-- prefixes), MIX_DESKCHIME_KEY (x-api-key), MIX_DESKIE_AUTH (base64 of staff_email:api_key),
-- MIX_THREADS (wrk -t), MIX_OFFSET (where the sequence starts, so consecutive runs of a soak
-- keep asking new pages).
local dc_prefix = os.getenv("MIX_PREFIX_DESKCHIME") or "/deskchime"
local dk_prefix = os.getenv("MIX_PREFIX_DESKIE") or "/deskie"
local nthreads = tonumber(os.getenv("MIX_THREADS") or "1")
local offset = tonumber(os.getenv("MIX_OFFSET") or "0")
local dc_headers = {["x-api-key"] = os.getenv("MIX_DESKCHIME_KEY")}
local dk_auth = "Basic " .. (os.getenv("MIX_DESKIE_AUTH") or "")
local dk_read = {["Authorization"] = dk_auth}
local dk_write = {["Authorization"] = dk_auth, ["Content-Type"] = "application/json"}

local dc_limits = {10, 20, 50}
local dc_roles = {"", "&role=Admin", "&role=Manager", "&role=Member"}
local dk_limits = {25, 50, 100}
local dk_statuses = {"", "&status=open", "&status=waiting", "&status=closed",
                     "&status=open,waiting"}
local dk_priorities = {"", "&priority=low", "&priority=normal", "&priority=high",
                       "&priority=critical"}

local threads = {}
setup = function(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

tid = 0
statuses = {}
local n = 0

request = function()
  local k = (offset + n) * nthreads + tid   -- distinct across threads and runs
  n = n + 1
  local slot = k % 5
  local j = math.floor(k / 5)
  if slot == 0 then
    local body = string.format(
      '{"case": {"user_email": "bench.customer%d@example.test", "subject": "Load test case %d", '
      .. '"content": "Opened by the load benchmark\'s test-suite mix."}}', j % 20, k)
    return wrk.format("POST", dk_prefix .. "/api/cases.json", dk_write, body)
  end
  local i = j * 2 + (slot > 2 and 1 or 0)
  if slot % 2 == 1 then
    local c = i % 12
    local page = 1 + math.floor(i / 12) % 5000
    return wrk.format("GET", string.format("%s/api/v1/users?limit=%d&page=%d%s", dc_prefix,
      dc_limits[c % 3 + 1], page, dc_roles[math.floor(c / 3) + 1]), dc_headers)
  end
  local c = i % 75
  local page = 1 + math.floor(i / 75) % 5000
  return wrk.format("GET", string.format("%s/api/cases.json?limit=%d&page=%d%s%s", dk_prefix,
    dk_limits[c % 3 + 1], page, dk_statuses[math.floor(c / 3) % 5 + 1], dk_priorities[math.floor(c / 15) + 1]),
    dk_read)
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("statuses")) do
      total[code] = (total[code] or 0) + count
    end
  end
  local parts = {}
  for code, count in pairs(total) do
    table.insert(parts, string.format("%d=%d", code, count))
  end
  io.write("STATUSES " .. table.concat(parts, " ") .. "\n")
end
