local n = #KEYS
local sunpack = struct.unpack
local call = redis.call
local stored = call('MGET', unpack(KEYS))
local keep = {}
local m = 0
local expiring = false
for i = 1, n do
  local old, new = stored[i], ARGV[i]
  local newer = true
  if old and old ~= new and #old >= 17 then
    local a1, a2, a3, a4 = sunpack('>I4I4I4I4', old, 2)
    local b1, b2, b3, b4 = sunpack('>I4I4I4I4', new, 2)
    if a1 ~= b1 then newer = b1 > a1
    elseif a2 ~= b2 then newer = b2 > a2
    elseif a3 ~= b3 then newer = b3 > a3
    else newer = b4 >= a4 end
  end
  if newer then
    m = m + 1
    keep[m] = i
    if ARGV[n + i] ~= '0' then expiring = true end
  end
end
if m == 0 then return 0 end
if expiring then
  for j = 1, m do
    local i = keep[j]
    local expireAt = ARGV[n + i]
    if expireAt == '0' then call('SET', KEYS[i], ARGV[i]) else call('SET', KEYS[i], ARGV[i], 'PXAT', expireAt) end
  end
else
  local args = {}
  for j = 1, m do
    local i = keep[j]
    args[2 * j - 1] = KEYS[i]
    args[2 * j] = ARGV[i]
  end
  call('MSET', unpack(args))
end
return m
