// End-to-end over the index of ../shared/corpus (the shared_index_setup
// fixture; skipped, saying so, when the corpus is absent): which filings
// still have no form, or no date (neither filed nor period), and why. The
// answer must be: those whose files say nothing of it that fidx reads. A
// file that states its form or a date in any of the ways fidx reads (an
// SEC header, a primary document's <TYPE>, an XML form's fields, an
// inline-XBRL cover fact, a cover page's "Date of Report") and is still
// without it fails the test, naming the file and what it says.

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "test_paths.h"

using fidx_test::RunFidx;
using nlohmann::json;

namespace {

// The file's bytes, gunzipped when it is gzipped.
std::string Contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), {});
  if (data.size() < 2 || data[0] != '\x1f' || data[1] != '\x8b') return data;
  std::string out;
  FILE* p = ::popen(("gzip -dc '" + path + "'").c_str(), "r");
  if (p == nullptr) return data;
  char buf[65536];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  ::pclose(p);
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// What `text` says of its filing's form, in the ways fidx reads; "" if
// nothing. A bare document's <TYPE> names the filing's form only when it
// is not an exhibit's.
std::string SaysForm(const std::string& text) {
  for (const char* marker : {"CONFORMED SUBMISSION TYPE", "<FORM-TYPE>", "<submissionType>",
                             "<documentType>", "dei:DocumentType"}) {
    if (text.find(marker) != std::string::npos) return marker;
  }
  for (size_t at = text.find("<TYPE>"); at != std::string::npos;
       at = text.find("<TYPE>", at + 1)) {
    std::string type = text.substr(at + 6, 16);
    type = type.substr(0, type.find_first_of("\r\n<"));
    if (type.rfind("EX-", 0) != 0 && !type.empty()) return "<TYPE>" + type;
  }
  return "";
}

// What `text` says of a date of its filing (filed or period), in the ways
// fidx reads; "" if nothing.
std::string SaysDate(const std::string& text) {
  for (const char* marker : {"FILED AS OF DATE", "<FILING-DATE>", "CONFORMED PERIOD OF REPORT",
                             "<periodOfReport>", "<reportCalendarOrQuarter>", "<repPdDate>",
                             "<signatureDate>", "signatureDetails", "dei:DocumentPeriodEndDate"}) {
    if (text.find(marker) != std::string::npos) return marker;
  }
  if (Lower(text.substr(0, 256 * 1024)).find("date of report") != std::string::npos) {
    return "Date of Report";
  }
  return "";
}

}  // namespace

TEST_CASE("the shared corpus's filings without a form or a date are those whose files say nothing of it",
          "[shared][metadata]") {
  if (!fidx_test::HaveSharedCorpus()) return;
  std::string db = fidx_test::kSharedIndex;
  if (!std::filesystem::exists(db + "/XAPIANDB")) {
    FAIL("the shared_index_setup fixture did not build " << db);
  }
  auto r = RunFidx({"search", "--db", db, "--json", "--limit", "1000000", "--no-snippets", "*"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json all = r.Json();
  std::string prefix = std::string(fidx_test::kSharedCorpus) + "/";
  std::ostringstream list;
  int no_form = 0, no_date = 0, no_filed = 0;
  for (const json& hit : all["hits"]) {
    bool form = hit["form"].is_string();
    bool filed = hit["filed"].is_string();
    bool date = filed || hit["period"].is_string();
    no_filed += !filed;
    if (form && date) continue;
    std::string path = hit["path"];
    std::string text = Contents(path);
    std::string shown = path.rfind(prefix, 0) == 0 ? path.substr(prefix.size()) : path;
    INFO(shown);
    if (!form) {
      ++no_form;
      CHECK(SaysForm(text) == "");
    }
    if (!date) {
      ++no_date;
      CHECK(SaysDate(text) == "");
    }
    list << "  " << shown << ": no " << (!form && !date ? "form, no date" : !form ? "form" : "date")
         << (hit["accession"].is_string() ? " (accession " + hit["accession"].get<std::string>() + ")"
                                           : "")
         << "\n";
  }
  // Printed for the reader: the files that truly say nothing. Their text
  // is searchable; they are left out of form and year facets as (unknown).
  std::cout << all["total"] << " filings; " << no_form << " without a form, " << no_date
            << " without a date (filed or period), " << no_filed
            << " without a filing date (their files, loose documents, do not carry it):\n"
            << list.str();
  CHECK(no_form + no_date > 0);  // the corpus has such files: the check ran
}
