#include <catch2/catch.hpp>

#include "fidx/edgar_items.h"
#include "fidx/schema.h"

using namespace fidx::schema;

TEST_CASE("form terms are canonical whatever the spelling", "[schema]") {
  CHECK(FormTerm("10-k/a") == "XFORM:10-K/A");
  CHECK(FormTerm(" def  14a ") == "XFORM:DEF 14A");
  CHECK(FormTerm("10-K") != FormTerm("10-K/A"));
}

TEST_CASE("CIKs are unpadded whatever the input", "[schema]") {
  CHECK(ParseCik("0001279704") == 1279704u);
  CHECK(ParseCik("1279704") == 1279704u);
  CHECK(ParseCik("12a") == 0u);
  CHECK(CikTerm(ParseCik("0000320193")) == "XCIK320193");
}

TEST_CASE("long terms are hashed under Xapian's limit", "[schema]") {
  std::string path(1000, 'a');
  std::string t = SourceTerm(path);
  CHECK(t.size() <= 240);
  CHECK(t != SourceTerm(std::string(999, 'a') + "b"));
}

TEST_CASE("facets survive packing", "[schema]") {
  Facets f;
  f.filed = "20170308";
  f.form = "8-K";
  f.ciks = {1279704, 320193};
  f.sics = {2834};
  f.states = {"DE"};
  f.locations = {"WI", "E9"};
  f.types = {"8-K", "EX-99.1"};
  Facets g = UnpackFacets(PackFacets(f));
  CHECK(g.filed == "20170308");
  CHECK(g.form == "8-K");
  CHECK(g.ciks == f.ciks);
  CHECK(g.sics == f.sics);
  CHECK(g.states == f.states);
  CHECK(g.locations == f.locations);
  CHECK(g.types == f.types);
  f.filing_key = "0001144204-17-013452";
  CHECK(UnpackFacets(PackFacets(f)).filing_key == f.filing_key);
  CHECK(PackFacets(f) < PackFacets(Facets{"20180101", "10-K", {}, {}, {}, {}, {}, ""}));
}

TEST_CASE("8-K item descriptions map to their numbers", "[schema]") {
  using fidx::EightKItemNumber;
  CHECK(EightKItemNumber("Regulation FD Disclosure") == "7.01");
  CHECK(EightKItemNumber("Financial Statements and Exhibits") == "9.01");
  CHECK(EightKItemNumber("Results of Operations and Financial Condition") == "2.02");
  CHECK(EightKItemNumber("Departure of Directors or Certain Officers; Election of Directors; "
                         "Appointment of Certain Officers: Compensatory Arrangements of "
                         "Certain Officers") == "5.02");
  CHECK(EightKItemNumber("Changes in Registrant's Certifying Accountant") == "4.01");
  CHECK(EightKItemNumber("7.01") == "7.01");
  CHECK(EightKItemNumber("Other") == "");
  CHECK(EightKItemNumber("Something else entirely") == "");
}
