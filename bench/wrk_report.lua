-- wrk script for bench/run.py: prints one machine-readable line with the throughput and the
-- latency percentiles when the run ends. With an argument (a file of paths, one a line) every
-- request picks one of those paths at random, so a page is measured over many cases rather
-- than one row the database keeps hot.
--   wrk ... -s bench/wrk_report.lua http://127.0.0.1:8123 -- paths.txt

local paths = nil

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  if args[1] then
    paths = {}
    for line in io.lines(args[1]) do
      if #line > 0 then
        table.insert(paths, line)
      end
    end
  end
end

function request()
  if paths then
    return wrk.format(nil, paths[math.random(#paths)])
  end
  return wrk.request()
end

function done(summary, latency, requests)
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "errors_connect": %d, "errors_read": %d, ' ..
    '"errors_write": %d, "errors_status": %d, "errors_timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean
  ))
end
