/**
 * The Lua scripts behind {@link RedisCounters}. Each runs atomically on the server, so every
 * check-and-record is one indivisible step however many API processes call it at once.
 *
 * Times are the callers' epoch milliseconds (integers), passed in: every process runs on a
 * clock synchronised with the others (see docs/decisions/0007-redis-fault-policy.md).
 * Numbers go back to Lua as strings; `fmt` renders them without an exponent (`%.0f`), which
 * matters for sorted-set bounds and hash field names built from bucket starts.
 */

const PRELUDE = `
local function fmt(x) return string.format('%.0f', x) end
`;

/**
 * Sliding-log rate limits of the organization and, optionally, the key, in one step: a request
 * is recorded in both logs or in neither.
 *
 * KEYS[1] organization log, KEYS[2] key log (sorted sets: score = admission time, member =
 * a unique request id). ARGV: now, member, record (1|0), org per-second cap, org per-minute
 * cap, key per-second cap (0 = no key limiter), key per-minute cap, keepMs (how long entries
 * are kept beyond the minute window, so a request processed slightly out of order still sees them).
 *
 * A log counts every entry with a score above `now - W`, including entries "from the future"
 * (another process a few ms ahead): the admission rule is then safe even when requests reach
 * Redis out of timestamp order (for any span, the last-processed admission in it saw the others).
 *
 * Returns, per limiter, six integers: second count, oldest second entry, second free-at,
 * minute count, oldest minute entry, minute free-at (-1 = none) — all before this request —
 * then 1 if admitted (and recorded when record = 1), else 0.
 */
export const RATE_SCRIPT = `${PRELUDE}
local now = tonumber(ARGV[1])
local record = ARGV[3] == '1'
local caps = { { tonumber(ARGV[4]), tonumber(ARGV[5]) }, { tonumber(ARGV[6]), tonumber(ARGV[7]) } }
local keep = tonumber(ARGV[8])
local n = 1
if caps[2][1] > 0 then n = 2 end
local out = {}
local admit = true
local function window(key, width, cap)
  local from = '(' .. fmt(now - width)
  local count = redis.call('ZCOUNT', key, from, '+inf')
  local oldest = -1
  local free = -1
  if count > 0 then
    oldest = tonumber(redis.call('ZRANGEBYSCORE', key, from, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)[2])
  end
  if count >= cap then
    local r = redis.call('ZRANGEBYSCORE', key, from, '+inf', 'WITHSCORES', 'LIMIT', count - cap, 1)
    free = tonumber(r[2]) + width
  end
  return count, oldest, free
end
for i = 1, n do
  local key = KEYS[i]
  redis.call('ZREMRANGEBYSCORE', key, '-inf', fmt(now - keep))
  local sc, so, sf = window(key, 1000, caps[i][1])
  local mc, mo, mf = window(key, 60000, caps[i][2])
  if sc >= caps[i][1] or mc >= caps[i][2] then admit = false end
  for _, v in ipairs({ sc, so, sf, mc, mo, mf }) do out[#out + 1] = v end
end
if admit and record then
  for i = 1, n do
    redis.call('ZADD', KEYS[i], fmt(now), ARGV[2])
    redis.call('PEXPIRE', KEYS[i], fmt(keep))
  end
end
out[#out + 1] = admit and 1 or 0
return out
`;

/**
 * The quota state of one key, shared by the quota scripts. KEYS[1] is a hash:
 *   tag       quota configuration the state was last synchronised for (see SYNC_SCRIPT)
 *   seed      when the PostgreSQL read of the last synchronisation started (epoch ms)
 *   t         total credits
 *   m:<start> credits of a 1-minute bucket (daily), h:<start> of a 1-hour bucket (weekly, monthly)
 *   ds ws ns  running sums of the daily, weekly and monthly windows
 *   dp wp np  their prune pointers: buckets starting at or before the pointer are not in the sum
 * KEYS[2] / KEYS[3] index the minute / hour buckets (sorted sets, score = member = start).
 *
 * A bucket [s, s + B) counts in a window of length D at `now` while s + B > now - D (the rule of
 * the domain package). Sums are pruned lazily, a whole bucket at a time, up to
 * `now - slack - D - B`; the few buckets between that pointer and the exact edge are subtracted
 * on each read. Keeping `slack` of history makes reads exact for requests processed up to
 * `slack` ms out of timestamp order. A charge touches the hash once (HSET of the new values);
 * the indexes and TTLs change only when a new bucket starts.
 */
