-- wrk script: every request carries its own token, since signet serve accepts a token once.
-- Thread k of n reads $TOKENS.k when that file exists (bench/soak.sh's chunks are split per thread,
-- so no thread parses lines it does not send), else takes lines k, k+n, k+2n, ... of $TOKENS.
-- $DELAY_MS paces each connection (a mean wait; see delay()). $CYCLE=1 starts over at the end (for tokens that are refused,
-- and so never spent: a forged-token flood). $FORWARDED_FOR sends X-Forwarded-For (for a server that
-- trusts 127.0.0.1 as a proxy: each load then comes from an address of its own).
-- $REQUEST_PATH is the path requested (default /me); the tokens must be signed for it.
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  local n = tonumber(os.getenv("WRK_THREADS") or "1")
  tokens = {}
  local own = os.getenv("TOKENS") .. "." .. id
  local f = io.open(own, "r")
  if f then
    f:close()
    for line in io.lines(own) do
      tokens[#tokens + 1] = line
    end
  else
    local i = 0
    for line in io.lines(os.getenv("TOKENS")) do
      if i % n == id then
        tokens[#tokens + 1] = line
      end
      i = i + 1
    end
  end
  next_token = 1
  delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
  math.randomseed(os.time() + id)
  path = os.getenv("REQUEST_PATH") or "/me"
  cycle = os.getenv("CYCLE") == "1"
  forwarded = os.getenv("FORWARDED_FOR")
end

function request()
  if cycle and next_token > #tokens then
    next_token = 1
  end
  local t = tokens[next_token] or "exhausted"
  next_token = next_token + 1
  local headers = { ["Authorization"] = "Bearer " .. t }
  if forwarded then
    headers["X-Forwarded-For"] = forwarded
  end
  return wrk.format("GET", path, headers)
end

-- About DELAY_MS, drawn as bench/paced.lua draws it (uniform over [0, 2 x DELAY_MS), rounded at random).
function delay()
  if delay_ms == 0 then
    return 0
  end
  return math.floor(2 * delay_ms * math.random() + math.random())
end
