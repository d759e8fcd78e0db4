-- wrk script for the RT5 peer benchmark (REST2).
--
-- Run with as many threads as connections (-tN -cN): each wrk thread then
-- drives exactly one connection, so a thread-local state machine can chain
-- "create, then move that same ticket" without mixing up responses.
--
-- Environment:
--   RT5_AUTH   full header line: "Authorization: token 1-31-..." or
--              "Cookie: RT_SID_bench.18085=..."
--   MODE       "create" (creations only) or "mixed" (create + moves)
--   MOVES      comma-separated statuses applied in order after each create
--              (default "open,stalled,resolved": 1 create + 3 moves)
--
-- Requests:
--   POST /REST/2.0/ticket   {"Queue":"Bench","Subject":"bench ticket N","Content":"..."}
--        expects 201 and {"id":"N",...}
--   PUT  /REST/2.0/ticket/N {"Status":"<next move>"}
--        expects 200 and ["Ticket N: Status changed from 'a' to 'b'"]

local auth = os.getenv("RT5_AUTH") or error("RT5_AUTH unset")
local auth_name, auth_value = auth:match("^([^:]+):%s*(.*)$")
local mode = os.getenv("MODE") or "create"
local moves = {}
for s in string.gmatch(os.getenv("MOVES") or "open,stalled,resolved", "[^,]+") do
  moves[#moves + 1] = s
end

local headers = { ["Content-Type"] = "application/json" }
headers[auth_name] = auth_value

local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  threads[#threads + 1] = thread
end

created, moved, failed, seq = 0, 0, 0, 0
local ticket, step, last = nil, 0, nil

function request()
  if mode == "mixed" and ticket and step < #moves then
    step = step + 1
    last = "move"
    return wrk.format("PUT", "/REST/2.0/ticket/" .. ticket, headers,
                      '{"Status":"' .. moves[step] .. '"}')
  end
  ticket, step, last = nil, 0, "create"
  seq = seq + 1
  return wrk.format("POST", "/REST/2.0/ticket", headers,
    '{"Queue":"Bench","Subject":"bench ticket ' .. tid .. '-' .. seq ..
    '","Content":"Created by the Okno requests benchmark.\\nSecond line of the body."}')
end

function response(status, hdrs, body)
  if last == "create" then
    local id = body and body:match('"id"%s*:%s*"?(%d+)')
    if status == 201 and id then
      created = created + 1
      ticket = id
    else
      failed = failed + 1
      ticket = nil
      if failed <= 3 then io.stderr:write("create failed: ", status, " ", tostring(body), "\n") end
    end
  else
    if status == 200 and body and body:find("Status changed", 1, true) then
      moved = moved + 1
    else
      failed = failed + 1
      ticket = nil
      if failed <= 3 then io.stderr:write("move failed: ", status, " ", tostring(body), "\n") end
    end
  end
end

function done(summary, latency, requests)
  local c, m, f = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created"); m = m + t:get("moved"); f = f + t:get("failed")
  end
  io.write(string.format("RT5 created=%d moved=%d failed=%d\n", c, m, f))
  io.write(string.format("RT5 requests=%d errors=%d\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.status + summary.errors.timeout))
  io.write(string.format("RT5 rps=%.2f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
