// The counters behind exact facets: FacetTally over packed values, and
// FacetSpy over a real match (an in-memory Xapian database).

#include <catch2/catch.hpp>
#include <xapian.h>

#include <string>

#include "facet_tally.h"
#include "filing_table.h"
#include "scratch_dir.h"
#include "fidx/schema.h"

using fidx::FacetCounts;
using fidx::FacetSpy;
using fidx::FacetTally;
namespace schema = fidx::schema;

namespace {

std::string Packed(const std::string& filed, const std::string& form,
                   std::vector<uint64_t> ciks, std::vector<int> sics,
                   std::vector<std::string> states, const std::string& key) {
  schema::Facets f;
  f.filed = filed;
  f.form = form;
  f.ciks = std::move(ciks);
  f.sics = std::move(sics);
  f.states = std::move(states);
  f.filing_key = key;
  return schema::PackFacets(f);
}

}  // namespace

TEST_CASE("facet values come back exactly as they were packed", "[facets]") {
  FacetTally tally;
  tally.Add(Packed("20240418", "485APOS", {1100663}, {100}, {"DE"}, "a"));
  tally.Add(Packed("20241213", "10-K", {1100663, 320193}, {2834}, {"DE", "CA"}, "b"));
  tally.Add(Packed("", "4", {320193}, {}, {}, "c"));
  // Not the packer's output, but what a damaged or older value may hold:
  // digit strings with leading zeros and values that are not numbers.
  tally.Add("19990101\x1f" "10-K\x1f" "0000320193,abc\x1f" "0100\x1f\x1f\x1f\x1f" "d");
  tally.Add("not a packed value");
  FacetCounts out;
  tally.Finish(&out);
  // A filing without a value for a facet counts as "(unknown)", so that
  // every facet accounts for every filing.
  CHECK(out["year"] ==
        std::map<std::string, uint64_t>{{"1999", 1}, {"2024", 2}, {"(unknown)", 1}});
  CHECK(out["form"] ==
        std::map<std::string, uint64_t>{{"10-K", 2}, {"4", 1}, {"485APOS", 1}});
  CHECK(out["category"] ==
        std::map<std::string, uint64_t>{{"periodic", 2}, {"insider", 1}, {"registration", 1}});
  CHECK(out["cik"] == std::map<std::string, uint64_t>{
                          {"1100663", 2}, {"320193", 2}, {"0000320193", 1}, {"abc", 1}});
  CHECK(out["sic"] == std::map<std::string, uint64_t>{
                          {"100", 1}, {"0100", 1}, {"2834", 1}, {"(unknown)", 1}});
  CHECK(out["state"] ==
        std::map<std::string, uint64_t>{{"CA", 1}, {"DE", 2}, {"(unknown)", 2}});
  CHECK(out["location"] == std::map<std::string, uint64_t>{{"(unknown)", 4}});
}

TEST_CASE("many distinct values are each counted exactly", "[facets]") {
  FacetTally tally;
  uint64_t filings = 0;
  for (uint64_t cik = 1; cik <= 50000; ++cik) {
    for (uint64_t n = 0; n < cik % 3 + 1; ++n, ++filings) {
      tally.Add(Packed("20200101", "8-K", {cik}, {}, {}, std::to_string(cik)));
    }
  }
  FacetCounts out;
  tally.Finish(&out);
  REQUIRE(out["cik"].size() == 50000);
  for (uint64_t cik : {1, 2, 3, 4096, 49999, 50000}) {
    CHECK(out["cik"][std::to_string(cik)] == cik % 3 + 1);
  }
  CHECK(out["year"]["2020"] == filings);
  CHECK(filings == 100001);
}

namespace {

// One document of filing `key` (same packed value for all its documents).
void AddDoc(Xapian::WritableDatabase* db, const std::string& key, const std::string& form,
            bool first) {
  Xapian::Document doc;
  doc.add_boolean_term("Xall");
  if (first) doc.add_boolean_term(schema::kTermFirstDocument);
  doc.add_value(schema::kSlotFilingKey, key);
  doc.add_value(schema::kSlotFacets, Packed("20240101", form, {7}, {}, {}, key));
  db->add_document(doc);
}

void Run(const Xapian::Database& db, const Xapian::Query& q, FacetSpy* spy) {
  Xapian::Enquire enquire(db);
  enquire.set_query(q);
  enquire.add_matchspy(spy);
  enquire.get_mset(0, 0, db.get_doccount());
}

}  // namespace

