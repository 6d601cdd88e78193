// Tests for text extraction (common/src/text_extract.cc, encoding.cc):
// one table row per quirk, real filings from the shared corpus, and hostile
// inputs built in memory.

#include "fidx/text_extract.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "skip.h"
#include "test_paths.h"

namespace {

struct Row {
  const char* quirk;
  std::string input;
  std::string expected;
};

std::string Html(const std::string& html) {
  std::vector<std::string> warnings;
  std::string text = fidx::HtmlToText(html, &warnings);
  CHECK(warnings.empty());
  return text;
}

// xmlns:ns0="http://example.com/0" ... as Workiva's <html> tags carry them.
std::string ManyNamespaces(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    s += " xmlns:ns" + std::to_string(i) + "=\"http://example.com/" +
         std::to_string(i) + "\"";
  }
  return s;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Reads a file of the shared corpus; false (with a WARN) when it is absent.
bool ReadCorpusFile(const std::string& relative, std::string* out) {
  std::string path = std::string(fidx_test::kSharedCorpus) + "/" + relative;
  fidx_test::SkipWithoutSharedCorpus();
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    WARN("skipped: " << path << " is not present");
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *out = buffer.str();
  return true;
}

}  // namespace

TEST_CASE("HTML becomes visible text, one quirk per row", "[text]") {
  const Row rows[] = {
      {"entities are decoded", "<p>AT&amp;T &lt;b&gt; &#8217;s &#x2014;</p>",
       "AT&T <b> \u2019s \u2014"},
      {"&nbsp; is a space, runs collapse", "<p>a&nbsp;&nbsp;b &#160; c</p>",
       "a b c"},
      {"script and style are dropped",
       "<style>p{color:red}</style><p>kept</p><script>var x = 1;</script>",
       "kept"},
      {"table cells are separated by a space", "<td>a</td><td>b</td>", "a b"},
      {"paragraphs are separated by a newline", "<p>a</p><p>b</p>", "a\nb"},
      {"rows break lines, cells stay on the row",
       "<table><tr><td>Revenue</td><td>$1</td></tr><tr><td>Cost</td></tr>"
       "</table>",
       "Revenue $1\nCost"},
      {"<br> separates words", "one<br>two<br/>three", "one\ntwo\nthree"},
      {"divs, list items and headings are blocks",
       "<div>a</div><div>b</div><ul><li>c</li><li>d</li></ul><h2>e</h2>f",
       "a\nb\nc\nd\ne\nf"},
      {"inline elements add no space", "<b>Cel</b>lectar <i>Bio</i>sciences",
       "Cellectar Biosciences"},
      {"spans and fonts add no space",
       "<font size=2>Ann</font><span>ual</span> <a href='x'>Report</a>",
       "Annual Report"},
      {"whitespace between inline elements is kept", "<b>a</b> <b>b</b>",
       "a b"},
      {"comments are dropped", "a<!-- hidden -->b", "ab"},
      {"a doctype whose quotes do not pair hides nothing "
       "(0000065873-05-000060)",
       "<!DOCTYPE HTML PUBLIC'-//W3C//DTD HTML 3.2//EN\">\n<body><p>ALLTEL "
       "CORPORATION</p></body>",
       "ALLTEL CORPORATION"},
      {"title is text", "<title>FORM 10-K</title><body>x</body>",
       "FORM 10-K\nx"},
      {"pre keeps its line breaks", "<pre>line 1\n  line 2</pre>",
       "line 1\nline 2"},
      {"&#147; and &#148; mean Windows-1252 curly quotes (old EDGAR HTML)",
       "&#147;Company&#148; &#150; &#128;5",
       "\u201CCompany\u201D \u2013 \u20AC5"},
      {"zero-width spaces separate words (Workiva filings)",
       "&#8220;Code&#8221;&#8203;(as defined)",
       "\u201CCode\u201D (as defined)"},
      {"unknown entities stay as written", "a &bogus; b", "a &bogus; b"},
      {"leading and trailing whitespace go", "  \n<p>  x  </p>\n ", "x"},
      {"empty input gives empty text", "", ""},
  };
  for (const Row& row : rows) {
    INFO(row.quirk);
    CHECK(Html(row.input) == row.expected);
  }
}