const QUOTA_STATE = `${PRELUDE}
local H, ZM, ZH = KEYS[QK], KEYS[QK + 1], KEYS[QK + 2]
local MIN, HOUR, DAY = 60000, 3600000, 86400000
local WINDOWS = {
  { sum = 'ds', ptr = 'dp', z = ZM, pre = 'm:', B = MIN, D = DAY, owner = true },
  { sum = 'ws', ptr = 'wp', z = ZH, pre = 'h:', B = HOUR, D = 7 * DAY, owner = false },
  { sum = 'ns', ptr = 'np', z = ZH, pre = 'h:', B = HOUR, D = 30 * DAY, owner = true },
}
local function num(v) return tonumber(v or '0') or 0 end
local function floorTo(x, b) return math.floor(x / b) * b end
local function pruneCut(w, now, slack) return floorTo(now - slack - w.D - w.B, w.B) end

-- The scalar fields: st.tag, st.t, st.sum[i], st.ptr[i].
local function readState()
  local v = redis.call('HMGET', H, 'tag', 't', 'ds', 'ws', 'ns', 'dp', 'wp', 'np')
  return { tag = v[1], t = num(v[2]), sum = { num(v[3]), num(v[4]), num(v[5]) },
    ptr = { num(v[6]), num(v[7]), num(v[8]) } }
end

-- Drops whole buckets that left each window more than slack ms ago (the weekly window only
-- moves its pointer: the hour buckets stay for the monthly one, which deletes them). Returns
-- true when it changed st (the caller writes st back).
local function prune(st, now, slack)
  local changed = false
  for i, w in ipairs(WINDOWS) do
    local cut = pruneCut(w, now, slack)
    if cut > st.ptr[i] then
      local gone = redis.call('ZRANGEBYSCORE', w.z, '(' .. fmt(st.ptr[i]), fmt(cut))
      if #gone > 0 then
        local fields = {}
        for k, m in ipairs(gone) do fields[k] = w.pre .. m end
        local vals = redis.call('HMGET', H, unpack(fields))
        for k = 1, #gone do st.sum[i] = st.sum[i] - num(vals[k]) end
        if w.owner then
          redis.call('HDEL', H, unpack(fields))
          redis.call('ZREMRANGEBYSCORE', w.z, '-inf', fmt(cut))
        end
      end
      st.ptr[i] = cut
      changed = true
    end
  end
  return changed
end

-- Credits counted by each window at now and the start of its oldest counted bucket (-1 if none).
-- extra: hash fields whose values the caller also wants (read in the same HMGET).
local function usage(st, now, extra)
  local stale = {}
  local oldest = {}
  local fields = {}
  for i, w in ipairs(WINDOWS) do
    local edge = now - w.D - w.B
    stale[i] = {}
    oldest[i] = -1
    local from = st.ptr[i]
    local batch = math.floor(QUOTA_SLACK / w.B) + 3
    while oldest[i] < 0 do
      local r = redis.call('ZRANGEBYSCORE', w.z, '(' .. fmt(from), '+inf', 'LIMIT', 0, batch)
      for _, m in ipairs(r) do
        local start = tonumber(m)
        if start <= edge then
          stale[i][#stale[i] + 1] = #fields + 1
          fields[#fields + 1] = w.pre .. m
        elseif oldest[i] < 0 then
          oldest[i] = start
        end
      end
      if #r < batch then break end
      from = tonumber(r[#r])
    end
  end
  local base = #fields
  for _, f in ipairs(extra) do fields[#fields + 1] = f end
  local vals = {}
  if #fields > 0 then vals = redis.call('HMGET', H, unpack(fields)) end
  local used = {}
  for i = 1, 3 do
    used[i] = st.sum[i]
    for _, k in ipairs(stale[i]) do used[i] = used[i] - num(vals[k]) end
  end
  local extraVals = {}
  for k = 1, #extra do extraVals[k] = vals[base + k] end
  return used, oldest, extraVals
end

local function writeState(st, more)
  local args = { 't', fmt(st.t), 'ds', fmt(st.sum[1]), 'ws', fmt(st.sum[2]), 'ns', fmt(st.sum[3]),
    'dp', fmt(st.ptr[1]), 'wp', fmt(st.ptr[2]), 'np', fmt(st.ptr[3]) }
  for _, v in ipairs(more or {}) do args[#args + 1] = v end
  redis.call('HSET', H, unpack(args))
end

local function expire(ttl)
  redis.call('PEXPIRE', H, ttl)
  redis.call('PEXPIRE', ZM, ttl)
  redis.call('PEXPIRE', ZH, ttl)
end

-- Charges cost credits used at time t: buckets, total, and every sum that still holds the bucket.
-- mv/hv: the current values of the minute/hour bucket fields (nil when the bucket is new).
local function charge(st, t, cost, mv, hv, ttl)
  local ms = floorTo(t, MIN)
  local hs = floorTo(t, HOUR)
  st.t = st.t + cost
  for i, w in ipairs(WINDOWS) do
    local start = ms
    if w.B == HOUR then start = hs end
    if start > st.ptr[i] then st.sum[i] = st.sum[i] + cost end
  end
  writeState(st, { 'm:' .. fmt(ms), fmt(num(mv) + cost), 'h:' .. fmt(hs), fmt(num(hv) + cost) })
  if not mv then redis.call('ZADD', ZM, fmt(ms), fmt(ms)) end
  if not hv then redis.call('ZADD', ZH, fmt(hs), fmt(hs)) end
  if not mv or not hv then expire(ttl) end
end
`;

