-- wrk script: every request asks for a path picked at random from a file, one path per line.
--   wrk -t2 -c8 -d10s --latency -s bench/random_paths.lua http://127.0.0.1:8100 -- paths.txt [seed]
-- Counts, per thread, the distinct paths asked for and the answers by status, and prints them
-- with the totals as "BENCH {json}" at the end. (wrk does not say which connection an answer
-- came on, so an answer cannot be matched to its path here: bench/traffic.py accounts for the
-- writer's 404s by the listings it took off the shop.)

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  math.randomseed((tonumber(args[2]) or os.time()) * 1000 + id)
  seen, statuses = {}, {}
end

function request()
  local path = paths[math.random(#paths)]
  seen[path] = true
  return wrk.format("GET", path)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local union, total_distinct, status_total = {}, 0, {}
  for _, thread in ipairs(threads) do
    for path, _ in pairs(thread:get("seen")) do
      if not union[path] then union[path] = true; total_distinct = total_distinct + 1 end
    end
    for status, n in pairs(thread:get("statuses")) do
      status_total[status] = (status_total[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(status_total) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"distinct": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout, total_distinct,
    table.concat(parts, ", ")))
end