TEST_CASE("inline XBRL hidden sections are left out", "[text]") {
  const Row rows[] = {
      {"ix:header with ix:hidden facts",
       "<html xmlns:ix=\"http://www.xbrl.org/2013/inlineXBRL\"><body>"
       "<div style=\"display:none\"><ix:header><ix:hidden>"
       "<ix:nonNumeric name=\"dei:AmendmentFlag\">false</ix:nonNumeric>"
       "</ix:hidden></ix:header></div><p>Apple Inc.</p></body></html>",
       "Apple Inc."},
      {"ix:header even without a hiding div",
       "<html xmlns:ix=\"http://www.xbrl.org/2013/inlineXBRL\"><body>"
       "<ix:header><ix:references>ref</ix:references></ix:header>visible"
       "</body></html>",
       "visible"},
      {"display:none elements, whatever the spacing and case",
       "<html xmlns:ix=\"http://www.xbrl.org/2013/inlineXBRL\"><body>"
       "<span style=\"color:red; DISPLAY : none\">hidden</span>shown"
       "</body></html>",
       "shown"},
      {"tagged facts inside words stay joined",
       "<html xmlns:ix=\"http://www.xbrl.org/2013/inlineXBRL\"><body><p>"
       "Net sales of $<ix:nonFraction name=\"us-gaap:Revenues\">391,035"
       "</ix:nonFraction> million</p></body></html>",
       "Net sales of $391,035 million"},
      {"only the first style attribute counts, as libxml2 drops repeats",
       "<html xmlns:ix=\"http://www.xbrl.org/2013/inlineXBRL\"><body>"
       "<p style=\"color:red\" style=\"display:none\">kept</p></body></html>",
       "kept"},
      {"inline XBRL declared after many other namespaces",
       "<html " + ManyNamespaces(60) +
           " xmlns:ix=\"http://www.xbrl.org/2013/inlineXBRL\"><body>"
           "<div style=\"display:none\">hidden</div>shown</body></html>",
       "shown"},
      {"display:none outside inline XBRL is kept",
       "<p style=\"display:none\">kept</p>", "kept"},
  };
  for (const Row& row : rows) {
    INFO(row.quirk);
    CHECK(Html(row.input) == row.expected);
  }
}

TEST_CASE("HTML bytes are decoded as UTF-8 or Windows-1252", "[text]") {
  const Row rows[] = {
      {"Windows-1252 smart quotes 0x93/0x94 without a charset",
       "<p>\x93quoted\x94 caf\xe9</p>", "\u201Cquoted\u201D caf\u00E9"},
      {"valid UTF-8 without a charset", "<p>caf\xc3\xa9 \xe2\x80\x94</p>",
       "caf\u00E9 \u2014"},
      {"a meta charset cannot re-decode UTF-8 as Latin-1",
       "<meta charset=\"iso-8859-1\"><p>caf\xc3\xa9</p>", "caf\u00E9"},
      {"invalid UTF-8 under a UTF-8 meta charset is Windows-1252",
       "<meta http-equiv=\"Content-Type\" content=\"text/html; "
       "charset=utf-8\"><p>\x93q\x94</p>",
       "\u201Cq\u201D"},
      {"byte-order mark is skipped", "\xEF\xBB\xBF<p>x</p>", "x"},
      {"other declared charsets are decoded by libxml2",
       "<meta charset=\"windows-1251\"><p>\xcf\xf0\xe8</p>",
       "\u041F\u0440\u0438"},
      {"a UTF-16 declaration on a page without NUL bytes is ignored",
       "<?xml version=\"1.0\" encoding=\"UTF-16\"?><html><body><p>"
       "caf\xc3\xa9</p></body></html>",
       "caf\u00E9"},
      {"UTF-16 with a byte-order mark",
       std::string("\xFF\xFE<\0p\0>\0h\0i\0<\0/\0p\0>\0", 20), "hi"},
      {"undefined Windows-1252 bytes become Latin-1 code points",
       "<p>a\x81" "b</p>", "a\u0081b"},
  };
  for (const Row& row : rows) {
    INFO(row.quirk);
    std::string text = Html(row.input);
    CHECK(text == row.expected);
    CHECK(fidx::IsValidUtf8(text));
  }
}

