local n = #KEYS
local written = 0
local byte = string.byte
for i = 1, n do
  local new = ARGV[i]
  local stored = redis.call('GET', KEYS[i])
  local newer = true
  if stored and #stored >= 17 then
    for j = 2, 17 do
      local a, b = byte(stored, j), byte(new, j)
      if a ~= b then
        newer = b > a
        break
      end
    end
  end
  if newer then
    local expireAt = ARGV[n + i]
    if expireAt == '0' then
      redis.call('SET', KEYS[i], new)
    else
      redis.call('SET', KEYS[i], new, 'PXAT', expireAt)
    end
    written = written + 1
  end
end
return written
