-- wrk script: each connection waits about $DELAY_MS between its requests (a paced load, for a p99
-- below the peak). The wait is drawn uniformly from [0, 2 x DELAY_MS) and rounded to a whole
-- millisecond (wrk's timer unit) up or down at random, so its mean is DELAY_MS even when that is
-- fractional, and connections drift apart instead of firing together in waves (a fixed wait sends
-- every connection's request in the same millisecond: the p99 is then the queue of that wave).
local delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
math.randomseed(os.time())

function delay()
  return math.floor(2 * delay_ms * math.random() + math.random())
end
