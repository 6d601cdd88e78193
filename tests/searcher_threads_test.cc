// Searchers as `fidx serve` runs them (on several threads at once, with
// a filing table), against the answers of a plain one. Each
// thread has its own Searcher on one index, and nothing the searchers share
// behind the scenes may race. (Copies of Xapian::Query::MatchAll, a static
// object with a non-atomic reference count, did: one `fidx serve` test in a
// hundred died of a heap-use-after-free under AddressSanitizer.) Under the
// sanitizers (scripts/sanitize.sh) this test fails on such a race.

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
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

// Searches `query` for 3 hits with facets; false if the search failed.
bool SearchFaceted(fidx::Searcher* s, const std::string& query, fidx::SearchResult* r) {
  fidx::SearchOptions o;
  o.query = query;
  o.limit = 3;
  o.facets = true;
  std::string error;
  return s->Search(o, r, &error) == fidx::SearchError::kNone;
}

uint64_t Total(fidx::Searcher* s, const std::string& query) {
  fidx::SearchResult r;
  return SearchFaceted(s, query, &r) ? r.total : UINT64_MAX;
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

TEST_CASE("a searcher with a filing table counts facets right after the index moves on",
          "[query][facets]") {
  // The table and the facet codes learnt with it are replaced when the
  // index has a new revision; a spy once got the codes being replaced (a
  // heap-use-after-free under AddressSanitizer in fidx serve).
  fidx_test::ScratchDir scratch;
  const std::string extra = scratch.path + "/extra";
  std::filesystem::create_directories(extra);
  fidx::IndexOptions options;
  options.db_path = scratch.path + "/index";
  options.roots = {std::string(fidx_test::kSourceDir) + "/corpus", extra};
  Silent reporter;
  REQUIRE(fidx::RunIndex(options, &reporter).status.ok());

  auto facets = [](fidx::Searcher* s, const std::string& query) {
    fidx::SearchResult r;
    REQUIRE(SearchFaceted(s, query, &r));
    return std::make_pair(r.total, r.facets);
  };
  std::string error;
  std::vector<std::string> warnings;
  auto served = fidx::Searcher::Open(options.db_path, false, &error, &warnings);
  REQUIRE(served);
  served->EnableFilingTable();
  const auto before = facets(served.get(), "*");
  CHECK(facets(served.get(), "form:8-K").first > 0);

  {
    std::ofstream out(extra + "/0000950123-20-000001.txt");
    out << "<SEC-DOCUMENT>0000950123-20-000001.txt : 20200101\n"
           "<SEC-HEADER>0000950123-20-000001.hdr.sgml : 20200101\n"
           "ACCESSION NUMBER:\t\t0000950123-20-000001\n"
           "CONFORMED SUBMISSION TYPE:\t8-K\nPUBLIC DOCUMENT COUNT:\t\t1\n"
           "FILED AS OF DATE:\t\t20200101\n\nFILER:\n\n\tCOMPANY DATA:\t\n"
           "\t\tCOMPANY CONFORMED NAME:\t\t\tNEW FILER INC\n"
           "\t\tCENTRAL INDEX KEY:\t\t\t0000001234\n</SEC-HEADER>\n"
           "<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n<FILENAME>a.txt\n<TEXT>\n"
           "Quarterly revenue grew.\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n";
  }
  REQUIRE(fidx::RunIndex(options, &reporter).status.ok());
  REQUIRE(served->Refresh(&error));
  for (const char* q : {"*", "form:8-K", "revenue", "revenue -form:10-K"}) {
    INFO(q);
    auto fresh = fidx::Searcher::Open(options.db_path, false, &error, &warnings);
    REQUIRE(fresh);
    CHECK(facets(served.get(), q) == facets(fresh.get(), q));
  }
  const auto after = facets(served.get(), "*");
  CHECK(after.first == before.first + 1);
  CHECK(after.second.at("cik").at("1234") == 1);
}

TEST_CASE("a server's searcher pages through filters newest first exactly as the CLI does",
          "[query][table]") {
  // With a filing table, filters alone (and "*") newest first take their
  // page's filings from the table's date order and let Xapian sort just
  // those; every page must be the one a searcher without the table (the
  // CLI) gives, also with two files of one accession and after the index
  // moves on.
  fidx_test::ScratchDir scratch;
  const std::string extra = scratch.path + "/extra";
  std::filesystem::create_directories(extra);
  auto write_8k = [&](const std::string& name, const std::string& accession,
                      const std::string& filed, const std::string& documents) {
    std::ofstream out(extra + "/" + name);
    out << "<SEC-DOCUMENT>" << accession << ".txt : " << filed << "\n<SEC-HEADER>" << accession
        << ".hdr.sgml : " << filed << "\nACCESSION NUMBER:\t\t" << accession
        << "\nCONFORMED SUBMISSION TYPE:\t8-K\nFILED AS OF DATE:\t\t" << filed
        << "\n\nFILER:\n\n\tCOMPANY DATA:\t\n\t\tCOMPANY CONFORMED NAME:\t\t\tSAME DAY INC\n"
           "\t\tCENTRAL INDEX KEY:\t\t\t0000005678\n</SEC-HEADER>\n"
        << documents << "</SEC-DOCUMENT>\n";
  };
  const std::string doc1 =
      "<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n<FILENAME>a.txt\n<TEXT>\nItem 8.01.\n</TEXT>\n</DOCUMENT>\n";
  const std::string doc2 =
      "<DOCUMENT>\n<TYPE>EX-99.1\n<SEQUENCE>2\n<FILENAME>b.txt\n<TEXT>\nPress.\n</TEXT>\n"
      "</DOCUMENT>\n";
  // Three filings of one day, and one accession in two files that list
  // different documents.
  for (int i = 1; i <= 3; ++i) {
    write_8k("day" + std::to_string(i) + ".txt", "0000950123-21-00000" + std::to_string(i),
             "20210305", doc1);
  }
  write_8k("copy-a.txt", "0000950123-21-000009", "20210305", doc1);
  write_8k("copy-b.txt", "0000950123-21-000009", "20210305", doc1 + doc2);

  fidx::IndexOptions options;
  options.db_path = scratch.path + "/index";
  options.roots = {std::string(fidx_test::kSourceDir) + "/corpus", extra};
  Silent reporter;
  REQUIRE(fidx::RunIndex(options, &reporter).status.ok());

  std::string error;
  std::vector<std::string> warnings;
  auto served = fidx::Searcher::Open(options.db_path, false, &error, &warnings);
  REQUIRE(served);
  served->EnableFilingTable();
  auto page = [](fidx::Searcher* s, const std::string& query, fidx::SortOrder sort,
                 uint64_t offset, uint64_t limit) {
    fidx::SearchOptions o;
    o.query = query;
    o.sort = sort;
    o.offset = offset;
    o.limit = limit;
    o.snippets = false;
    fidx::SearchResult r;
    std::string error;
    REQUIRE(s->Search(o, &r, &error) == fidx::SearchError::kNone);
    std::vector<std::string> hits;
    for (const fidx::Hit& h : r.hits) {
      hits.push_back(h.filing_key + " " + h.path + " #" + std::to_string(h.document.sequence) +
                     " rank " + std::to_string(h.rank) + " docs " +
                     std::to_string(h.matching_documents));
    }
    return std::make_pair(r.total, hits);
  };
  // "*", one filter (read as a posting list), filters through the matcher
  // (two, a negation), a company's filings, and one filing.
  const std::vector<std::string> queries = {"*", "form:8-K", "form:8-K year:2021",
                                            "* -form:8-K", "cik:5678", "cik:1279704"};
  auto compare_every_page = [&] {
    auto cli = fidx::Searcher::Open(options.db_path, false, &error, &warnings);
    REQUIRE(cli);
    const uint64_t total = page(cli.get(), "*", fidx::SortOrder::kNewest, 0, 0).first;
    REQUIRE(total > 10);
    size_t pages = 0;
    for (const std::string& query : queries) {
      const uint64_t matches = page(cli.get(), query, fidx::SortOrder::kNewest, 0, 0).first;
      CHECK(matches > 0);
      for (fidx::SortOrder sort : {fidx::SortOrder::kNewest, fidx::SortOrder::kRelevance}) {
        for (uint64_t limit : {1, 3, 7, 100}) {
          for (uint64_t offset = 0; offset <= matches; offset += limit) {
            INFO(query << " offset " << offset << " limit " << limit);
            CHECK(page(served.get(), query, sort, offset, limit) ==
                  page(cli.get(), query, sort, offset, limit));
            ++pages;
          }
        }
      }
    }
    CHECK(pages > 4 * total / 3);
    return total;
  };
  const uint64_t before = compare_every_page();

  write_8k("day4.txt", "0000950123-21-000004", "20210305", doc1 + doc2);
  REQUIRE(fidx::RunIndex(options, &reporter).status.ok());
  REQUIRE(served->Refresh(&error));
  CHECK(compare_every_page() == before + 1);
}
