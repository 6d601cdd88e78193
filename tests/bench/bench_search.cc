// Search latency, in process: runs a query mix against an index (a
// directory, a stub file with local or remote shards) and prints p50, p95
// and p99 per query class and overall. Not a test: see scripts/bench.sh.
//
//   bench_search INDEX [ROUNDS]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "fidx/search.h"

namespace {

struct Case {
  const char* kind;
  const char* query;
  bool facets;
};

// Words, phrases, field filters, facets and wildcards, as users type them.
const Case kMix[] = {
    {"word", "revenue", false},
    {"word", "orphan", false},
    {"word", "cybersecurity", false},
    {"and", "orphan drug", false},
    {"and", "material weakness", false},
    {"phrase", "\"annual report\"", false},
    {"phrase", "\"forward-looking statements\"", false},
    {"phrase", "\"orphan drug\"", false},
    {"filter", "form:8-K", false},
    {"filter", "year:2024 form:4", false},
    {"filter", "cik:320193", false},
    {"text+filter", "revenue form:10-K", false},
    {"facets", "revenue", true},
    {"facets", "*", true},
    {"wildcard", "pharma*", false},
    {"bool", "(merger OR acquisition) -terminated", false},
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * (v.size() - 1) + 0.5);
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_search INDEX [ROUNDS]\n");
    return 2;
  }
  int rounds = argc > 2 ? std::atoi(argv[2]) : 20;
  std::string error;
  std::vector<std::string> warnings;
  auto searcher = fidx::Searcher::Open(argv[1], false, &error, &warnings);
  if (!searcher) {
    std::fprintf(stderr, "bench_search: %s\n", error.c_str());
    return 4;
  }
  std::map<std::string, std::vector<double>> by_kind;
  std::vector<double> all;
  for (int r = 0; r < rounds + 1; ++r) {
    for (const Case& c : kMix) {
      fidx::SearchOptions o;
      o.query = c.query;
      o.facets = c.facets;
      fidx::SearchResult result;
      auto t0 = std::chrono::steady_clock::now();
      if (searcher->Search(o, &result, &error) != fidx::SearchError::kNone) {
        std::fprintf(stderr, "bench_search: %s: %s\n", c.query, error.c_str());
        return 4;
      }
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      if (r == 0) continue;  // the first round warms the cache
      by_kind[c.kind].push_back(ms);
      all.push_back(ms);
    }
  }
  std::printf("%-12s %8s %8s %8s %6s\n", "queries", "p50 ms", "p95 ms", "p99 ms", "n");
  for (const auto& [kind, v] : by_kind) {
    std::printf("%-12s %8.2f %8.2f %8.2f %6zu\n", kind.c_str(), Percentile(v, 0.5),
                Percentile(v, 0.95), Percentile(v, 0.99), v.size());
  }
  std::printf("%-12s %8.2f %8.2f %8.2f %6zu\n", "all", Percentile(all, 0.5), Percentile(all, 0.95),
              Percentile(all, 0.99), all.size());
  return 0;
}