/** Slack in ms (see QUOTA_STATE): scripts and callers must agree. */
export const QUOTA_SLACK_MS = 60_000;

/**
 * Checks (and, with record = 1, charges) a request's cost against every configured window:
 * admitted only if each has room; charged in every bucket or in none.
 *
 * ARGV: now, cost, record (1|0), tag, total, daily, weekly, monthly limits (-1 = none), ttl.
 * Returns {-1} when the key's state is absent or was synchronised for another quota
 * configuration (the caller synchronises from PostgreSQL and retries); otherwise
 * {admitted, exceeded (0 none, 1 total, 2 daily, 3 weekly, 4 monthly), used total, used daily,
 * used weekly, used monthly, oldest daily bucket, oldest weekly, oldest monthly} — after the
 * charge when admitted and recorded.
 */
export const QUOTA_SCRIPT = `local QUOTA_SLACK = ${QUOTA_SLACK_MS}
local QK = 1
${QUOTA_STATE}
local now = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
local record = ARGV[3] == '1'
local st = readState()
if st.tag ~= ARGV[4] then return { -1 } end
local limits = { tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]) }
local ttl = tonumber(ARGV[9])
local changed = prune(st, now, QUOTA_SLACK)
local charging = record and cost > 0
local extra = {}
if charging then extra = { 'm:' .. fmt(floorTo(now, MIN)), 'h:' .. fmt(floorTo(now, HOUR)) } end
local used, oldest, cur = usage(st, now, extra)
local u = { st.t, used[1], used[2], used[3] }
local exceeded = 0
for i = 1, 4 do
  if exceeded == 0 and limits[i] >= 0 and u[i] + cost > limits[i] then exceeded = i end
end
if exceeded == 0 and charging then
  charge(st, now, cost, cur[1], cur[2], ttl)
  for i = 1, 4 do u[i] = u[i] + cost end
  if oldest[1] < 0 then oldest[1] = floorTo(now, MIN) end
  if oldest[2] < 0 then oldest[2] = floorTo(now, HOUR) end
  if oldest[3] < 0 then oldest[3] = floorTo(now, HOUR) end
elseif changed then
  writeState(st)
end
return { exceeded == 0 and 1 or 0, exceeded, u[1], u[2], u[3], u[4], oldest[1], oldest[2], oldest[3] }
`;

/**
 * Creates or re-synchronises a key's quota state from its persisted usage (PostgreSQL plus the
 * calling process's unflushed credits), atomically with respect to consumption: nothing is
 * charged while the state is absent (QUOTA_SCRIPT answers -1), and two processes syncing at
 * once cannot double-count because the merge takes, per bucket, the larger of the two counts
 * (each is a lower bound of the truth) and is skipped once the tag matches.
 *
 * ARGV: now, tag, loadStartedAt, total, nMinute, then nMinute pairs (start, credits), nHour,
 * then nHour pairs, ttl. Returns 1 if it wrote, 0 if the state was already in sync.
 */