TEST_CASE("the spy counts filings, their documents, and copies", "[facets]") {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  AddDoc(&db, "A", "8-K", true);   // 1
  AddDoc(&db, "A", "8-K", false);  // 2: same filing, next to its first
  AddDoc(&db, "B", "10-K", true);  // 3
  AddDoc(&db, "A", "8-K", true);   // 4: a copy of A, apart from it
  AddDoc(&db, "C", "4", true);     // 5
  AddDoc(&db, "C", "4", true);     // 6: a copy of C, right after it

  SECTION("every document") {
    FacetSpy spy(/*facets=*/true, /*first_only=*/false);
    Run(db, Xapian::Query("Xall"), &spy);
    CHECK(spy.filings() == 3);
    CHECK(spy.documents("A") == 3);
    CHECK(spy.documents("B") == 1);
    CHECK(spy.documents("C") == 2);
    CHECK(spy.documents("D") == 0);
    CHECK(spy.saw_repeats());  // A came back after B
    FacetCounts out;
    spy.Finish(&out);
    CHECK(out["form"] == std::map<std::string, uint64_t>{{"10-K", 1}, {"4", 1}, {"8-K", 1}});
    CHECK(out["cik"]["7"] == 3);
  }
  SECTION("first documents only: two in a row with one key are two copies") {
    FacetSpy spy(/*facets=*/false, /*first_only=*/true);
    Run(db, Xapian::Query(schema::kTermFirstDocument), &spy);
    CHECK(spy.filings() == 3);
    CHECK(spy.documents("C") == 2);
    CHECK(spy.saw_repeats());
  }
}

TEST_CASE("the spy sees no repeats when each filing's documents come in a row", "[facets]") {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  AddDoc(&db, "A", "8-K", true);
  AddDoc(&db, "A", "8-K", false);
  AddDoc(&db, "B", "10-K", true);
  FacetSpy docs(/*facets=*/false, /*first_only=*/false);
  Run(db, Xapian::Query("Xall"), &docs);
  CHECK(docs.filings() == 2);
  CHECK(docs.documents("A") == 2);
  CHECK_FALSE(docs.saw_repeats());
  FacetSpy firsts(/*facets=*/false, /*first_only=*/true);
  Run(db, Xapian::Query(schema::kTermFirstDocument), &firsts);
  CHECK(firsts.filings() == 2);
  CHECK_FALSE(firsts.saw_repeats());
}

TEST_CASE("facet codes count as the packed values do, learnt or known, by match or posting",
          "[facets]") {
  // A server's searcher: filings numbered by a table, facets counted by
  // codes learnt the first time a filing is counted. Counts must not depend
  // on which filings were learnt before, nor on the way documents came in.
  // (On disk: a table is of a revision, which in-memory databases lack.)
  fidx_test::ScratchDir dir;
  Xapian::WritableDatabase db(dir.path + "/db", Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
  const char* const forms[] = {"8-K", "10-K", "4", "S-1", "", "10-Q"};
  for (int i = 0; i < 60; ++i) {
    const std::string key = "F" + std::to_string(i);
    const std::string form = forms[i % 6];
    for (int d = 0; d < i % 3 + 1; ++d) {
      Xapian::Document doc;
      doc.add_boolean_term("Xall");
      if (i % 2 == 0) doc.add_boolean_term("Xeven");
      if (d == 0) doc.add_boolean_term(schema::kTermFirstDocument);
      doc.add_value(schema::kSlotFilingKey, key);
      doc.add_value(schema::kSlotFacets,
                    Packed(i % 5 ? "2024010" + std::to_string(i % 9 + 1) : "", form,
                           {uint64_t(100 + i % 7), uint64_t(900 + i % 4)},
                           {i % 4 ? 2834 + i % 3 : 0}, {i % 2 ? "DE" : "CA"}, key));
      db.add_document(doc);
    }
  }
  db.commit();
  auto table = fidx::FilingTable::Build(db);
  REQUIRE(table);
  REQUIRE(table->filings() == 60);

  auto plain = [&](const std::string& term) {
    FacetSpy spy(true, false);
    Run(db, Xapian::Query(term), &spy);
    FacetCounts out;
    spy.Finish(&out);
    return std::make_pair(spy.filings(), out);
  };
  fidx::FacetCodes codes(table->filings());
  auto coded = [&](const std::string& term, bool by_posting) {
    FacetSpy spy(true, false, table.get(), &codes);
    if (by_posting) {
      for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
        spy.CountPosting(db, *p);
      }
    } else {
      Run(db, Xapian::Query(term), &spy);
    }
    FacetCounts out;
    spy.Finish(&out);
    return std::make_pair(spy.filings(), out);
  };
  const auto even = plain("Xeven");
  const auto all = plain("Xall");
  CHECK(even.first == 30);
  CHECK(all.first == 60);
  CHECK(all.second.at("form").at("(unknown)") == 10);
  CHECK(all.second.at("year").at("(unknown)") == 12);
  CHECK(all.second.at("category").size() >= 4);
  // Half the filings learnt by a match, then all of them, half known.
  CHECK(coded("Xeven", false) == even);
  CHECK(coded("Xall", true) == all);
  CHECK(coded("Xall", false) == all);
  CHECK(coded("Xeven", true) == even);
}
