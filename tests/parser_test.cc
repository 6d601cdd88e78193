// The EDGAR parser, one table row per real quirk (fixtures: tests/data,
// described in tests/data/README.md), then the grammar's small functions and
// hostile input built in memory.

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "fidx/filing.h"
#include "fidx/parser.h"
#include "test_paths.h"

using fidx::Document;
using fidx::DocumentKind;
using fidx::Filing;
using fidx::Format;
using fidx::Party;

namespace {

std::string ReadSource(const std::string& rel) {
  std::ifstream in(std::string(fidx_test::kSourceDir) + "/" + rel, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Filing Parse(std::string_view bytes, bool extract_text = true, std::string_view path = "") {
  fidx::ParseOptions options;
  options.extract_text = extract_text;
  options.path = path;
  return fidx::ParseFiling(bytes, options);
}

std::vector<std::string> Roles(const Filing& f) {
  std::vector<std::string> roles;
  for (const Party& p : f.parties) roles.push_back(p.role);
  return roles;
}

std::vector<DocumentKind> Kinds(const Filing& f) {
  std::vector<DocumentKind> kinds;
  for (const Document& d : f.documents) kinds.push_back(d.kind);
  return kinds;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

struct Row {
  const char* quirk;
  const char* file;  // relative to the source tree
  Format format;
  const char* accession;
  const char* form;
  const char* filed;
  std::vector<uint64_t> ciks;  // Filing::Ciks(): header order
  std::vector<int> sics;
  std::vector<std::string> roles;
  std::vector<DocumentKind> kinds;
  std::function<void(const Filing&)> more;
};

constexpr auto kHtml = DocumentKind::kHtml;
constexpr auto kText = DocumentKind::kText;
constexpr auto kXml = DocumentKind::kXml;
constexpr auto kBinary = DocumentKind::kBinary;

const std::vector<Row>& Rows() {
  static const std::vector<Row> rows = {
      // The seed 8-K: every header field, two former names, two items.
      {"modern 8-K with ITEM INFORMATION and FORMER COMPANY", "corpus/2017/0001144204-17-013452.txt",
       Format::kFullSubmission, "0001144204-17-013452", "8-K", "2017-03-08", {1279704}, {2834},
       {"FILER"}, {kHtml, kHtml}, [](const Filing& f) {
         CHECK(f.acceptance == "2017-03-08T16:02:21");
         CHECK(f.period == "2017-03-08");
         CHECK(f.date_of_change == "2017-03-08");
         CHECK(f.public_document_count == 2);
         CHECK(f.items == std::vector<std::string>{"Regulation FD Disclosure",
                                                   "Financial Statements and Exhibits"});
         const Party& p = f.parties[0];
         CHECK(p.name == "Cellectar Biosciences, Inc.");
         CHECK(p.sic_title == "PHARMACEUTICAL PREPARATIONS");
         CHECK(p.irs_number == "043321804");
         CHECK(p.state_of_incorporation == "DE");
         CHECK(p.fiscal_year_end == "1231");
         CHECK(p.form_type == "8-K");
         CHECK(p.sec_act == "1934 Act");
         CHECK(p.file_numbers == std::vector<std::string>{"001-36598"});
         CHECK(p.film_number == "17675115");
         CHECK(p.business_address.street1 == "3301 AGRICULTURE DRIVE");
         CHECK(p.business_address.city == "MADISON");
         CHECK(p.business_address.phone == "617-244-1616");
         CHECK(p.mail_address.zip == "53716");
         REQUIRE(p.former_names.size() == 2);
         CHECK(p.former_names[0].name == "NOVELOS THERAPEUTICS, INC.");
         CHECK(p.former_names[0].date_changed == "2005-06-17");
         CHECK(p.former_names[1].name == "COMMON HORIZONS INC");
         CHECK(f.documents[1].type == "EX-99.1");
         CHECK(f.documents[1].sequence == 2);
         CHECK(f.documents[1].filename == "v461435_ex99-1.htm");
         CHECK(f.documents[1].description == "EXHIBIT 99.1");
       }},
      // 1993-95: <IMS-DOCUMENT>/<IMS-HEADER> inside a PEM wrapper, bare SIC.
      {"1994 IMS header in a PEM wrapper", "tests/data/0000109446-94-000005.txt",
       Format::kImsSubmission, "0000109446-94-000005", "8-K", "1994-03-22", {109446}, {4991},
       {"FILER"}, {kText}, [](const Filing& f) {
         CHECK(f.pem_wrapped);
         CHECK(f.parties[0].sic_title.empty());
         CHECK(f.items == std::vector<std::string>{"5"});
       }},
      {"1998 PEM-wrapped plain-text 8-K", "tests/data/0001000685-98-000002.txt",
       Format::kFullSubmission, "0001000685-98-000002", "8-K", "1998-03-03", {1000685}, {8082},
       {"FILER"}, {kText}, [](const Filing& f) {
         CHECK(f.pem_wrapped);
         CHECK(f.parties[0].name == "HOME HEALTH CORP OF AMERICA INC \\PA\\");
       }},
      // STANDARD INDUSTRIAL CLASSIFICATION:	[]
      {"SIC written []", "tests/data/0000950129-95-001652.txt", Format::kFullSubmission,
       "0000950129-95-001652", "24F-2NT", "1995-12-28", {810271}, {}, {"FILER"}, {kText, kText},
       [](const Filing& f) { CHECK(f.parties[0].sic_title.empty()); }},
      // STANDARD INDUSTRIAL CLASSIFICATION:	 [6211
      {"SIC written [6211 without title or bracket", "tests/data/0000950124-00-005827.txt",
       Format::kFullSubmission, "0000950124-00-005827", "8-K", "2000-09-28", {1001136}, {6211},
       {"FILER"}, {kText, kText}, nullptr},
      {"SERIAL COMPANY with unindented sub-sections", "tests/data/serial-company-unindented.hdr.txt",
       Format::kHeaderOnly, "0000928385-00-003420", "424B5", "2000-12-19", {1014956, 1130269},
       {6189}, {"FILER", "SERIAL COMPANY"}, {}, [](const Filing& f) {
         CHECK(f.parties[0].former_names.size() == 2);
         CHECK(f.parties[1].name == "BANK OF AMERICA MORT SEC INC MORT PASS THRU CERTS SER 2000 8");
         CHECK(f.parties[1].file_numbers == std::vector<std::string>{"333-80941-08"});
         CHECK(f.parties[1].business_address.city == "CHARLOTTE");
       }},
      // <REPORTING-OWNER> as a tag around text lines; " []" SIC for the owner.
      {"1990s REPORTING-OWNER tag around text lines", "tests/data/1990s-reporting-owner-tag.hdr.txt",
       Format::kHeaderOnly, "0001012325-98-000004", "4", "1998-11-20", {1035972, 1012325}, {2890},
       {"SUBJECT COMPANY", "REPORTING-OWNER"}, {}, [](const Filing& f) {
         CHECK(f.parties[1].name == "CANTALUPO JAMES R");
         CHECK(f.parties[1].sic == 0);
         CHECK(f.parties[1].business_address.city == "CHICAGO");
       }},
      {"OWNER DATA for an individual reporting owner", "tests/data/owner-data.hdr.txt",
       Format::kHeaderOnly, "0001140361-23-028639", "4", "2023-06-06", {1927858, 1853145}, {7372},
       {"REPORTING-OWNER", "ISSUER"}, {}, [](const Filing& f) {
         CHECK(f.parties[0].name == "Driggers Shane");
         CHECK(f.acceptance == "2023-06-06T21:32:04");
       }},
      {"blank line after every header line", "tests/data/double-newlines.hdr.txt",
       Format::kHeaderOnly, "0001193125-24-066744", "485APOS", "2024-03-13", {1100663}, {},
       {"FILER", "FILER"}, {}, [](const Filing& f) {
         CHECK(f.date_of_change == "2024-06-26");
         CHECK(f.parties[0].former_names.size() == 1);
       }},
      {"EIN instead of IRS NUMBER, space-padded keys", "tests/data/abs-15g-ein.hdr.txt",
       Format::kHeaderOnly, "0001140361-25-045534", "ABS-15G", "2025-12-15", {1712487}, {},
       {"FILER"}, {}, [](const Filing& f) { CHECK(f.parties[0].irs_number == "273146015"); }},
      {"tagged header inside <SEC-HEADER>", "tests/data/tagged-sec-header.html",
       Format::kHeaderOnly, "0001062993-24-012217", "4", "2024-06-07", {1641388, 914156}, {3841},
       {"REPORTING-OWNER", "ISSUER"}, {}, [](const Filing& f) {
         CHECK(f.period == "2024-06-05");
         CHECK(f.acceptance == "2024-06-07T18:10:30");
         CHECK(f.parties[1].business_address.city == "NEWBURYPORT");
       }},
      {"-index-headers.html with the header escaped in <PRE>",
       "tests/data/0001971857-23-000246-index-headers.html", Format::kHeaderOnly,
       "0001971857-23-000246", "144", "2023-06-12", {201533, 1701746}, {4931},
       {"SUBJECT COMPANY", "REPORTING-OWNER"}, {}, [](const Filing& f) {
         CHECK(f.parties[0].sic_title == "ELECTRIC & OTHER SERVICES COMBINED");
         CHECK(f.parties.size() == 2);  // the commented tagged copy is not read too
       }},
      {".nc with CR-only line ends", "tests/data/0001127602-25-004598.nc", Format::kDissemination,
       "0001127602-25-004598", "4", "2025-02-13", {1870985, 7536}, {5065},
       {"REPORTING-OWNER", "ISSUER"}, {kXml}, [](const Filing& f) {
         CHECK(f.parties[1].name == "ARROW ELECTRONICS, INC.");
         CHECK(f.parties[1].former_names.size() == 2);
         CHECK(f.parties[1].former_names[1].date_changed == "1992-07-03");
         CHECK(Contains(f.documents[0].text, "Jean-Claude Carine Lamercie"));
       }},
      {".nc DEPOSITOR, SECURITIZER and <ISSUING_ENTITY>", "tests/data/0000929638-25-000114-trimmed.nc",
       Format::kDissemination, "0000929638-25-000114", "ABS-15G", "2025-01-10", {1654238, 2049379},
       {6189}, {"FILER", "DEPOSITOR", "SECURITIZER", "ISSUING ENTITY"}, {kHtml, kHtml, kBinary},
       [](const Filing& f) {
         CHECK(f.items == std::vector<std::string>{"2.01"});
         CHECK(f.parties[3].name == "Exeter Automobile Receivables Trust 2025-1");
       }},
      {"GROUP MEMBERS become name-only parties", "tests/data/0001104659-25-002604-trimmed.txt",
       Format::kFullSubmission, "0001104659-25-002604", "SC TO-T/A", "2025-01-10",
       {1376139, 1034563}, {2911, 3714},
       {"GROUP MEMBER", "GROUP MEMBER", "GROUP MEMBER", "GROUP MEMBER", "GROUP MEMBER",
        "GROUP MEMBER", "SUBJECT COMPANY", "SUBJECT COMPANY", "FILED BY"},
       {kHtml, kHtml}, [](const Filing& f) {
         CHECK(f.parties[2].name == "CARL C. ICAHN");
         CHECK(f.parties[2].cik == 0);
       }},
      {"FILED FOR and a <PDF>-wrapped uuencoded letter", "tests/data/0000000000-24-003505-trimmed.txt",
       Format::kFullSubmission, "0000000000-24-003505", "UPLOAD", "2024-04-02", {320193}, {3571},
       {"FILED FOR"}, {kBinary, kText}, [](const Filing& f) {
         CHECK(f.documents[0].text.empty());
         CHECK(f.parties[0].former_names.size() == 2);
       }},
      {"space-indented header with MULTI-ACCESSION-NUMBERS", "tests/data/nport-space-indented-trimmed.txt",
       Format::kFullSubmission, "0001193125-19-278752", "NPORT-EX", "2019-10-30", {1027596}, {},
       {"FILER"}, {kHtml}, [](const Filing& f) {
         CHECK(f.parties[0].business_address.street2 == "615 E MICHIGAN STREET");
         CHECK(f.documents[0].type == "NPORT-EX");
       }},
      {"PEM lines wrapped at 1023 characters", "tests/data/pem-1023-wrap-trimmed.txt",
       Format::kFullSubmission, "0001010412-10-000078", "10-K", "2010-04-06", {876134}, {6770},
       {"FILER"}, {kHtml}, [](const Filing& f) {
         CHECK(f.pem_wrapped);
         CHECK(Contains(f.documents[0].text, "At its current level of operations"));
         CHECK_FALSE(Contains(f.documents[0].text, "- -"));
       }},
      {"FORMER NAME under a REPORTING-OWNER", "tests/data/0001045810-23-000128.txt",
       Format::kFullSubmission, "0001045810-23-000128", "4", "2023-06-23", {1283854, 1045810},
       {3674}, {"REPORTING-OWNER", "ISSUER"}, {kXml}, [](const Filing& f) {
         REQUIRE(f.parties[0].former_names.size() == 1);
         CHECK(f.parties[0].former_names[0].name == "SHOQUIST DEBBIE");
         CHECK(f.parties[0].former_names[0].date_changed == "2004-03-16");
       }},
      {"13F-HR with two <XML> documents", "tests/data/0001894188-23-000007.txt",
       Format::kFullSubmission, "0001894188-23-000007", "13F-HR", "2023-11-14", {1894188}, {},
       {"FILER"}, {kXml, kXml}, [](const Filing& f) {
         CHECK(f.documents[1].type == "INFORMATION TABLE");
         CHECK_FALSE(Contains(f.documents[0].text, "<XML>"));
         CHECK_FALSE(f.documents[1].text.empty());
       }},
      {"bare <DOCUMENT> without a header", "tests/data/bare-document-8k.htm",
       Format::kBareDocuments, "", "8-K", "", {}, {}, {"FILER"}, {kHtml}, [](const Filing& f) {
         CHECK(f.parties[0].name == "SanDisk Corporation");  // its cover page
       }},
      {"loose Form 4 XML", "tests/data/aapl-4-20201013.xml", Format::kXml, "", "4", "2020-10-13",
       {320193, 1513362}, {}, {"ISSUER", "REPORTING-OWNER"}, {kXml},
       [](const Filing& f) { CHECK(Contains(f.documents[0].text, "Maestri Luca")); }},
      {"comment letter: plain text, no SGML", "tests/data/comment-letter.txt", Format::kText, "",
       "", "", {}, {}, {}, {kText}, [](const Filing& f) {
         CHECK(Contains(f.documents[0].text, "Preliminary Proxy Statement on Schedule 14A"));
       }},
  };
  return rows;
}

}  // namespace

TEST_CASE("each real quirk parses to the values in its file", "[parser]") {
  for (const Row& row : Rows()) {
    SECTION(row.quirk) {
      INFO(row.file);
      Filing f = Parse(ReadSource(row.file));
      CHECK(f.format == row.format);
      CHECK(f.accession == row.accession);
      CHECK(f.form == row.form);
      CHECK(f.filed == row.filed);
      CHECK(f.Ciks() == row.ciks);
      CHECK(f.Sics() == row.sics);
      CHECK(Roles(f) == row.roles);
      CHECK(Kinds(f) == row.kinds);
      CHECK(f.warnings.empty());
      if (row.more) row.more(f);
    }
  }
}

TEST_CASE("a header-only parse gives the same header as a full parse", "[parser]") {
  for (const Row& row : Rows()) {
    std::string bytes = ReadSource(row.file);
    Filing full = Parse(bytes);
    Filing header;
    bool found = fidx::ParseHeader(bytes, &header);
    INFO(row.file);
    CHECK(found == !full.accession.empty());
    if (!found) continue;
    CHECK(header.accession == full.accession);
    CHECK(header.Ciks() == full.Ciks());
    CHECK(header.documents.empty());
  }
}

TEST_CASE("the seed press release's text is extracted", "[parser][text]") {
  Filing f = Parse(ReadSource("corpus/2017/0001144204-17-013452.txt"));
  REQUIRE(f.documents.size() == 2);
  const std::string& text = f.documents[1].text;
  CHECK(Contains(text, "The FDA has granted Cellectar an orphan drug designation for CLR 131"));
  CHECK_FALSE(Contains(text, "<P"));
  CHECK(Contains(f.documents[0].text, "CURRENT REPORT"));
}

TEST_CASE("1990s plain text loses its PEM armour and page markers", "[parser][text]") {
  Filing f = Parse(ReadSource("tests/data/0000109446-94-000005.txt"));
  REQUIRE(f.documents.size() == 1);
  const std::string& text = f.documents[0].text;
  CHECK(Contains(text, "ZURN INDUSTRIES, INC."));
  CHECK_FALSE(Contains(text, "Proc-Type"));
  CHECK_FALSE(Contains(text, "<PAGE>"));
  CHECK_FALSE(Contains(text, "PRIVACY-ENHANCED"));
}

TEST_CASE("documents are located by offset in the file's bytes", "[parser]") {
  std::string bytes = ReadSource("corpus/2017/0001144204-17-013452.txt");
  Filing f = Parse(bytes, false);
  for (const Document& d : f.documents) {
    std::string_view body = std::string_view(bytes).substr(d.raw_offset, d.raw_bytes);
    CHECK(body.substr(0, 6) == "<HTML>");
    CHECK(bytes.substr(d.raw_offset + d.raw_bytes, 7) == "</TEXT>");
    CHECK(d.text.empty());  // extract_text = false
  }
}

TEST_CASE("an .nc file on a single line parses as with line ends", "[parser]") {
  std::string bytes = ReadSource("tests/data/0001127602-25-004598.nc");
  std::string one_line;
  std::copy_if(bytes.begin(), bytes.end(), std::back_inserter(one_line),
               [](char c) { return c != '\r' && c != '\n'; });
  Filing a = Parse(bytes);
  Filing b = Parse(one_line);
  CHECK(b.format == Format::kDissemination);
  CHECK(b.accession == a.accession);
  CHECK(b.form == "4");
  CHECK(b.filed == a.filed);
  CHECK(b.Ciks() == a.Ciks());
  CHECK(b.Sics() == a.Sics());
  CHECK(b.parties[1].name == a.parties[1].name);
  REQUIRE(b.documents.size() == 1);
  CHECK(b.documents[0].filename == "form4.xml");
  CHECK(b.documents[0].kind == DocumentKind::kXml);
}

TEST_CASE("EDGAR's archive path gives a loose file its accession and CIK", "[parser]") {
  struct PathRow {
    const char* quirk;
    const char* path;
    const char* accession;
    uint64_t cik;
  };
  const PathRow rows[] = {
      {"document folder", "/x/edgar/data/1000180/000095012310078896/d8k.htm", "0000950123-10-078896", 1000180},
      {"relative document folder", "edgar/data/1000180/000095012310078896/d8k.htm", "0000950123-10-078896", 1000180},
      {"full submission name", "/mirror/Archives/edgar/data/320193/0000320193-20-000096.txt", "0000320193-20-000096", 320193},
      {"no data/ component", "/x/1000180/000095012310078896/d8k.htm", "", 0},
      {"accession of 17 digits", "/edgar/data/1000180/00009501231007889/d8k.htm", "", 0},
      {"CIK not a number", "/edgar/data/abc/000095012310078896/d8k.htm", "", 0},
  };
  std::string html = ReadSource("tests/data/bare-document-8k.htm");
  for (const PathRow& row : rows) {
    SECTION(row.quirk) {
      Filing f = Parse(html, false, row.path);
      CHECK(f.accession == row.accession);
      if (row.cik) {
        REQUIRE(f.parties.size() == 1);
        CHECK(f.parties[0].role == "FILER");
        CHECK(f.parties[0].cik == row.cik);
      } else {
        CHECK(f.parties.empty());
      }
    }
  }
}

TEST_CASE("SIC codes are read in every spelling EDGAR uses", "[parser]") {
  struct SicRow {
    const char* value;
    int sic;
    const char* title;
  };
  const SicRow rows[] = {
      {"PHARMACEUTICAL PREPARATIONS [2834]", 2834, "PHARMACEUTICAL PREPARATIONS"},
      {"3711", 3711, ""},                 // 1993-95 IMS headers
      {" [5122", 5122, ""},               // bracket lost (1001136_8K_2000_*)
      {" []", 0, ""},                     // 0000950129-95-001652.txt
      {"", 0, ""},
      {"BLANK CHECKS", 0, "BLANK CHECKS"},
      {"ELECTRIC &amp; OTHER [4931]", 4931, "ELECTRIC &amp; OTHER"},  // unescaped only in <PRE>
  };
  for (const SicRow& row : rows) {
    std::string header = "ACCESSION NUMBER:\t0000000000-00-000001\nFILER:\n\tCOMPANY DATA:\n"
                         "\t\tSTANDARD INDUSTRIAL CLASSIFICATION:\t" + std::string(row.value) + "\n";
    Filing f;
    REQUIRE(fidx::ParseHeader(header, &f));
    INFO("value: '" << row.value << "'");
    REQUIRE(f.parties.size() == 1);
    CHECK(f.parties[0].sic == row.sic);
    CHECK(f.parties[0].sic_title == row.title);
  }
}

TEST_CASE("accession numbers are normalised from either spelling", "[parser]") {
  CHECK(fidx::NormalizeAccession("0001144204-17-013452") == "0001144204-17-013452");
  CHECK(fidx::NormalizeAccession("000114420417013452") == "0001144204-17-013452");
  CHECK(fidx::NormalizeAccession(" 0001144204-17-013452\t") == "0001144204-17-013452");
  CHECK(fidx::NormalizeAccession("0001144204-17-01345") == "");
  CHECK(fidx::NormalizeAccession("00011442041701345X") == "");
  CHECK(fidx::NormalizeAccession("0001144204/17/013452") == "");
  CHECK(fidx::NormalizeAccession("") == "");
}

TEST_CASE("dates are normalised to YYYY-MM-DD or rejected", "[parser]") {
  CHECK(fidx::NormalizeDate("20170308") == "2017-03-08");
  CHECK(fidx::NormalizeDate("20170308160221") == "2017-03-08");
  CHECK(fidx::NormalizeDate(" 19940322 ") == "1994-03-22");
  CHECK(fidx::NormalizeDate("2017-03-08") == "2017-03-08");
  CHECK(fidx::NormalizeDate("20171308") == "");
  CHECK(fidx::NormalizeDate("20170300") == "");
  CHECK(fidx::NormalizeDate("2017030") == "");
  CHECK(fidx::NormalizeDate("March 8") == "");
  CHECK(fidx::NormalizeDate("") == "");
}

TEST_CASE("header values become valid UTF-8", "[parser]") {
  // Windows-1252 bytes in a name, as pre-2001 filings have.
  std::string header = "ACCESSION NUMBER:\t0000000000-00-000001\nFILER:\n\tCOMPANY DATA:\n"
                       "\t\tCOMPANY CONFORMED NAME:\tSOCI\xC9T\xC9 G\xC9N\xC9RALE\n";
  Filing f;
  REQUIRE(fidx::ParseHeader(header, &f));
  REQUIRE(f.parties.size() == 1);
  CHECK(f.parties[0].name == "SOCI\xC3\x89T\xC3\x89 G\xC3\x89N\xC3\x89RALE");
}

// ---- Hostile input: never crash, never hang, say what was wrong ----

namespace {

const char kHeader[] =
    "<SEC-DOCUMENT>0000000000-00-000001.txt : 20200101\n"
    "<SEC-HEADER>0000000000-00-000001.hdr.sgml : 20200101\n"
    "ACCESSION NUMBER:\t\t0000000000-00-000001\n"
    "CONFORMED SUBMISSION TYPE:\t8-K\n"
    "FILED AS OF DATE:\t\t20200101\n"
    "FILER:\n\tCOMPANY DATA:\n\t\tCENTRAL INDEX KEY:\t\t0000000042\n"
    "</SEC-HEADER>\n";

bool HasWarning(const Filing& f, const std::string& part) {
  return std::any_of(f.warnings.begin(), f.warnings.end(),
                     [&](const std::string& w) { return Contains(w, part); });
}

}  // namespace

TEST_CASE("empty and blank files are unknown, with a warning", "[parser][hostile]") {
  for (const char* bytes : {"", "  \n\r\n\t "}) {
    Filing f = Parse(bytes);
    CHECK(f.format == Format::kUnknown);
    CHECK(f.documents.empty());
    CHECK(f.warnings.size() == 1);
  }
}

TEST_CASE("random bytes and NUL bytes are refused as binary", "[parser][hostile]") {
  std::mt19937 rng(42);
  std::string random(1 << 20, '\0');
  for (char& c : random) c = static_cast<char>(rng());
  std::string nuls(4096, '\0');
  for (const std::string& bytes : {random, nuls}) {
    Filing f = Parse(bytes);
    CHECK(f.format == Format::kUnknown);
    CHECK(HasWarning(f, "binary"));
    CHECK(f.documents.empty());
  }
}

TEST_CASE("NUL bytes inside a filing do not stop the parse", "[parser][hostile]") {
  std::string bytes = std::string(kHeader) + "<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nbefore" +
                      std::string(3, '\0') + "after\n</TEXT>\n</DOCUMENT>\n";
  Filing f = Parse(bytes);
  CHECK(f.accession == "0000000000-00-000001");
  REQUIRE(f.documents.size() == 1);
  CHECK(f.documents[0].raw_bytes == 15);
}

TEST_CASE("a header cut short still yields what it has", "[parser][hostile]") {
  std::string seed = ReadSource("corpus/2017/0001144204-17-013452.txt");
  std::string cut = seed.substr(0, seed.find("BUSINESS ADDRESS"));
  Filing f = Parse(cut);
  CHECK(f.format == Format::kHeaderOnly);
  CHECK(f.accession == "0001144204-17-013452");
  CHECK(f.Ciks() == std::vector<uint64_t>{1279704});
  CHECK(HasWarning(f, "no </SEC-HEADER>"));
}

TEST_CASE("missing end tags still yield every document, with warnings", "[parser][hostile]") {
  std::string seed = ReadSource("corpus/2017/0001144204-17-013452.txt");
  std::string no_ends;
  std::istringstream lines(seed);
  for (std::string line; std::getline(lines, line);) {
    if (line != "</TEXT>" && line != "</DOCUMENT>") no_ends += line + "\n";
  }
  Filing f = Parse(no_ends);
  REQUIRE(f.documents.size() == 2);
  CHECK(f.documents[0].type == "8-K");
  CHECK(f.documents[1].type == "EX-99.1");
  CHECK(HasWarning(f, "document 1 (8-K): no </TEXT>"));
  CHECK(HasWarning(f, "document 2 (EX-99.1): no </TEXT>"));
  CHECK(Contains(f.documents[1].text, "orphan drug"));
  // The first body stops at the second <DOCUMENT>.
  CHECK_FALSE(Contains(f.documents[0].text, "orphan drug"));

  std::string truncated = seed.substr(0, seed.find("About Multiple Myeloma"));
  Filing t = Parse(truncated);
  REQUIRE(t.documents.size() == 2);
  CHECK(HasWarning(t, "document 2 (EX-99.1): no </TEXT>"));
  CHECK(Contains(t.documents[1].text, "orphan drug"));
}

TEST_CASE("a 30 MB single line is parsed with bounded values", "[parser][hostile]") {
  std::string nc = "<SUBMISSION><ACCESSION-NUMBER>0000000000-00-000001<TYPE>" +
                   std::string(30u << 20, 'x');
  Filing f = Parse(nc, false);
  CHECK(f.format == Format::kHeaderOnly);
  CHECK(f.accession == "0000000000-00-000001");
  CHECK(f.form.size() <= 1024);

  std::string text(30u << 20, 'a');
  for (size_t i = 7; i < text.size(); i += 8) text[i] = ' ';
  Filing loose = Parse(text);
  CHECK(loose.format == Format::kText);
  REQUIRE(loose.documents.size() == 1);
  CHECK(loose.documents[0].raw_bytes == text.size());
}

TEST_CASE("3,000 documents in one filing are all listed", "[parser][hostile]") {
  std::string bytes = kHeader;
  std::string cut = kHeader;
  for (int i = 1; i <= 3000; ++i) {
    std::string n = std::to_string(i);
    bytes += "<DOCUMENT>\n<TYPE>EX-99\n<SEQUENCE>" + n + "\n<TEXT>\nexhibit " + n +
             "\n</TEXT>\n</DOCUMENT>\n";
    cut += "<DOCUMENT>\n<TYPE>EX-99\n<SEQUENCE>" + n + "\n<TEXT>\nexhibit " + n + "\n";
  }
  Filing f = Parse(bytes);
  REQUIRE(f.documents.size() == 3000);
  CHECK(f.documents[2999].sequence == 3000);
  CHECK(Contains(f.documents[2999].text, "exhibit 3000"));
  CHECK(f.warnings.empty());

  // The same without end tags: every document, one warning each, linear time.
  Filing g = Parse(cut, false);
  REQUIRE(g.documents.size() == 3000);
  CHECK(g.warnings.size() == 3000);
  CHECK(g.documents[1234].raw_bytes == std::string("exhibit 1235\n").size());
}

TEST_CASE("200,000 nested tags neither crash nor hang", "[parser][hostile]") {
  std::string filers = "<SUBMISSION>\n<ACCESSION-NUMBER>0000000000-00-000001\n";
  for (int i = 0; i < 200000; ++i) filers += "<FILER><COMPANY-DATA><CIK>7";
  Filing f = Parse(filers, false);
  CHECK(f.parties.size() <= 10000);
  CHECK(HasWarning(f, "parties"));

  std::string html = std::string(kHeader) + "<DOCUMENT>\n<TYPE>8-K\n<FILENAME>a.htm\n<TEXT>\n";
  for (int i = 0; i < 200000; ++i) html += "<div>";
  html += "deep";
  html += "\n</TEXT>\n</DOCUMENT>\n";
  Filing g = Parse(html);
  REQUIRE(g.documents.size() == 1);
  CHECK(g.documents[0].kind == DocumentKind::kHtml);

  std::string xml = "<?xml version=\"1.0\"?>\n";
  for (int i = 0; i < 200000; ++i) xml += "<a>";
  Filing x = Parse(xml);
  CHECK(x.format == Format::kXml);
}

TEST_CASE("uuencoded and binary documents give no text", "[parser]") {
  std::string bytes = std::string(kHeader) +
                      "<DOCUMENT>\n<TYPE>GRAPHIC\n<FILENAME>logo.jpg\n<TEXT>\nbegin 644 logo.jpg\n"
                      "M_]C_X  02D9)1@ ! 0$ 8 !@  #_VP!#  @&!@<&!0@'!P<)\"0@*#!0-#`L+\n`\nend\n"
                      "</TEXT>\n</DOCUMENT>\n"
                      "<DOCUMENT>\n<TYPE>EX-101.SCH\n<FILENAME>x.xsd\n<TEXT>\n<XBRL>\n<?xml version=\"1.0\"?>"
                      "<schema/>\n</XBRL>\n</TEXT>\n</DOCUMENT>\n"
                      "<DOCUMENT>\n<TYPE>EX-101.INS\n<FILENAME>x.xml\n<TEXT>\n<XBRL>\n<?xml version=\"1.0\"?>"
                      "<xbrl><fact>42</fact></xbrl>\n</XBRL>\n</TEXT>\n</DOCUMENT>\n"
                      "<DOCUMENT>\n<TYPE>EX-99\n<TEXT>\nSee the logo.\nbegin 644 chart.gif\n"
                      "M1TE&.#EA$  0 ,0  /___P  (?D$ 0  ! \"P     0 !   \"$(R/J<OM#Z.<M\n`\nend\n"
                      "Thank you.\n</TEXT>\n</DOCUMENT>\n";
  Filing f = Parse(bytes);
  REQUIRE(f.documents.size() == 4);
  CHECK(Kinds(f) == std::vector<DocumentKind>{kBinary, kBinary, kXml, kText});
  CHECK(f.documents[0].text.empty());
  CHECK(Contains(f.documents[2].text, "42"));
  CHECK(Contains(f.documents[3].text, "Thank you."));
  CHECK_FALSE(Contains(f.documents[3].text, "M1TE"));
}

TEST_CASE("document kinds are sniffed from content, type and file name", "[parser]") {
  struct KindRow {
    const char* quirk;
    const char* type;
    const char* filename;
    const char* body;
    DocumentKind kind;
  };
  const KindRow rows[] = {
      {"HTML by tag", "8-K", "", "<HTML><BODY>x</BODY></HTML>", kHtml},
      {"HTML by doctype", "8-K", "", "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\">", kHtml},
      {"HTML by .htm name", "EX-99", "a.htm", "Plain words first", kHtml},
      {"HTML starting with <TABLE>", "EX-99", "", "<TABLE BORDER=0><TR><TD>x</TD></TR></TABLE>", kHtml},
      {"SGML text table is text", "EX-27", "", "<TABLE> <S> <C>\n<CAPTION>x", kText},
      {"iXBRL: XHTML behind <?xml> and comments", "10-Q", "a.htm",
       "<XBRL>\n<?xml version='1.0'?>\n<!-- Workiva -> x -->\n<html xmlns=\"http://www.w3.org/1999/xhtml\">", kHtml},
      {"Form 4 in <XML>", "4", "form4.xml", "<XML>\n<?xml version=\"1.0\"?>\n<ownershipDocument>", kXml},
      {"XML without declaration", "D", "", "<edgarSubmission xmlns=\"http://www.sec.gov/edgar/formd\">", kXml},
      {"plain text with <PAGE>", "10-K", "", "<PAGE>   1\n   ANNUAL REPORT", kText},
      {"<PDF> block", "LETTER", "a.pdf", "<PDF>\nbegin 644 a.pdf\nM", kBinary},
      {"GRAPHIC type", "GRAPHIC", "", "not uuencoded", kBinary},
      {"ZIP, EXCEL, JSON types", "EXCEL", "", "x", kBinary},
      {"XBRL linkbase", "EX-101.LAB", "a_lab.xml", "<XBRL>\n<?xml version=\"1.0\"?>", kBinary},
      {"viewer stylesheet", "XML", "report.css", "body { }", kBinary},
      {"JSON by name", "XML", "MetaLinks.json", "{ }", kBinary},
  };
  for (const KindRow& row : rows) {
    SECTION(row.quirk) {
      std::string bytes = std::string(kHeader) + "<DOCUMENT>\n<TYPE>" + row.type + "\n<FILENAME>" +
                          row.filename + "\n<TEXT>\n" + row.body + "\n</TEXT>\n</DOCUMENT>\n";
      Filing f = Parse(bytes, false);
      REQUIRE(f.documents.size() == 1);
      CHECK(f.documents[0].kind == row.kind);
    }
  }
}
