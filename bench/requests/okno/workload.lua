-- wrk script for Okno's side of the requests benchmark: the same shape as the RT5 peer
-- (../rt5/workload.lua): create a request, then move it through 3 stages.
--
-- Run with as many threads as connections (-tN -cN): each wrk thread drives one
-- connection, so a thread-local state machine can chain "create, then move that request".
--
-- Environment:
--   OKNO_TOKEN  a write-scope API token (okno admin token …)
--   OFFERING    the id of a published offering with a chain of at least 4 stages
--   MODE        "create" (creations only) or "mixed" (create + 3 moves)
--
-- Requests:
--   POST /api/v1/requests             {"offering_id":…, "client_name":…, "client_email":…, "subject":…, "fields":{…}}
--        expects 201 and {"id": "…", …}
--   POST /api/v1/requests/{id}/moves  {"move":"complete","version":N}
--        expects 200 and the card with its new version

local token = os.getenv("OKNO_TOKEN") or error("OKNO_TOKEN unset")
local offering = os.getenv("OFFERING") or error("OFFERING unset")
local mode = os.getenv("MODE") or "create"
local MOVES = 3

local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }

local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  threads[#threads + 1] = thread
end

created, moved, failed, seq = 0, 0, 0, 0
local id, version, step, last = nil, 0, 0, nil

function request()
  if mode == "mixed" and id and step < MOVES then
    step = step + 1
    last = "move"
    return wrk.format("POST", "/api/v1/requests/" .. id .. "/moves", headers,
      '{"move":"complete","version":' .. version .. '}')
  end
  id, step, last = nil, 0, "create"
  seq = seq + 1
  return wrk.format("POST", "/api/v1/requests", headers,
    '{"offering_id":"' .. offering .. '","client_name":"Bench ' .. tid .. '-' .. seq ..
    '","client_email":"bench@example.ru","subject":"Created by the Okno requests benchmark.\\nSecond line of the body.",' ..
    '"fields":{"result_by":"Почтой","consent":"true"}}')
end

function response(status, hdrs, body)
  if last == "create" then
    local rid = body and body:match('"id"%s*:%s*"([0-9a-f%-]+)"')
    local v = body and body:match('"version"%s*:%s*(%d+)')
    if status == 201 and rid then
      created = created + 1
      id, version = rid, tonumber(v or "1")
    else
      failed = failed + 1
      id = nil
      if failed <= 3 then io.stderr:write("create failed: ", status, " ", tostring(body), "\n") end
    end
  else
    local v = body and body:match('"version"%s*:%s*(%d+)')
    if status == 200 and v then
      moved = moved + 1
      version = tonumber(v)
    else
      failed = failed + 1
      id = nil
      if failed <= 3 then io.stderr:write("move failed: ", status, " ", tostring(body), "\n") end
    end
  end
end

function done(summary, latency, requests)
  local c, m, f = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created"); m = m + t:get("moved"); f = f + t:get("failed")
  end
  io.write(string.format("OKNO created=%d moved=%d failed=%d\n", c, m, f))
  io.write(string.format("OKNO requests=%d errors=%d\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.status + summary.errors.timeout))
  io.write(string.format("OKNO rps=%.2f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
