-- wrk script of benchmarks/online.sh's maximum-throughput phase: POST /get-online-features with a
-- body picked at random from a file of one JSON body per line (the argument after "--"), and a
-- one-line summary the benchmark parses. Latencies are wrk's (closed loop, from send to answer).
local requests = {}

function init(args)
  for line in io.lines(args[1]) do
    requests[#requests + 1] =
      wrk.format("POST", "/get-online-features", {["Content-Type"] = "application/json"}, line)
  end
end

function request()
  return requests[math.random(#requests)]
end

function done(summary, latency, _)
  local errors = summary.errors
  io.write(string.format("WRK_RESULT requests=%d duration_us=%d errors=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration,
    errors.connect + errors.read + errors.write + errors.status + errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
