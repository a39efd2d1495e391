local n = #KEYS
local args = {}
for i = 1, n do
  args[2 * i - 1] = KEYS[i]
  args[2 * i] = ARGV[i]
end
redis.call('MSET', unpack(args))
return n
