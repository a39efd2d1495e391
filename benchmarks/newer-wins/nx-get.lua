local n = #KEYS
local written = 0
local unpack = struct.unpack
local call = redis.call
local nxget = (redis.REDIS_VERSION_NUM or 0) >= 0x070000
for i = 1, n do
  local key, new, expireAt = KEYS[i], ARGV[i], ARGV[n + i]
  local stored
  if nxget then
    if expireAt == '0' then stored = call('SET', key, new, 'NX', 'GET') else stored = call('SET', key, new, 'NX', 'PXAT', expireAt, 'GET') end
  else
    stored = call('GET', key)
    if not stored then
      if expireAt == '0' then call('SET', key, new) else call('SET', key, new, 'PXAT', expireAt) end
    end
  end
  if not stored then
    written = written + 1
  else
    local newer = true
    if #stored >= 17 then
      local a1, a2, a3, a4 = unpack('>I4I4I4I4', stored, 2)
      local b1, b2, b3, b4 = unpack('>I4I4I4I4', new, 2)
      if a1 ~= b1 then newer = b1 > a1
      elseif a2 ~= b2 then newer = b2 > a2
      elseif a3 ~= b3 then newer = b3 > a3
      else newer = b4 >= a4 end
    end
    if newer then
      if expireAt == '0' then call('SET', key, new) else call('SET', key, new, 'PXAT', expireAt) end
      written = written + 1
    end
  end
end
return written