TEST_CASE("NUL bytes and control characters never reach the text", "[text]") {
  std::string html("<p>a\0b\x01\x02 c</p>", 15);
  std::string text = Html(html);
  CHECK(text.find('\0') == std::string::npos);
  CHECK(Contains(text, "c"));
  CHECK(fidx::IsValidUtf8(text));
}

TEST_CASE("XML element texts are separated by whitespace", "[text]") {
  const Row rows[] = {
      {"elements", "<a><b>one</b><c>two</c></a>", "one\ntwo"},
      {"leading whitespace before <?xml (EDGAR <XML> blocks)",
       "\n  <?xml version=\"1.0\"?>\n<r><v>x</v></r>", "x"},
      {"the <XML> wrapper itself",
       "<XML>\n<?xml version=\"1.0\"?><r>x</r>\n</XML>",
       "x"},
      {"entities and CDATA", "<r>A&amp;B <![CDATA[<raw>]]> &#169;</r>",
       "A&B <raw> \u00A9"},
      {"declared ISO-8859-1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
       "<r>caf\xe9</r>", "caf\u00E9"},
      {"undeclared Windows-1252", "<r>\x93q\x94</r>", "\u201Cq\u201D"},
      {"XHTML goes through the HTML path (inline elements)",
       "<?xml version=\"1.0\"?><html><body><p><b>Cel</b>lectar</p></body>"
       "</html>",
       "Cellectar"},
  };
  for (const Row& row : rows) {
    INFO(row.quirk);
    std::vector<std::string> warnings;
    CHECK(fidx::XmlToText(row.input, &warnings) == row.expected);
    CHECK(warnings.empty());
  }
}

TEST_CASE("malformed XML falls back to stripping tags, with a warning",
          "[text]") {
  std::vector<std::string> warnings;
  std::string text = fidx::XmlToText(
      "<?xml version=\"1.0\"?><r><a>one</b><c>two &amp; three</c>", &warnings);
  CHECK(text == "one\ntwo & three");
  REQUIRE(warnings.size() == 1);
  CHECK(Contains(warnings[0], "XML not well-formed"));
}

TEST_CASE("plain text loses <PAGE> markers, PEM armour and controls",
          "[text]") {
  const Row rows[] = {
      {"<PAGE> lines, with or without a page number",
       "page one\n<PAGE>\npage two\n<PAGE> 3\nend\n",
       "page one\npage two\nend\n"},
      {"PEM armour with its base64 continuation lines",
       "-----BEGIN PRIVACY-ENHANCED MESSAGE-----\n"
       "Proc-Type: 2001,MIC-CLEAR\n"
       "Originator-Name: webmaster@www.sec.gov\n"
       "Originator-Key-Asymmetric:\n"
       " MFgwCgYEVQgBAQICAf8DSgAwRwJAW2sNKK9AVtBzYZmr6aGjlWyK3XmZv3dTINen\n"
       "MIC-Info: RSA-MD5,RSA,\n"
       " AHvEmyGtmYo6vCyKDvUZ9LEGV9LelNUTzPqkaUTF0Gj6AYIMCfwgumg2kGuIWhSE\n"
       "\n"
       "body text\n"
       "-----END PRIVACY-ENHANCED MESSAGE-----\n",
       "\nbody text\n"},
      {"ASCII table tags are blanked, columns kept",
       "<TABLE>\n<S>    <C>\nCash  12\n</TABLE>\n",
       "       \n          \nCash  12\n        \n"},
      {"Windows-1252 becomes UTF-8", "\x93quoted\x94\n",
       "\u201Cquoted\u201D\n"},
      {"NUL and other C0 controls go, tab stays",
       std::string("a\0b\x01\tc\n", 7), "ab\tc\n"},
      {"CRLF and bare CR become newlines, form feed too", "a\r\nb\rc\fd",
       "a\nb\nc\nd"},
      {"whitespace runs are kept", "a    b\n\n\nc", "a    b\n\n\nc"},
  };
  for (const Row& row : rows) {
    INFO(row.quirk);
    std::vector<std::string> warnings;
    CHECK(fidx::PlainText(row.input, &warnings) == row.expected);
  }
}

