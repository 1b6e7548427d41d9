"""The Lua scripts of the Redis store (core.stores.redis): each runs atomically in Redis.

Keys are under the namespace prefix passed as ARGV[1]; the layout is described in redis.py.
"""

_LOAD = """
local p, k, have_ver, have_gen = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local cur = redis.call('HGET', p..':vers', k)
if not cur then return {'0', '0', 'full'} end
local ver, gen = string.match(cur, '^(%d+) (%d+)$')
if ver == have_ver and gen == have_gen then return {ver, gen, 'same'} end
if gen ~= have_gen or have_ver == '' then
  local ids = redis.call('ZRANGE', p..':o:'..k, 0, -1)
  local out = {ver, gen, 'full'}
  for first = 1, #ids, 1000 do
    local chunk = {}
    for j = first, math.min(first + 999, #ids) do chunk[#chunk + 1] = ids[j] end
    local vals = redis.call('HMGET', p..':d:'..k, unpack(chunk))
    for j = 1, #chunk do out[#out + 1] = chunk[j]; out[#out + 1] = vals[j] or '' end
  end
  return out
end
local ids = redis.call('ZRANGEBYSCORE', p..':c:'..k, '('..have_ver, '+inf')
local out = {ver, gen, 'delta'}
for j = 1, #ids do
  out[#out + 1] = ids[j]
  out[#out + 1] = redis.call('HGET', p..':d:'..k, ids[j]) or ''
  out[#out + 1] = redis.call('ZSCORE', p..':o:'..k, ids[j]) or '0'
end
return out
"""

_BEGIN = """
local p = ARGV[1]
local ver = redis.call('HGET', p..':ctr', '#ver') or '0'
local sv = redis.call('HGET', p..':ctr', '#state') or '0'
local out = {ver, false, sv, false, 0}
if ver ~= ARGV[2] then out[2] = redis.call('HGETALL', p..':vers') end
if sv ~= ARGV[3] then out[4] = redis.call('HGETALL', p..':state') end
if ARGV[4] == '1' then out[5] = redis.call('INCR', p..':req') end  -- not in :ctr (watched)
return out
"""

_COMMIT = """
local p = ARGV[1]
if ARGV[2] ~= '' then  -- a writer holding the tenant's lock goes first: others retry under it
  local holder = redis.call('GET', ARGV[2])
  if holder and holder ~= ARGV[3] then return {'conflict', 'locked'} end
end
local i = 4
local nreads = tonumber(ARGV[i]); i = i + 1
for _ = 1, nreads do
  local k, want = ARGV[i], ARGV[i + 1]; i = i + 2
  local cur = redis.call('HGET', p..':vers', k)
  local ver = cur and string.match(cur, '^(%d+)') or '0'
  if ver ~= want then return {'conflict', k} end
end
local out = {'ok'}
local nkeys = tonumber(ARGV[i]); i = i + 1
for _ = 1, nkeys do
  local k, n = ARGV[i], tonumber(ARGV[i + 1]); i = i + 2
  local cur = redis.call('HGET', p..':vers', k)
  local oldver, gen = '0', '0'
  if cur then oldver, gen = string.match(cur, '^(%d+) (%d+)$')
  else  -- a new collection (or one a reset removed): a new generation, so no stale copy serves
    gen = tostring(redis.call('HINCRBY', p..':ctr', '#gen', 1))
  end
  local ver = redis.call('HINCRBY', p..':ctr', '#ver', 1)
  for _ = 1, n do
    local id, rec = ARGV[i], ARGV[i + 1]; i = i + 2
    if rec == '' then
      redis.call('HDEL', p..':d:'..k, id)
      redis.call('ZREM', p..':o:'..k, id)
    else
      if redis.call('HSET', p..':d:'..k, id, rec) == 1 then
        redis.call('ZADD', p..':o:'..k, redis.call('HINCRBY', p..':ctr', '#seq', 1), id)
      end
      local digits = string.match(id, '(%d+)$')
      if digits and #digits <= 15 then
        local have = tonumber(redis.call('HGET', p..':ids', k) or '0')
        if tonumber(digits) > have then redis.call('HSET', p..':ids', k, digits) end
      end
    end
    redis.call('ZADD', p..':c:'..k, ver, id)
  end
  redis.call('HSET', p..':vers', k, ver..' '..gen)
  redis.call('SADD', p..':dirty', k)
  out[#out + 1] = k; out[#out + 1] = oldver; out[#out + 1] = tostring(ver); out[#out + 1] = gen
end
local nev = tonumber(ARGV[i]); i = i + 1
for _ = 1, nev do redis.call('RPUSH', p..':l:outbox', ARGV[i]); i = i + 1 end
if nev > 0 then
  redis.call('LTRIM', p..':l:outbox', -tonumber(ARGV[i]), -1)
  redis.call('SADD', p..':lists', 'outbox')
end
return out
"""

