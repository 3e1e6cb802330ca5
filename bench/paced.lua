-- wrk script: each connection waits $DELAY_MS between its requests (a paced load, for a p99 below the peak).
local delay_ms = tonumber(os.getenv("DELAY_MS") or "0")

function delay()
  return delay_ms
end