TEST_CASE("uuencoded blocks are removed from plain text", "[text]") {
  // A full line: 'M' (45 bytes) and 60 characters of the 0x20-0x60 alphabet.
  const std::string data_line = "M" + std::string("1TE&.#EA`0`!`(````*P") +
                                "1TE&.#EA`0`!`(````*P" + "1TE&.#EA`0`!`(````*P";
  REQUIRE(data_line.size() == 61);
  SECTION("begin ... end") {
    std::string text = "before\nbegin 644 ex99.pdf\n" + data_line + "\n" +
                       data_line + "\n#1TE&\n`\nend\nafter\n";
    CHECK(fidx::StripUuencoded(&text) == 1);
    CHECK(text == "before\nafter\n");
  }
  SECTION("a four-digit mode and CRLF line ends") {
    std::string text = "x\r\nbegin 0644 g.jpg\r\n" + data_line + "\r\nend\r\ny";
    CHECK(fidx::StripUuencoded(&text) == 1);
    CHECK(text == "x\r\ny");
  }
  SECTION("a file cut before its end line") {
    std::string text = "x\nbegin 644 a.zip\n" + data_line + "\n" + data_line;
    CHECK(fidx::StripUuencoded(&text) == 1);
    CHECK(text == "x\n");
  }
  SECTION("a long run of data lines without a begin line") {
    std::string run;
    for (int i = 0; i < 40; ++i) run += data_line + "\n";
    std::string text = "x\n" + run + "y\n";
    CHECK(fidx::StripUuencoded(&text) == 1);
    CHECK(text == "x\ny\n");
  }
  SECTION("a few data-like lines and prose are kept") {
    std::string text = "begin the year\n" + data_line + "\nMore text.\n";
    std::string before = text;
    CHECK(fidx::StripUuencoded(&text) == 0);
    CHECK(text == before);
  }
  SECTION("PlainText strips them too") {
    std::string text = "a\nbegin 644 x.gif\n" + data_line + "\nend\nb\n";
    CHECK(fidx::PlainText(text, nullptr) == "a\nb\n");
  }
}

TEST_CASE("ToUtf8 passes UTF-8 through and decodes Windows-1252", "[text]") {
  const Row rows[] = {
      {"ASCII", "plain", "plain"},
      {"valid UTF-8 is unchanged", "\xe2\x80\x9cq\xe2\x80\x9d \xf0\x9f\x98\x80",
       "\xe2\x80\x9cq\xe2\x80\x9d \xf0\x9f\x98\x80"},
      {"smart quotes and euro", "\x93q\x94 \x80", "\u201Cq\u201D \u20AC"},
      {"Latin-1 letters", "caf\xe9 \xfc", "caf\u00E9 \u00FC"},
      {"undefined 0x81 0x8D 0x8F 0x90 0x9D", "\x81\x8D\x8F\x90\x9D",
       "\u0081\u008D\u008F\u0090\u009D"},
      {"overlong UTF-8 is not UTF-8", "\xc0\xaf", "\u00C0\u00AF"},
      {"UTF-16 surrogates are not UTF-8", "\xed\xa0\x80",
       "\u00ED\u00A0\u20AC"},
  };
  for (const Row& row : rows) {
    INFO(row.quirk);
    bool was_valid = false;
    CHECK(fidx::ToUtf8(row.input, &was_valid) == row.expected);
    CHECK(was_valid == (row.input == row.expected));
  }
}

TEST_CASE("IsValidUtf8 checks every position of long input", "[text]") {
  std::string s(1000, 'a');
  CHECK(fidx::IsValidUtf8(s));
  for (size_t at : {0, 7, 8, 9, 500, 998, 999}) {
    std::string bad = s;
    bad[at] = '\xff';
    INFO("bad byte at " << at);
    CHECK_FALSE(fidx::IsValidUtf8(bad));
  }
  CHECK_FALSE(fidx::IsValidUtf8(s + "\xe2\x80"));  // truncated at the end
  CHECK(fidx::IsValidUtf8(s + "\xf4\x8f\xbf\xbf"));  // U+10FFFF
  CHECK_FALSE(fidx::IsValidUtf8(s + "\xf4\x90\x80\x80"));  // beyond it
}