export const SYNC_SCRIPT = `local QUOTA_SLACK = ${QUOTA_SLACK_MS}
local QK = 1
${QUOTA_STATE}
local now = tonumber(ARGV[1])
if redis.call('HGET', H, 'tag') == ARGV[2] then return 0 end
local i = 5
local nMinute = tonumber(ARGV[i])
local minutes = {}
for k = 1, nMinute do minutes[k] = { tonumber(ARGV[i + 2 * k - 1]), tonumber(ARGV[i + 2 * k]) } end
i = i + 2 * nMinute + 1
local nHour = tonumber(ARGV[i])
local hours = {}
for k = 1, nHour do hours[k] = { tonumber(ARGV[i + 2 * k - 1]), tonumber(ARGV[i + 2 * k]) } end
local ttl = tonumber(ARGV[i + 2 * nHour + 1])
local st = readState()
if redis.call('HEXISTS', H, 'dp') == 0 then
  st.t = 0
  for k, w in ipairs(WINDOWS) do
    st.sum[k] = 0
    st.ptr[k] = pruneCut(w, now, QUOTA_SLACK)
  end
end
local total = tonumber(ARGV[4])
if total > st.t then st.t = total end
local more = {}
local function merge(list, pre, z, ids)
  for _, b in ipairs(list) do
    local live = false
    for _, k in ipairs(ids) do if b[1] > st.ptr[k] then live = true end end
    local field = pre .. fmt(b[1])
    local delta = b[2] - num(redis.call('HGET', H, field))
    if delta > 0 and live then
      redis.call('HINCRBY', H, field, delta)
      redis.call('ZADD', z, fmt(b[1]), fmt(b[1]))
      for _, k in ipairs(ids) do
        if b[1] > st.ptr[k] then st.sum[k] = st.sum[k] + delta end
      end
    end
  end
end
merge(minutes, 'm:', ZM, { 1 })
merge(hours, 'h:', ZH, { 2, 3 })
writeState(st, { 'tag', ARGV[2], 'seed', ARGV[3] })
expire(ttl)
return 1
`;

/**
 * Adds credits charged in PostgreSQL while Redis was unreachable (FailoverCounters' journal),
 * unless the state was (re)synchronised from a PostgreSQL read that started after they were
 * committed (the read already holds them) or the state is absent (the next sync will read them).
 *
 * KEYS[4] is the set of requests charged in Redis (see ADMIT_SCRIPT): a request whose admission
 * timed out on the client but ran on the server is there, and is not charged twice.
 *
 * ARGV: t, cost, committedAt, ttl, request member. Returns 1 if added.
 */
export const REPLAY_SCRIPT = `local QUOTA_SLACK = ${QUOTA_SLACK_MS}
local QK = 1
${QUOTA_STATE}
local seed = redis.call('HGET', H, 'seed')
if not seed or tonumber(seed) >= tonumber(ARGV[3]) then return 0 end
if redis.call('ZSCORE', KEYS[4], ARGV[5]) then return 0 end
local t = tonumber(ARGV[1])
local st = readState()
local raw = redis.call('HMGET', H, 'm:' .. fmt(floorTo(t, MIN)), 'h:' .. fmt(floorTo(t, HOUR)))
charge(st, t, tonumber(ARGV[2]), raw[1], raw[2], tonumber(ARGV[4]))
return 1
`;

/**
 * Counts a failed attempt of one IP and blocks it once there are enough in the window.
 * KEYS[1] failures (sorted set of times), KEYS[2] block (string: until, with a TTL).
 * ARGV: now, member, windowMs, maxFailures, blockMs. Returns the block's end, or -1.
 */
export const AUTH_FAILURE_SCRIPT = `${PRELUDE}
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[3])
local block = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', fmt(now - window))
redis.call('ZADD', KEYS[1], fmt(now), ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
  local till = now + block
  redis.call('SET', KEYS[2], fmt(till), 'PX', fmt(block))
  redis.call('DEL', KEYS[1])
  return till
end
redis.call('PEXPIRE', KEYS[1], fmt(window))
return -1
`;

/**
 * One identified key's request in one round trip (issue 10): the organization-scoped IP block,
 * then the rate limits of the organization and the key, then the quotas — the order of §3, and
 * the semantics of RATE_SCRIPT and QUOTA_SCRIPT composed: the request is recorded in the rate
 * logs when they admit it (mode 1), and charged to the quotas when they also have room.
 *
 * KEYS[1] organization rate log, KEYS[2] key rate log, KEYS[3..5] the key's quota state (see
 * QUOTA_STATE), KEYS[6] the (organization, ip) block, KEYS[7] the requests charged here lately
 * (member → time, 15 minutes): a request whose reply the client gave up waiting for, and then
 * charged in PostgreSQL, is not charged again when that charge is replayed (REPLAY_SCRIPT). All
 * share the organization's hash tag.
 * ARGV: now, member, mode (1 admit | 0 peek), org per-second cap, org per-minute cap, key
 * per-second cap (0 = none), key per-minute cap, keepMs, check block (1|0), check quota (1|0),
 * cost, tag, total, daily, weekly, monthly limits (-1 = none), ttl.
 *
 * Returns {-2, until} when blocked; {-1} when quotas are asked for and the key's state is absent
 * or for another configuration (nothing was recorded: the caller synchronises and retries);
 * otherwise {0, 12 rate numbers (six per limiter, as RATE_SCRIPT; the key limiter's are zeros
 * when it has none), rate admitted (1|0), quota evaluated (1|0), then the nine numbers of
 * QUOTA_SCRIPT when evaluated}.
 */
