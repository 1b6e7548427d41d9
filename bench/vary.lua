-- Distinct requests: every request asks another page, so none is served from the validation
-- cache (it keeps 2048 outcomes per operation; this cycles through 5000).
local n = 0
request = function()
  n = (n % 5000) + 1
  return wrk.format("GET", "/deskchime/api/v1/users?limit=50&page=" .. n)
end