TEST_CASE("a real inline-XBRL 10-K yields its prose and no hidden facts",
          "[text][corpus]") {
  std::string html;
  if (!ReadCorpusFile("dgunning__edgartools/data/html/Apple.10-K.html", &html))
    return;
  std::string text = Html(html);
  CHECK(fidx::IsValidUtf8(text));
  CHECK(Contains(text,
                 "iPhone\u00AE is the Company\u2019s line of smartphones"));
  CHECK(Contains(text, "Apple Inc.\n(Exact name of Registrant as specified in "
                       "its charter)"));
  CHECK(Contains(text, "Commission File Number: 001-36743"));
  // ix:header holds hidden dei facts and us-gaap references.
  CHECK_FALSE(Contains(text, "fasb.org/us-gaap/2024#"));
  CHECK_FALSE(Contains(text, "MarketableSecuritiesCurrent"));
  CHECK(text.size() < html.size() / 5);
}

TEST_CASE("a real Form 4 yields its values", "[text][corpus]") {
  std::string xml;
  if (!ReadCorpusFile("dgunning__edgartools/data/ownership/374WaterForm4.xml",
                      &xml))
    return;
  std::vector<std::string> warnings;
  std::string text = fidx::XmlToText(xml, &warnings);
  CHECK(warnings.empty());
  CHECK(Contains(text, "\n374Water Inc.\nSCWO\n"));
  CHECK(Contains(text, "Melkote Rajesh Ramaswamy"));
  CHECK(Contains(text, "Chief Technology Officer"));
  CHECK(Contains(text, "Vesting commencement date is March 31, 2025."));
  CHECK_FALSE(Contains(text, "<"));
}

TEST_CASE("200,000 nested elements do not crash and keep the text",
          "[text][hostile]") {
  std::string html;
  for (int i = 0; i < 200000; ++i) html += "<div>";
  html += "deep text";
  for (int i = 0; i < 200000; ++i) html += "</div>";
  std::vector<std::string> warnings;
  CHECK(fidx::HtmlToText(html, &warnings) == "deep text");
  REQUIRE(warnings.size() == 1);
  CHECK(Contains(warnings[0], "nested"));

  std::string xml = "<?xml version=\"1.0\"?>";
  for (int i = 0; i < 200000; ++i) xml += "<a>";
  xml += "x";
  for (int i = 0; i < 200000; ++i) xml += "</a>";
  CHECK(fidx::XmlToText(xml, &warnings) == "x");
}

TEST_CASE("an XML entity flood (billion laughs) is never expanded",
          "[text][hostile]") {
  std::string xml =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    std::string prev = i == 1 ? "lol" : "lol" + std::to_string(i - 1);
    xml += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) xml += "&" + prev + ";";
    xml += "\">\n";
  }
  xml += "]>\n<lolz>before &lol9; after</lolz>";
  std::vector<std::string> warnings;
  std::string text = fidx::XmlToText(xml, &warnings);
  CHECK(text.size() < 100);
  CHECK(Contains(text, "before"));
  CHECK(Contains(text, "after"));
  CHECK_FALSE(Contains(text, "lollol"));
}

TEST_CASE("external entities are never read", "[text][hostile]") {
  std::string xml =
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM "
      "\"file:///etc/passwd\">]><r>a &x; b</r>";
  std::vector<std::string> warnings;
  std::string text = fidx::XmlToText(xml, &warnings);
  CHECK_FALSE(Contains(text, "root:"));
  std::string html = "<!DOCTYPE html SYSTEM \"file:///etc/passwd\"><p>a</p>";
  CHECK_FALSE(Contains(fidx::HtmlToText(html, &warnings), "root:"));
}

TEST_CASE("a 30 MB single line of text comes out whole", "[text][hostile]") {
  std::string html = "<p>";
  html.reserve(30u << 20);
  while (html.size() < (30u << 20)) html += "word ";
  std::string text = Html(html);
  CHECK(text.size() + 8 >= html.size() - 3);
  CHECK(text.substr(0, 10) == "word word ");
}

