/**
 * Bumps version counters in Redis and announces it, atomically, so the order of changes
 * in Redis is the order of messages on the channel.
 *
 * The stamp is the larger of the clock + 1, Redis' TIME in µs and ARGV[1]: it only grows,
 * even after Redis restarts empty (TIME has moved on) or after an instance handed out
 * local stamps during an outage (it passes the largest as ARGV[1]). µs values stay below
 * 2^53, so Lua's doubles hold them exactly.
 *
 * Each hash field holds `stamp@lsn`, keeping the later WAL position of all bumps. The reply
 * carries the latest of those positions: a bump of another instance ordered before this one
 * may hold a later position than this write's, and the writer applies its own change at once
 * (before hearing that bump) with the position Redis holds, so its next load waits for both.
 *
 * A write whose position is unknown also sets `u:<field>` for each field it bumps, for good: an
 * instance that reads the counters instead of hearing the message learns of it there (older
 * instances ignore those fields).
 *
 * KEYS[1] clock, KEYS[2] versions hash.
 * ARGV[1] minimum stamp, ARGV[2] channel, ARGV[3] WAL position or '', ARGV[4] message body,
 * ARGV[5] PUBLISH or SPUBLISH (a cluster: the channel shares the keys' hash tag), ARGV[6] '1' when
 * a write's position is unknown, else '', ARGV[7..] fields.
 * Returns `stamp@lsn` (lsn: the latest position of the fields set, '' when none); publishes `stamp|body`.
 */
export const BUMP_VERSIONS_SCRIPT = `
local function lsnParts(text)
  if text == nil then return nil end
  local hi, lo = string.match(text, '^(%x+)/(%x+)$')
  if hi == nil then return nil end
  return tonumber(hi, 16), tonumber(lo, 16)
end
local function laterLsn(a, b)
  local ah, al = lsnParts(a)
  local bh, bl = lsnParts(b)
  if ah == nil then return b end
  if bh == nil then return a end
  if ah > bh or (ah == bh and al >= bl) then return a end
  return b
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local stamp = math.max((tonumber(redis.call('GET', KEYS[1])) or 0) + 1, now, tonumber(ARGV[1]) or 0)
local text = string.format('%.0f', stamp)
redis.call('SET', KEYS[1], text)
local latest = nil
for i = 7, #ARGV do
  local old = redis.call('HGET', KEYS[2], ARGV[i])
  local oldLsn = nil
  if old then oldLsn = string.match(old, '@(.+)$') end
  local lsn = laterLsn(oldLsn, ARGV[3])
  latest = laterLsn(latest, lsn)
  redis.call('HSET', KEYS[2], ARGV[i], text .. '@' .. (lsn or ''))
  if ARGV[6] == '1' then redis.call('HSET', KEYS[2], 'u:' .. ARGV[i], '1') end
end
if ARGV[5] == 'SPUBLISH' then
  redis.call('SPUBLISH', ARGV[2], text .. '|' .. ARGV[4])
else
  redis.call('PUBLISH', ARGV[2], text .. '|' .. ARGV[4])
end
return text .. '@' .. (latest or '')
`;

/**
 * The run id of the server that runs it. KEYS[1] (the versions hash) only routes the call,
 * on a cluster, to the master holding the counters.
 */
export const SERVER_ID_SCRIPT = `return string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')`;
