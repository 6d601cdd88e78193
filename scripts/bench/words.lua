-- wrk script: the benchmark mix's word and two-word queries (10 hits with
-- snippets, exact totals, no facets), cycled. Used as
--   wrk -t2 -c8 -d15s -s scripts/bench/words.lua http://127.0.0.1:PORT
-- against `fidx serve --db DB --listen 127.0.0.1:PORT` (docs/benchmarks.md).
local qs = {"revenue", "goodwill", "cybersecurity", "litigation", "orphan%20drug", "interest%20rate", "credit%20facility"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/search?q=" .. qs[(i % #qs) + 1])
end
