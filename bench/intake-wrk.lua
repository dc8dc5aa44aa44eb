-- wrk's script for the intake-ratio bench (bench/intake-ratio.ts): POST /api/v1/tickets with the
-- body, session cookie and CSRF token from the environment, and a new Idempotency-Key on every
-- request (the run's prefix, the thread's number and a counter).
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = os.getenv("WRK_COOKIE")
wrk.headers["X-CSRF-Token"] = os.getenv("WRK_CSRF_TOKEN")

local prefix = os.getenv("WRK_KEY_PREFIX")
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local sent = 0

function request()
  sent = sent + 1
  wrk.headers["Idempotency-Key"] = prefix .. "-" .. thread_number .. "-" .. sent
  return wrk.format()
end