TEST_CASE("tags with huge attribute lists are not parsed quadratically",
          "[text][hostile]") {
  std::string attributes;
  for (int i = 0; i < 100000; ++i)
    attributes += " a" + std::to_string(i) + "=1";
  std::vector<std::string> warnings;
  // UTF-8 and Windows-1252 HTML reach libxml2 without those attributes.
  CHECK(fidx::HtmlToText("<p" + attributes + ">text</p>", &warnings) ==
        "text");
  CHECK(warnings.empty());
  // Other charsets go to libxml2 as they are, so the tags are stripped.
  std::string cyrillic = "<meta charset=\"windows-1251\"><p" + attributes +
                         ">text</p>";
  CHECK(fidx::HtmlToText(cyrillic, &warnings) == "text");
  CHECK(warnings.size() == 1);
  CHECK(fidx::XmlToText("<r" + attributes + ">text</r>", &warnings) == "text");
  CHECK(warnings.size() == 2);
}

TEST_CASE("floods of parse errors are cut short", "[text][hostile]") {
  std::string html = "<p>x";
  for (int i = 0; i < 2000; ++i) html += "<span>";
  for (int i = 0; i < 1000000; ++i) html += "</div>";
  std::vector<std::string> warnings;
  CHECK(fidx::HtmlToText(html, &warnings) == "x");
  CHECK(warnings.size() == 1);
}

TEST_CASE("random bytes give valid UTF-8 and no crash", "[text][hostile]") {
  std::mt19937 rng(20240501);
  for (int round = 0; round < 20; ++round) {
    std::string bytes(1 << 16, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    if (round % 2) bytes = "<html><body><p>" + bytes;  // some as HTML
    std::vector<std::string> warnings;
    INFO("round " << round);
    CHECK(fidx::IsValidUtf8(fidx::HtmlToText(bytes, &warnings)));
    CHECK(fidx::IsValidUtf8(fidx::XmlToText(bytes, &warnings)));
    CHECK(fidx::IsValidUtf8(fidx::PlainText(bytes, &warnings)));
  }
}

TEST_CASE("extraction may run on several threads at once", "[text]") {
  // The indexer parses filings in parallel; libxml2 state is per call.
  const std::vector<std::string> inputs = {
      "<html><body><p>\x93one\x94</p><td>a</td><td>b</td></body></html>",
      "<?xml version=\"1.0\"?><r><a>two</a><b>x</b></r>",
      "<meta charset=\"windows-1251\"><p>\xcf\xf0\xe8</p>",
  };
  std::vector<std::string> expected;
  for (size_t i = 0; i < inputs.size(); ++i) {
    expected.push_back(i == 1 ? fidx::XmlToText(inputs[i], nullptr)
                              : fidx::HtmlToText(inputs[i], nullptr));
  }
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) {
        size_t i = (round + t) % inputs.size();
        std::string text = i == 1 ? fidx::XmlToText(inputs[i], nullptr)
                                  : fidx::HtmlToText(inputs[i], nullptr);
        if (text != expected[i]) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(mismatches == std::vector<int>(4, 0));
}

TEST_CASE("a real 1994 text filing loses its PEM armour and <PAGE> lines",
          "[text][corpus]") {
  std::string raw;
  if (!ReadCorpusFile("mwaldstein__edgarWebR/tests/testdata/"
                      "0000037996-94-000005.txt",
                      &raw))
    return;
  std::string text = fidx::PlainText(raw, nullptr);
  CHECK(fidx::IsValidUtf8(text));
  CHECK_FALSE(Contains(text, "PRIVACY-ENHANCED MESSAGE"));
  CHECK_FALSE(Contains(text, "MIC-Info:"));
  CHECK_FALSE(Contains(text, "BTHR5FHUEkjXXrqU6QeM5Q=="));
  CHECK_FALSE(Contains(text, "\n<PAGE>"));
  CHECK(Contains(text, "FORD MOTOR CO"));
  CHECK(Contains(text, "financing operations, insurance operations, savings "
                       "and loan\noperations"));
}

TEST_CASE("a real submission's uuencoded parts are stripped",
          "[text][corpus]") {
  std::string text;
  if (!ReadCorpusFile("dgunning__edgartools/data/sgml/"
                      "0000943374-24-000509.txt",
                      &text))
    return;
  CHECK(fidx::StripUuencoded(&text) == 2);
  CHECK_FALSE(Contains(text, "begin 644 Financial_Report.xlsx"));
  CHECK_FALSE(Contains(text, "begin 644 0000943374-24-000509-xbrl.zip"));
  CHECK(Contains(text, "<FILENAME>Financial_Report.xlsx"));
}
