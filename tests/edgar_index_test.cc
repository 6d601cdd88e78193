// EDGAR's index files as a source of metadata (fidx/edgar_index.h): the
// real master.idx, form.idx and company.idx layouts (tests/data, see
// tests/data/README.md).

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fidx/edgar_index.h"
#include "test_paths.h"

using fidx::EdgarIndexEntry;

namespace {

std::string ReadSource(const std::string& rel) {
  std::ifstream in(std::string(fidx_test::kSourceDir) + "/" + rel, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<EdgarIndexEntry> Parse(const std::string& rel) {
  std::vector<EdgarIndexEntry> rows;
  REQUIRE(fidx::ParseEdgarIndex(ReadSource(rel), &rows));
  return rows;
}

}  // namespace

TEST_CASE("master.idx rows give accession, CIK, company, form and date", "[edgar-index]") {
  std::vector<EdgarIndexEntry> rows = Parse("tests/data/master.idx");
  REQUIRE(rows.size() == 20);
  CHECK(rows[1].accession == "0000011860-94-000005");
  CHECK(rows[1].cik == 11860);
  CHECK(rows[1].company == "BETHLEHEM STEEL CORP /DE/");
  CHECK(rows[1].form == "10-Q");
  CHECK(rows[1].filed == "1993-11-12");
  // One accession under two CIKs (a joint SC 13D/A): two rows.
  int joint = 0;
  for (const EdgarIndexEntry& e : rows) joint += e.accession == "0001021408-01-503754";
  CHECK(joint == 2);
}

TEST_CASE("form.idx and company.idx are read by their header's columns", "[edgar-index]") {
  std::vector<EdgarIndexEntry> form = Parse("tests/data/form.20200318-trimmed.idx");
  REQUIRE(form.size() == 30);
  CHECK(form[2].form == "1-A POS");
  CHECK(form[2].company == "Belpointe REIT, Inc.");
  CHECK(form[2].cik == 1749817);
  CHECK(form[2].filed == "2020-03-18");
  CHECK(form[2].accession == "0001010549-20-000033");
  // company.idx wraps its header line in two.
  std::vector<EdgarIndexEntry> company = Parse("tests/data/company.20221003-trimmed.idx");
  REQUIRE(company.size() == 29);
  CHECK(company[2].company == "36Kr Holdings Inc.");
  CHECK(company[2].form == "SC 13D/A");
  CHECK(company[2].cik == 1779476);
  CHECK(company[2].filed == "2022-10-03");
  CHECK(company[2].accession == "0001104659-22-104841");
}

TEST_CASE("index files are known by name, other files are not taken for them", "[edgar-index]") {
  for (const char* name : {"master.idx", "form.20200318.idx", "company.idx.gz", "crawler.idx",
                           "master.gz", "MASTER.IDX", "master.zip", "form.zip",
                           "company.20221003-trimmed.idx", "master.20181231.idx.gz"}) {
    INFO(name);
    CHECK(fidx::IsEdgarIndexName(name));
  }
  for (const char* name : {"form4.xml", "master.txt", "xbrl.idx", "company.csv", "form4.xml.gz",
                           "formd.zip", "master-filings.zip", "master", "form.txt.gz",
                           "companyfacts.zip", "forms.idx"}) {
    INFO(name);
    CHECK_FALSE(fidx::IsEdgarIndexName(name));
  }
  std::vector<EdgarIndexEntry> rows;
  CHECK_FALSE(fidx::ParseEdgarIndex("just some text\nwith lines\n", &rows));
  CHECK(rows.empty());
}

TEST_CASE("an index row fills a header-less filing, a content name is kept", "[edgar-index]") {
  fidx::Filing f;
  f.accession = "0000950123-11-060355";
  f.form = "8-K";
  f.sources["form"] = "document-type";
  f.parties.emplace_back();
  f.parties[0].role = "FILER";
  f.parties[0].name = "NUANCE COMMUNICATIONS, INC.";
  EdgarIndexEntry row;
  row.cik = 1002517;
  row.company = "NUANCE COMMUNICATIONS INC";
  row.form = "8-K/A";
  row.filed = "2011-06-22";
  fidx::ApplyEdgarIndex({&row}, "edgar-index:master.idx", &f);
  CHECK(f.form == "8-K/A");
  CHECK(f.filed == "2011-06-22");
  REQUIRE(f.parties.size() == 1);
  CHECK(f.parties[0].cik == 1002517);
  CHECK(f.parties[0].name == "NUANCE COMMUNICATIONS, INC.");
  CHECK(f.sources["form"] == "edgar-index:master.idx");
  CHECK(f.sources["filed"] == "edgar-index:master.idx");
  CHECK(f.sources["cik"] == "edgar-index:master.idx");
}
