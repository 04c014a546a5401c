-- wrk script for `make bench`: one stay notification per request, each with its own personal ID number and
-- Idempotency-Key (so every request is a new notification, never "already staying here" from an earlier request or
-- run: each run takes its own birth year, each thread its own serial range), sent with the demo establishment's API key.
-- ARRIVAL (Vietnam time, in the past) and API_KEY come from the environment.
local arrival = os.getenv("ARRIVAL")
local departure = os.getenv("DEPARTURE")
local api_key = os.getenv("API_KEY")
local threads = {}
counter = 0
thread_id = thread_id or 0

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  -- A run's birth year (1900-1996) from the clock: the warm-up and the measured run, seconds apart, differ.
  year = os.time() % 97
end

request = function()
  counter = counter + 1
  -- 12-digit CCCD: province 001, a man born in the run's year, serial from thread and counter.
  local serial = (thread_id * 400000 + counter) % 1000000
  local id = string.format("0010%02d%06d", year, serial)
  local body = string.format(
    '{"stay":{"arrivalAt":"%s","departureAt":"%s","reason":"business","room":"%d"},' ..
    '"guests":[{"fullName":"Nguyễn Văn Khách","dateOfBirth":"19%02d-01-01","gender":"male",' ..
    '"document":{"type":"personal-id","number":"%s"}}],"externalRef":"bench-%d-%d"}',
    arrival, departure, counter % 500, year, id, thread_id, counter)
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-Api-Key"] = api_key,
    ["Idempotency-Key"] = string.format("bench-%d-%d-%d", os.time(), thread_id, counter),
  }
  return wrk.format("POST", nil, headers, body)
end