_REVERT = """
local p = ARGV[1]
local dirty = redis.call('SMEMBERS', p..':dirty')
for _, k in ipairs(dirty) do
  redis.call('DEL', p..':d:'..k, p..':o:'..k, p..':c:'..k)
  local ver = redis.call('HINCRBY', p..':ctr', '#ver', 1)
  local gen = redis.call('HINCRBY', p..':ctr', '#gen', 1)
  if redis.call('EXISTS', p..':b:o:'..k) == 1 then
    redis.call('COPY', p..':b:d:'..k, p..':d:'..k)
    redis.call('COPY', p..':b:o:'..k, p..':o:'..k)
    redis.call('HSET', p..':vers', k, ver..' '..gen)
  else
    redis.call('HDEL', p..':vers', k)
  end
end
redis.call('DEL', p..':dirty')
redis.call('DEL', p..':ids')
if redis.call('EXISTS', p..':b:ids') == 1 then redis.call('COPY', p..':b:ids', p..':ids') end
return #dirty
"""

_WINDOW = """
local v = redis.call('HGET', KEYS[1], ARGV[1])
local now, window, cost, limit = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local started, used = now, 0
if v then
  local s, u = string.match(v, '^(%S+) (%d+)$')
  started, used = tonumber(s), tonumber(u)
  if now >= started + window then started, used = now, 0 end
end
local allowed = 0
if used + cost <= limit then used = used + cost; allowed = 1 end
local text = string.format('%.6f', started)
redis.call('HSET', KEYS[1], ARGV[1], text..' '..used)
return {text, used, allowed}
"""

_CLEAR_SHARED = """
local p = ARGV[1]
local keep = {}
for j = 2, #ARGV do keep[ARGV[j]] = true end
for _, name in ipairs(redis.call('HKEYS', p..':state')) do
  if not keep[name] then redis.call('HDEL', p..':state', name) end
end
for _, name in ipairs(redis.call('HKEYS', p..':ctr')) do
  if name ~= 'request' and string.sub(name, 1, 1) ~= '#' then redis.call('HDEL', p..':ctr', name) end
end
for _, g in ipairs(redis.call('SMEMBERS', p..':wins')) do redis.call('DEL', p..':win:'..g) end
for _, l in ipairs(redis.call('SMEMBERS', p..':lists')) do redis.call('DEL', p..':l:'..l) end
redis.call('HINCRBY', p..':ctr', '#state', 1)
redis.call('DEL', p..':kv')  -- the registries of names stay: every process noted its own
return 1
"""

# Snapshots: under S = P:snap:NAME, `S:d:K` / `S:o:K` copies of each collection, `S:colls` the
# collections, `S:ids`, `S:state`, `S:kv` copies, `S:ctr` the counters (but the request counter
# and the store's own `#` counters), `S:win:G` / `S:wins` the rate-limit windows; `P:snaps` hash
# name -> summary JSON. Each script runs atomically, so a snapshot is one instant of the store.
_SNAP_DROP_KEYS = """
local function drop_snapshot(p, name)
  local s = p..':snap:'..name
  for _, k in ipairs(redis.call('SMEMBERS', s..':colls')) do
    redis.call('DEL', s..':d:'..k, s..':o:'..k)
  end
  for _, g in ipairs(redis.call('SMEMBERS', s..':wins')) do redis.call('DEL', s..':win:'..g) end
  redis.call('DEL', s..':colls', s..':wins', s..':ids', s..':state', s..':kv', s..':ctr')
  return redis.call('HDEL', p..':snaps', name)
end
"""