export const ADMIT_SCRIPT = `local QUOTA_SLACK = ${QUOTA_SLACK_MS}
local QK = 3
${QUOTA_STATE}
local now = tonumber(ARGV[1])
local record = ARGV[3] == '1'
if ARGV[9] == '1' then
  local blockedTill = tonumber(redis.call('GET', KEYS[6]) or '0')
  if blockedTill > now then return { -2, blockedTill } end
end
local wantQuota = ARGV[10] == '1'
local st = nil
if wantQuota then
  st = readState()
  if st.tag ~= ARGV[12] then return { -1 } end
end
local caps = { { tonumber(ARGV[4]), tonumber(ARGV[5]) }, { tonumber(ARGV[6]), tonumber(ARGV[7]) } }
local keep = tonumber(ARGV[8])
local n = 1
if caps[2][1] > 0 then n = 2 end
local out = { 0 }
local admit = true
local function window(key, width, cap)
  local from = '(' .. fmt(now - width)
  local count = redis.call('ZCOUNT', key, from, '+inf')
  local oldest = -1
  local free = -1
  if count > 0 then
    oldest = tonumber(redis.call('ZRANGEBYSCORE', key, from, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)[2])
  end
  if count >= cap then
    local r = redis.call('ZRANGEBYSCORE', key, from, '+inf', 'WITHSCORES', 'LIMIT', count - cap, 1)
    free = tonumber(r[2]) + width
  end
  return count, oldest, free
end
for i = 1, 2 do
  if i <= n then
    local key = KEYS[i]
    redis.call('ZREMRANGEBYSCORE', key, '-inf', fmt(now - keep))
    local sc, so, sf = window(key, 1000, caps[i][1])
    local mc, mo, mf = window(key, 60000, caps[i][2])
    if sc >= caps[i][1] or mc >= caps[i][2] then admit = false end
    for _, v in ipairs({ sc, so, sf, mc, mo, mf }) do out[#out + 1] = v end
  else
    for _ = 1, 6 do out[#out + 1] = 0 end
  end
end
if admit and record then
  for i = 1, n do
    redis.call('ZADD', KEYS[i], fmt(now), ARGV[2])
    redis.call('PEXPIRE', KEYS[i], fmt(keep))
  end
end
out[#out + 1] = admit and 1 or 0
if not wantQuota or (record and not admit) then
  out[#out + 1] = 0
  return out
end
out[#out + 1] = 1
local cost = tonumber(ARGV[11])
local limits = { tonumber(ARGV[13]), tonumber(ARGV[14]), tonumber(ARGV[15]), tonumber(ARGV[16]) }
local ttl = tonumber(ARGV[17])
local changed = prune(st, now, QUOTA_SLACK)
local charging = record and cost > 0
local extra = {}
if charging then extra = { 'm:' .. fmt(floorTo(now, MIN)), 'h:' .. fmt(floorTo(now, HOUR)) } end
local used, oldest, cur = usage(st, now, extra)
local u = { st.t, used[1], used[2], used[3] }
local exceeded = 0
for i = 1, 4 do
  if exceeded == 0 and limits[i] >= 0 and u[i] + cost > limits[i] then exceeded = i end
end
if exceeded == 0 and charging then
  charge(st, now, cost, cur[1], cur[2], ttl)
  for i = 1, 4 do u[i] = u[i] + cost end
  if oldest[1] < 0 then oldest[1] = floorTo(now, MIN) end
  if oldest[2] < 0 then oldest[2] = floorTo(now, HOUR) end
  if oldest[3] < 0 then oldest[3] = floorTo(now, HOUR) end
  redis.call('ZREMRANGEBYSCORE', KEYS[7], '-inf', fmt(now - 900000))
  redis.call('ZADD', KEYS[7], fmt(now), ARGV[2])
  redis.call('PEXPIRE', KEYS[7], 900000)
elseif changed then
  writeState(st)
end
for _, v in ipairs({ exceeded == 0 and 1 or 0, exceeded, u[1], u[2], u[3], u[4], oldest[1], oldest[2], oldest[3] }) do
  out[#out + 1] = v
end
return out
`;
