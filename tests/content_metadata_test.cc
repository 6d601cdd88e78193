// Metadata of files without an SEC header, read from what they say: the
// bare <DOCUMENT>'s <TYPE>, EDGAR XML forms, inline-XBRL cover facts, the
// EDGAR archive path and the file name. One row per real file (tests/data,
// described in tests/data/README.md).

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "content_metadata.h"
#include "fidx/filing.h"
#include "fidx/parser.h"
#include "test_paths.h"

using fidx::Filing;
using fidx::Party;

namespace {

std::string ReadSource(const std::string& rel) {
  std::ifstream in(std::string(fidx_test::kSourceDir) + "/" + rel, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct PartyRow {
  std::string role;
  uint64_t cik;
  std::string name;
  bool operator==(const PartyRow& o) const {
    return role == o.role && cik == o.cik && name == o.name;
  }
};

std::ostream& operator<<(std::ostream& os, const PartyRow& p) {
  return os << p.role << " " << p.cik << " " << p.name;
}

struct Row {
  const char* quirk;
  const char* file;  // under tests/data
  const char* path;  // the path it is parsed as ("" = its own)
  const char* accession;
  const char* form;
  const char* filed;
  const char* period;
  std::vector<PartyRow> parties;
  std::map<std::string, std::string> sources;
};

const std::vector<Row>& Rows() {
  static const std::vector<Row> rows = {
      {"edgar-crawler bare 8-K: <TYPE>, name's CIK and accession, cover page",
       "1002517_8K_2011_0000950123-11-060355.htm", "", "0000950123-11-060355", "8-K", "",
       "2011-06-21",
       {{"FILER", 1002517, "NUANCE COMMUNICATIONS, INC."}},
       {{"accession", "file-name"}, {"cik", "file-name"}, {"company", "cover-page"},
        {"form", "document-type"}, {"period", "cover-page"}}},
      {"the same 8-K in an EDGAR archive folder", "1002517_8K_2011_0000950123-11-060355.htm",
       "/m/edgar/data/1002517/000095012311060355/b87042e8vk.htm", "0000950123-11-060355",
       "8-K", "", "2011-06-21",
       {{"FILER", 1002517, "NUANCE COMMUNICATIONS, INC."}},
       {{"accession", "edgar-path"}, {"cik", "edgar-path"}, {"company", "cover-page"},
        {"form", "document-type"}, {"period", "cover-page"}}},
      {"inline XBRL 8-K named by its accession: dei cover facts",
       "0000887919-21-000012.html", "", "0000887919-21-000012", "8-K", "", "2021-03-29",
       {{"FILER", 887919, "PREMIER FINANCIAL BANCORP, INC."}},
       {{"accession", "file-name"}, {"cik", "xbrl:dei:EntityCentralIndexKey"},
        {"company", "xbrl:dei:EntityRegistrantName"}, {"form", "xbrl:dei:DocumentType"},
        {"period", "xbrl:dei:DocumentPeriodEndDate"}}},
      {"Form 4 XML: issuer and reporting owner, signature date", "aapl-4-20201013.xml", "",
       "", "4", "2020-10-13", "2020-10-09",
       {{"ISSUER", 320193, "Apple Inc."}, {"REPORTING-OWNER", 1513362, "Maestri Luca"}},
       {{"form", "xml:documentType"}, {"filed", "xml:ownerSignature/signatureDate"},
        {"period", "xml:periodOfReport"}, {"cik", "xml"}, {"company", "xml"}}},
      {"Form D/A XML: primary issuer, not the issuer named in the signature",
       "form-d-amendment.xml", "", "", "D/A", "2023-01-31", "",
       {{"FILER", 1544190, "Shepherd's Finance, LLC"}},
       {{"form", "xml:submissionType"}, {"filed", "xml:signature/signatureDate"},
        {"cik", "xml"}, {"company", "xml"}}},
      {"13F-HR primary document: filer credentials and filing manager",
       "13f-hr-primary-doc.xml", "", "", "13F-HR", "2023-05-31", "2020-12-31",
       {{"FILER", 1978011, "Abacus Wealth Partners, LLC"}},
       {{"form", "xml:submissionType"}, {"filed", "xml:signatureBlock/signatureDate"},
        {"period", "xml:periodOfReport"}, {"cik", "xml"}, {"company", "xml"}}},
      {"Schedule 13G XML: subject company and the filer", "schedule-13g.xml", "", "",
       "SCHEDULE 13G", "2025-11-26", "",
       {{"SUBJECT COMPANY", 1909747, "Jushi Holdings Inc."},
        {"FILED BY", 2048490, "Marex Securities Products Inc."}},
       {{"form", "xml:submissionType"}, {"filed", "xml:signatureDetails/date"},
        {"cik", "xml"}, {"company", "xml"}}},
  };
  return rows;
}

}  // namespace

TEST_CASE("a file without an SEC header gets its metadata from what it says",
          "[parser][metadata]") {
  for (const Row& row : Rows()) {
    SECTION(row.quirk) {
      std::string rel = std::string("tests/data/") + row.file;
      fidx::ParseOptions options;
      std::string path = *row.path ? row.path : rel;
      options.path = path;
      Filing f = fidx::ParseFiling(ReadSource(rel), options);
      CHECK(f.accession == row.accession);
      CHECK(f.form == row.form);
      CHECK(f.filed == row.filed);
      CHECK(f.period == row.period);
      std::vector<PartyRow> parties;
      for (const Party& p : f.parties) parties.push_back({p.role, p.cik, p.name});
      CHECK(parties == row.parties);
      for (const auto& [field, source] : row.sources) {
        INFO(field);
        CHECK(f.sources[field] == source);
      }
      CHECK(f.sources.size() == row.sources.size());
    }
  }
}

TEST_CASE("a file with an SEC header names the header as every field's source",
          "[parser][metadata]") {
  fidx::ParseOptions options;
  Filing f = fidx::ParseFiling(ReadSource("tests/data/0001045810-23-000128.txt"), options);
  REQUIRE_FALSE(f.sources.empty());
  for (const auto& [field, source] : f.sources) {
    INFO(field);
    CHECK(source == "sec-header");
  }
  CHECK(f.sources.count("form") == 1);
  CHECK(f.sources.count("filed") == 1);
}

TEST_CASE("an XML form's date is read in every spelling the forms use", "[parser][metadata]") {
  // Form 4 writes ISO dates, 13F "MM-DD-YYYY", Schedule 13G "MM/DD/YYYY",
  // inline XBRL cover pages "December 31, 2020" (and variants).
  const std::pair<const char*, const char*> rows[] = {
      {"2022-12-14", "2022-12-14"},       {"12-31-2021", "2021-12-31"},
      {"11/26/2025", "2025-11-26"},       {"December 31, 2020", "2020-12-31"},
      {"Dec. 31, 2020", "2020-12-31"},    {"31 December 2020", "2020-12-31"},
      {"September 30 , 2019", "2019-09-30"}, {"20201231", "2020-12-31"},
      {"Smarch 3, 2020", ""},             {"13/31/2020", ""},
      {"FY2020", ""},                     {"", ""},
  };
  for (const auto& [in, out] : rows) {
    INFO(in);
    CHECK(fidx::internal::ParseLooseDate(in) == out);
  }
}

TEST_CASE("a cover page gives the registrant and the date of report in its spellings",
          "[parser][metadata]") {
  struct CoverRow {
    const char* quirk;
    const char* text;
    const char* name;
    const char* period;
  };
  const CoverRow rows[] = {
      {"colon after the parenthesis (1000180_8K_2010_0001000180-10-000003.htm)",
       "FORM 8-K\nDate of Report (Date of earliest event reported): January 28, 2010\n"
       "SanDisk Corporation\n(Exact name of registrant as specified in its charter)\n",
       "SanDisk Corporation", "2010-01-28"},
      {"no colon (an Internet America 8-K of 2003 in nlpaueb__edgar-crawler)",
       "Date of Report (Date of earliest event reported) May 7, 2003\nInternet America, Inc.\n"
       "(Exact name of registrant as specified in its charter)\nTexas\n",
       "Internet America, Inc.", "2003-05-07"},
      {"date on the next lines, a former name under the name",
       "Date of Report\n(Date of earliest event reported)\nMarch 3, 2008 (February 28, 2008)\n"
       "Stockwalk Group, Inc.\n(Formerly known as Evergreen International Corp.)\n"
       "(Exact name of registrant as specified in its charter)\n",
       "Stockwalk Group, Inc.", "2008-03-03"},
      {"date above the caption (0001437749-16-028287.html in edgartools' parity_gate)",
       "FORM 8-K\nCURRENT REPORT\nPursuant to Section 13 or 15(d)\n"
       "of the Securities Exchange Act of 1934\nMarch 23, 2016\n"
       "Date of Report (Date of earliest event reported)\nSophiris Bio Inc.\n"
       "(Exact name of registrant as specified in its charter)\n",
       "Sophiris Bio Inc.", "2016-03-23"},
      {"prose above the caption: no date",
       "The company announced results on the call.\n"
       "Date of Report (Date of earliest event reported)\nAcme Corp\n", "", ""},
      {"name on the same line as the caption: not taken",
       "Acme Corp (Exact name of registrant as specified in its charter)\n", "", ""},
  };
  for (const CoverRow& row : rows) {
    SECTION(row.quirk) {
      Filing f;
      f.documents.emplace_back();
      f.documents[0].text = row.text;
      fidx::internal::InferFromCoverPage(&f);
      CHECK((f.PrimaryParty() ? f.PrimaryParty()->name : std::string()) == row.name);
      CHECK(f.period == row.period);
    }
  }
}

TEST_CASE("a 10-K's period of report is read when a cover fact nests another",
          "[parser][metadata]") {
  // As in Apple's 10-K of 2024 (aapl-10-k-2024-11-01.html in the shared
  // corpus): the fiscal year end's day and month are a fact of their own
  // inside the period's.
  std::string body =
      "<html><body>For the fiscal year ended <ix:nonNumeric contextRef=\"c-1\" "
      "name=\"dei:DocumentPeriodEndDate\" format=\"ixt:date-monthname-day-year-en\" id=\"f-4\">"
      "<ix:nonNumeric contextRef=\"c-1\" name=\"dei:CurrentFiscalYearEndDate\" "
      "format=\"ixt:date-monthname-day-en\" id=\"f-3\">September&#160;28</ix:nonNumeric>, "
      "2024</ix:nonNumeric> <ix:nonNumeric name=\"dei:DocumentType\" contextRef=\"c-1\">10-K"
      "</ix:nonNumeric></body></html>";
  fidx::ParseOptions options;
  Filing f = fidx::ParseFiling(body, options);
  CHECK(f.form == "10-K");
  CHECK(f.period == "2024-09-28");
  CHECK(f.sources["period"] == "xbrl:dei:DocumentPeriodEndDate");
}
