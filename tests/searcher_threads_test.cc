// Searchers on several threads at once, as `fidx serve` runs them: each
// thread has its own Searcher on one index, and nothing the searchers share
// behind the scenes may race. (Copies of Xapian::Query::MatchAll, a static
// object with a non-atomic reference count, did: one `fidx serve` test in a
// hundred died of a heap-use-after-free under AddressSanitizer.) Under the
// sanitizers (scripts/sanitize.sh) this test fails on such a race.

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "fidx/indexer.h"
#include "fidx/search.h"
#include "query_builder.h"
#include "scratch_dir.h"
#include "test_paths.h"

namespace {

class Silent : public fidx::IndexReporter {
 public:
  void Warning(const std::string&, const std::string&) override {}
  void Notice(const std::string&) override {}
};


uint64_t Total(fidx::Searcher* s, const std::string& query) {
  fidx::SearchOptions o;
  o.query = query;
  o.limit = 3;
  o.facets = true;
  fidx::SearchResult r;
  std::string error;
  if (s->Search(o, &r, &error) != fidx::SearchError::kNone) return UINT64_MAX;
  return r.total;
}

}  // namespace

TEST_CASE("searchers on four threads at once give each thread the one-thread answers",
          "[query][threads]") {
  fidx_test::ScratchDir scratch;
  fidx::IndexOptions options;
  options.db_path = scratch.path + "/index";
  options.roots = {std::string(fidx_test::kSourceDir) + "/corpus"};
  Silent reporter;
  fidx::IndexResult indexed = fidx::RunIndex(options, &reporter);
  REQUIRE(indexed.status.ok());

  // Every evaluator path: match-all, pure and mixed negations (match-all
  // inside), words, phrases, filters, the set evaluator (words across
  // documents).
  const std::vector<std::string> queries = {
      "*", "* -form:8-K", "-orphan", "NOT revenue", "revenue", "\"orphan drug\"",
      "form:10-K OR form:8-K", "revenue -form:10-K", "(revenue OR litigation) NOT year:2017"};
  std::vector<uint64_t> expected;
  {
    std::string error;
    std::vector<std::string> warnings;
    auto s = fidx::Searcher::Open(options.db_path, false, &error, &warnings);
    REQUIRE(s);
    for (const std::string& q : queries) {
      expected.push_back(Total(s.get(), q));
      INFO(q);
      REQUIRE(expected.back() != UINT64_MAX);
    }
  }
  REQUIRE(expected[0] > expected[1]);  // the corpus has 8-Ks and other forms

  constexpr int kThreads = 4, kRounds = 60;
  std::atomic<int> wrong{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string error;
      std::vector<std::string> warnings;
      auto s = fidx::Searcher::Open(options.db_path, false, &error, &warnings);
      if (!s) {
        ++failed;
        return;
      }
      s->EnableFilingTable();  // as the server's searchers
      for (int round = 0; round < kRounds; ++round) {
        for (size_t i = 0; i < queries.size(); ++i) {
          size_t q = (i + t) % queries.size();  // threads out of step
          if (Total(s.get(), queries[q]) != expected[q]) ++wrong;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failed == 0);
  CHECK(wrong == 0);
}

TEST_CASE("queries built on two threads at once share nothing", "[query][threads]") {
  // The searchers' race above, made dense: nothing but query building,
  // whose match-all parts were the shared object.
  constexpr int kRounds = 20000;
  std::atomic<int> empty{0};
  auto build = [&] {
    for (int i = 0; i < kRounds; ++i) {
      fidx::BuiltQuery q = fidx::BuildQuery(i % 2 ? "* -form:8-K" : "-orphan");
      if (q.query.empty()) ++empty;
    }
  };
  std::thread a(build), b(build);
  a.join();
  b.join();
  CHECK(empty == 0);
}
