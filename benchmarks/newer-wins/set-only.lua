local n = #KEYS
local call = redis.call
for i = 1, n do
  call('SET', KEYS[i], ARGV[i])
end
return n