_SNAP_SAVE = _SNAP_DROP_KEYS + """
local p, name, meta = ARGV[1], ARGV[2], ARGV[3]
local s = p..':snap:'..name
drop_snapshot(p, name)
local function keep(src, dst)
  if redis.call('EXISTS', src) == 1 then redis.call('COPY', src, dst, 'REPLACE') end
end
local colls, records = 0, 0
local vers = redis.call('HKEYS', p..':vers')
for _, k in ipairs(vers) do
  keep(p..':d:'..k, s..':d:'..k)
  keep(p..':o:'..k, s..':o:'..k)
  redis.call('SADD', s..':colls', k)
  colls = colls + 1
  records = records + redis.call('HLEN', p..':d:'..k)
end
keep(p..':ids', s..':ids')
keep(p..':state', s..':state')
keep(p..':kv', s..':kv')
local ctr = redis.call('HGETALL', p..':ctr')
for j = 1, #ctr, 2 do
  if ctr[j] ~= 'request' and string.sub(ctr[j], 1, 1) ~= '#' then
    redis.call('HSET', s..':ctr', ctr[j], ctr[j + 1])
  end
end
for _, g in ipairs(redis.call('SMEMBERS', p..':wins')) do
  if redis.call('EXISTS', p..':win:'..g) == 1 then
    redis.call('COPY', p..':win:'..g, s..':win:'..g, 'REPLACE')
    redis.call('SADD', s..':wins', g)
  end
end
redis.call('HSET', p..':snaps', name, meta)
return {colls, records}
"""

_SNAP_RESTORE = """
local p, name = ARGV[1], ARGV[2]
local s = p..':snap:'..name
if redis.call('HEXISTS', p..':snaps', name) == 0 then return 0 end
-- the live collections go (each is dirty: a reset copies the base back)
for _, k in ipairs(redis.call('HKEYS', p..':vers')) do
  redis.call('DEL', p..':d:'..k, p..':o:'..k, p..':c:'..k)
  redis.call('SADD', p..':dirty', k)
end
redis.call('DEL', p..':vers')
-- the snapshot's come back, each at a new version and generation (copied again, whole)
for _, k in ipairs(redis.call('SMEMBERS', s..':colls')) do
  if redis.call('EXISTS', s..':d:'..k) == 1 then redis.call('COPY', s..':d:'..k, p..':d:'..k) end
  if redis.call('EXISTS', s..':o:'..k) == 1 then redis.call('COPY', s..':o:'..k, p..':o:'..k) end
  local ver = redis.call('HINCRBY', p..':ctr', '#ver', 1)
  local gen = redis.call('HINCRBY', p..':ctr', '#gen', 1)
  redis.call('HSET', p..':vers', k, ver..' '..gen)
  redis.call('SADD', p..':dirty', k)
end
redis.call('HINCRBY', p..':ctr', '#ver', 1)
for _, part in ipairs({'ids', 'state', 'kv'}) do
  redis.call('DEL', p..':'..part)
  if redis.call('EXISTS', s..':'..part) == 1 then redis.call('COPY', s..':'..part, p..':'..part) end
end
redis.call('HINCRBY', p..':ctr', '#state', 1)
for _, field in ipairs(redis.call('HKEYS', p..':ctr')) do
  if field ~= 'request' and string.sub(field, 1, 1) ~= '#' then redis.call('HDEL', p..':ctr', field) end
end
local ctr = redis.call('HGETALL', s..':ctr')
for j = 1, #ctr, 2 do redis.call('HSET', p..':ctr', ctr[j], ctr[j + 1]) end
for _, g in ipairs(redis.call('SMEMBERS', p..':wins')) do redis.call('DEL', p..':win:'..g) end
for _, g in ipairs(redis.call('SMEMBERS', s..':wins')) do
  redis.call('COPY', s..':win:'..g, p..':win:'..g, 'REPLACE')
  redis.call('SADD', p..':wins', g)
end
return 1
"""

_SNAP_DROP = _SNAP_DROP_KEYS + """
return drop_snapshot(ARGV[1], ARGV[2])
"""
