// Clean text (issue 12): markup escaped inside XBRL text blocks, EDGAR's
// XBRL viewer pages, EX-27 tags and index-page boilerplate. Real files from
// tests/data (see tests/data/README.md).

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "fidx/filing.h"
#include "fidx/parser.h"
#include "fidx/text_extract.h"
#include "test_paths.h"

using fidx::Document;
using fidx::DocumentKind;
using fidx::Filing;

namespace {

std::string ReadSource(const std::string& rel) {
  std::ifstream in(std::string(fidx_test::kSourceDir) + "/" + rel, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Filing ParseSource(const std::string& rel) {
  fidx::ParseOptions options;
  return fidx::ParseFiling(ReadSource(rel), options);
}

const Document* ByFilename(const Filing& f, const std::string& name) {
  for (const Document& d : f.documents) {
    if (d.filename == name) return &d;
  }
  return nullptr;
}

bool Contains(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("HTML escaped inside an XBRL text block becomes text, not markup words",
          "[text][xbrl]") {
  Filing f = ParseSource("tests/data/0001193125-25-066253-trimmed.txt");
  const Document* instance = ByFilename(f, "d763599dexfilingfees_htm.xml");
  REQUIRE(instance != nullptr);
  CHECK(instance->kind == DocumentKind::kXml);
  const std::string& text = instance->text;
  CHECK(Contains(text, "(1) Any securities registered hereunder may be sold separately"));
  for (const char* markup : {"<td", "<table", "style=", "cellpadding", "vertical-align",
                             "&lt;", "&#", "&nbsp;"}) {
    INFO(markup);
    CHECK_FALSE(Contains(text, markup));
  }
}

TEST_CASE("a text block's own entities are decoded once, plain text is left alone",
          "[text][xbrl]") {
  // &amp;#8217; in the XML is &#8217; in the block: a right single quote.
  std::string xml =
      "<?xml version=\"1.0\"?><xbrl><us-gaap:PolicyTextBlock>&lt;p style=\"TEXT-INDENT: "
      "0pt\"&gt;The Company&amp;#8217;s policy&lt;/p&gt;</us-gaap:PolicyTextBlock>"
      "<dei:EntityRegistrantName>Ben &amp; Jerry's &lt;Homemade&gt; Inc."
      "</dei:EntityRegistrantName></xbrl>";
  std::string text = fidx::XmlToText(xml, nullptr);
  CHECK(Contains(text, "The Company\u2019s policy"));
  CHECK_FALSE(Contains(text, "TEXT-INDENT"));
  CHECK_FALSE(Contains(text, "x2019"));
  CHECK(Contains(text, "Ben & Jerry's <Homemade> Inc."));
}

TEST_CASE("EDGAR's XBRL viewer pages are listed but not indexed as text", "[text][xbrl]") {
  Filing f = ParseSource("tests/data/0001193125-25-066253-trimmed.txt");
  for (const char* name : {"R1.htm", "R2.htm", "FilingSummary.xml"}) {
    INFO(name);
    const Document* d = ByFilename(f, name);
    REQUIRE(d != nullptr);
    CHECK(d->kind == DocumentKind::kGenerated);
    CHECK(d->text.empty());
  }
  // A loose viewer page from an accession folder, likewise.
  fidx::ParseOptions options;
  options.path = "/m/edgar/data/766704/000119312525066253/R2.htm";
  Filing loose = fidx::ParseFiling("<html><body>Entity Address, City</body></html>", options);
  REQUIRE(loose.documents.size() == 1);
  CHECK(loose.documents[0].kind == DocumentKind::kGenerated);
  CHECK(std::string(fidx::DocumentKindName(DocumentKind::kGenerated)) == "generated");
}

TEST_CASE("an EX-27 schedule's labels stay words without their brackets", "[text]") {
  Filing f = ParseSource("tests/data/0000912057-00-023442-trimmed.txt");
  REQUIRE(f.documents.size() == 5);
  const Document& schedule = f.documents[4];
  REQUIRE(schedule.type == "EX-27");
  CHECK_FALSE(Contains(schedule.text, "<CASH>"));
  CHECK_FALSE(Contains(schedule.text, "<TOTAL-ASSETS>"));
  CHECK(Contains(schedule.text, " TOTAL-ASSETS "));
  CHECK(Contains(schedule.text, "7,007"));
}

TEST_CASE("an index page's <noscript> notice is not text", "[text]") {
  // The shape of EDGAR's -index.htm pages (no copy in the shared corpus).
  std::string html =
      "<html><head><title>EDGAR Filing Index</title></head><body><noscript><div>"
      "JavaScript is disabled in your browser</div></noscript><div id=\"formName\">"
      "Form 8-K - Current report</div></body></html>";
  std::string text = fidx::HtmlToText(html, nullptr);
  CHECK(Contains(text, "Current report"));
  CHECK_FALSE(Contains(text, "JavaScript"));
}
