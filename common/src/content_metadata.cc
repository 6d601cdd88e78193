#include "content_metadata.h"

#include <libxml/xmlreader.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <vector>

#include "documents.h"
#include "entities.h"
#include "fidx/parser.h"
#include "fidx/schema.h"
#include "header.h"
#include "libxml_input.h"

namespace fidx {
namespace internal {
namespace {

constexpr size_t kNpos = std::string_view::npos;
// XML forms state what they are near the top; their signature comes last,
// but the forms that carry one are small. Bounds the work on an N-PORT.
constexpr size_t kMaxXmlBytes = 4u << 20;
constexpr size_t kMaxXmlLeaves = 20000;
constexpr size_t kMaxFactBytes = 512;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string CollapseBlanks(std::string_view s) {
  std::string out;
  bool blank = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      blank = !out.empty();
      continue;
    }
    if (blank) out.push_back(' ');
    blank = false;
    out.push_back(c);
  }
  return out;
}

// ---- XML forms ----

struct Leaf {
  std::string parent;  // local name of the enclosing element
  std::string name;    // local name
  std::string text;
};

std::vector<Leaf> XmlLeaves(std::string_view xml) {
  std::vector<Leaf> leaves;
  InitLibxml();
  xml = xml.substr(0, kMaxXmlBytes);
  xmlTextReaderPtr reader =
      xmlReaderForMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (reader == nullptr) return leaves;
  std::vector<std::string> stack;
  while (leaves.size() < kMaxXmlLeaves && xmlTextReaderRead(reader) == 1) {
    int type = xmlTextReaderNodeType(reader);
    if (type == XML_READER_TYPE_ELEMENT) {
      const xmlChar* local = xmlTextReaderConstLocalName(reader);
      if (!xmlTextReaderIsEmptyElement(reader)) {
        stack.emplace_back(local ? reinterpret_cast<const char*>(local) : "");
      }
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
      if (!stack.empty()) stack.pop_back();
    } else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) &&
               !stack.empty()) {
      const xmlChar* value = xmlTextReaderConstValue(reader);
      std::string text = CollapseBlanks(value ? reinterpret_cast<const char*>(value) : "");
      if (text.empty()) continue;
      leaves.push_back({stack.size() > 1 ? stack[stack.size() - 2] : "", stack.back(),
                        CleanValue(text)});
    }
  }
  xmlFreeTextReader(reader);
  return leaves;
}

// The first leaf named `name` (and, if given, inside `parent`).
const Leaf* FindLeaf(const std::vector<Leaf>& leaves, std::string_view name,
                     std::string_view parent = {}) {
  for (const Leaf& l : leaves) {
    if (l.name == name && (parent.empty() || l.parent == parent)) return &l;
  }
  return nullptr;
}

Party* FindParty(Filing* f, uint64_t cik) {
  for (Party& p : f->parties) {
    if (cik != 0 && p.cik == cik) return &p;
  }
  return nullptr;
}

bool IsScheduleOrSale(const std::string& form) {
  return form.rfind("SC 13", 0) == 0 || form.rfind("SCHEDULE 13", 0) == 0 ||
         form == "144" || form == "144/A";
}

void AddParty(Filing* f, const char* role, uint64_t cik, const std::string& name) {
  if (cik == 0 && name.empty()) return;
  if (Party* p = FindParty(f, cik)) {
    if (p->name.empty()) p->name = name;
    return;
  }
  Party p;
  p.role = role;
  p.cik = cik;
  p.name = name;
  f->parties.push_back(std::move(p));
}

// Reporting owners of Forms 3/4/5: each <reportingOwnerId> holds one
// rptOwnerCik and rptOwnerName (aapl-4-20201013.xml).
void AddOwners(const std::vector<Leaf>& leaves, Filing* f) {
  uint64_t cik = 0;
  std::string name;
  auto flush = [&] {
    AddParty(f, "REPORTING-OWNER", cik, name);
    cik = 0;
    name.clear();
  };
  for (const Leaf& l : leaves) {
    if (l.name == "rptOwnerCik") {
      if (cik != 0 || !name.empty()) flush();
      cik = schema::ParseCik(l.text);
    } else if (l.name == "rptOwnerName") {
      name = l.text;
    }
  }
  if (cik != 0 || !name.empty()) flush();
}

uint64_t FilerCik(const std::vector<Leaf>& leaves) {
  static const std::pair<const char*, const char*> kCiks[] = {
      {"cik", "primaryIssuer"},      // Form D
      {"cik", "filerCredentials"},   // 13F, 144, 13D/G
      {"cik", "credentials"},        // 13F
      {"cik", "issuerCredentials"},  // N-PORT
      {"filerCik", ""},              // Form C
      {"regCik", ""},                // N-PORT
  };
  for (const auto& [name, parent] : kCiks) {
    if (const Leaf* l = FindLeaf(leaves, name, parent)) return schema::ParseCik(l->text);
  }
  return 0;
}

std::string FilerName(const std::vector<Leaf>& leaves) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"entityName", "primaryIssuer"},  // Form D
      {"name", "filingManager"},        // 13F
      {"nameOfIssuer", ""},             // Form C
      {"regName", ""},                  // N-PORT
      {"reportingPersonName", ""},      // 13D/G
  };
  for (const auto& [name, parent] : kNames) {
    if (const Leaf* l = FindLeaf(leaves, name, parent)) return l->text;
  }
  return "";
}

void InferFromXml(std::string_view body, Filing* f) {
  std::vector<Leaf> leaves = XmlLeaves(body);
  if (leaves.empty()) return;
  if (f->form.empty()) {
    const Leaf* l = FindLeaf(leaves, "submissionType");
    if (!l) l = FindLeaf(leaves, "documentType", "ownershipDocument");
    if (l) {
      f->form = schema::CanonicalForm(l->text);
      f->sources["form"] = "xml:" + l->name;
    }
  }
  if (f->period.empty()) {
    for (const char* name : {"periodOfReport", "reportCalendarOrQuarter", "repPdDate"}) {
      const Leaf* l = FindLeaf(leaves, name);
      if (!l || (f->period = ParseLooseDate(l->text)).empty()) continue;
      f->sources["period"] = std::string("xml:") + name;
      break;
    }
  }
  // The signature is dated the day the form is filed, or a day or two
  // before: the closest an XML form comes to stating its filing date.
  if (f->filed.empty()) {
    const Leaf* l = FindLeaf(leaves, "signatureDate");
    if (!l) l = FindLeaf(leaves, "date", "signatureDetails");  // Schedule 13D/G
    if (l) f->filed = ParseLooseDate(l->text);
    if (!f->filed.empty()) f->sources["filed"] = "xml:" + l->parent + "/" + l->name;
  }
  size_t before = f->parties.size();
  // The issuer's name beside its CIK: Form D also names the issuer in
  // each signature (signatureBlock/signature/issuerName).
  const Leaf* issuer_cik = FindLeaf(leaves, "issuerCik");
  const Leaf* issuer_name = issuer_cik ? FindLeaf(leaves, "issuerName", issuer_cik->parent) : nullptr;
  bool has_issuer = issuer_cik != nullptr;
  if (has_issuer) {
    AddParty(f, IsScheduleOrSale(f->form) ? "SUBJECT COMPANY" : "ISSUER",
             issuer_cik ? schema::ParseCik(issuer_cik->text) : 0,
             issuer_name ? issuer_name->text : "");
  }
  AddOwners(leaves, f);
  AddParty(f, has_issuer ? "FILED BY" : "FILER", FilerCik(leaves), FilerName(leaves));
  if (f->parties.size() > before) {
    f->sources["cik"] = "xml";
    f->sources["company"] = "xml";
  }
}

// ---- XBRL cover facts ----

// The text between `begin` and the end tag of element `qname`, as a value.
// Elements of the same name may nest: a 10-K's DocumentPeriodEndDate holds
// its CurrentFiscalYearEndDate (<ix:nonNumeric ...>September 28
// </ix:nonNumeric>, 2024</ix:nonNumeric>).
std::string ElementText(std::string_view s, size_t begin, std::string_view qname) {
  std::string open = "<" + std::string(qname);
  std::string close = "</" + std::string(qname);
  size_t end = kNpos;
  int depth = 1;
  for (size_t at = begin; at < s.size() && at - begin <= 64 * 1024;) {
    size_t lt = s.find('<', at);
    if (lt == kNpos) break;
    if (s.compare(lt, close.size(), close) == 0) {
      if (--depth == 0) {
        end = lt;
        break;
      }
    } else if (s.compare(lt, open.size(), open) == 0 && lt + open.size() < s.size() &&
               (s[lt + open.size()] == '>' ||
                std::isspace(static_cast<unsigned char>(s[lt + open.size()])))) {
      size_t gt = s.find('>', lt);
      if (gt != kNpos && s[gt - 1] != '/') ++depth;
    }
    at = lt + 1;
  }
  if (end == kNpos || end - begin > 64 * 1024) return "";
  std::string_view inner = s.substr(begin, end - begin);
  std::string text;
  size_t i = 0;
  while (i < inner.size() && text.size() < kMaxFactBytes) {
    char c = inner[i];
    if (c == '<') {
      size_t gt = inner.find('>', i);
      if (gt == kNpos) break;
      text.push_back(' ');
      i = gt + 1;
    } else if (c == '&') {
      size_t used = DecodeEntity(inner.substr(i, 12), &text);
      if (used == 0) text.push_back('&');
      i += used ? used : 1;
    } else {
      text.push_back(c);
      ++i;
    }
  }
  return CleanValue(CollapseBlanks(text));
}

// A cover fact `dei:<local>`, inline (ix:nonNumeric name="dei:...") or as
// an element of an instance document (<dei:DocumentType ...>).
std::string DeiFact(std::string_view s, std::string_view local) {
  std::string needle = "dei:" + std::string(local);
  size_t at = 0;
  while ((at = s.find(needle, at)) != kNpos) {
    size_t after = at + needle.size();
    char next = after < s.size() ? s[after] : '\0';
    char before = at > 0 ? s[at - 1] : '\0';
    if (before == '<' && (next == '>' || std::isspace(static_cast<unsigned char>(next)))) {
      size_t gt = s.find('>', after);
      if (gt != kNpos && s[gt - 1] != '/') return ElementText(s, gt + 1, needle);
    } else if ((before == '"' || before == '\'') && next == before) {
      size_t lt = s.rfind('<', at);
      size_t gt = s.find('>', after);
      if (lt != kNpos && gt != kNpos && s[gt - 1] != '/') {
        size_t name_end = lt + 1;
        while (name_end < at && !std::isspace(static_cast<unsigned char>(s[name_end]))) {
          ++name_end;
        }
        std::string qname(s.substr(lt + 1, name_end - lt - 1));
        if (qname.rfind("ix:", 0) == 0) return ElementText(s, gt + 1, qname);
      }
    }
    at = after;
  }
  return "";
}

void InferFromXbrl(std::string_view body, Filing* f) {
  if (body.find("dei:") == kNpos) return;
  if (f->form.empty()) {
    std::string type = schema::CanonicalForm(DeiFact(body, "DocumentType"));
    if (!type.empty()) {
      // dei:DocumentType names the form without "/A"; the flag says it.
      std::string flag = DeiFact(body, "AmendmentFlag");
      bool amended = flag == "true" || flag == "TRUE" || flag == "True";
      if (amended && type.size() > 2 && type.compare(type.size() - 2, 2, "/A") != 0) {
        type += "/A";
      }
      f->form = type;
      f->sources["form"] = amended ? "xbrl:dei:DocumentType+AmendmentFlag"
                                   : "xbrl:dei:DocumentType";
    }
  }
  if (f->period.empty()) {
    f->period = ParseLooseDate(DeiFact(body, "DocumentPeriodEndDate"));
    if (!f->period.empty()) f->sources["period"] = "xbrl:dei:DocumentPeriodEndDate";
  }
  uint64_t cik = schema::ParseCik(DeiFact(body, "EntityCentralIndexKey"));
  std::string name = DeiFact(body, "EntityRegistrantName");
  if (f->parties.empty() && (cik != 0 || !name.empty())) {
    AddParty(f, "FILER", cik, name);
    if (cik) f->sources["cik"] = "xbrl:dei:EntityCentralIndexKey";
    if (!name.empty()) f->sources["company"] = "xbrl:dei:EntityRegistrantName";
    std::string file_number = DeiFact(body, "EntityFileNumber");
    if (!file_number.empty()) f->parties.back().file_numbers.push_back(file_number);
  }
}

// An EDGAR document type that is the submission's form, not an exhibit or
// an attachment: the primary document's <TYPE> is the form (edgar.md 3.4).
bool IsFormType(const std::string& type) {
  if (type.empty() || type.rfind("EX-", 0) == 0) return false;
  for (const char* other : {"GRAPHIC", "XML", "ZIP", "PDF", "EXCEL", "JSON", "XSD", "CSS", "JS"}) {
    if (type == other) return false;
  }
  return type.find("XBRL") == std::string::npos;
}

int MonthNumber(std::string_view word) {
  static const char* const kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
  if (word.size() < 3) return 0;
  for (int m = 0; m < 12; ++m) {
    bool same = true;
    for (int i = 0; i < 3; ++i) {
      same = same && std::tolower(static_cast<unsigned char>(word[i])) == kMonths[m][i];
    }
    if (same) return m + 1;
  }
  return 0;
}

std::string FromParts(int year, int month, int day) {
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1 || day > 31) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", year, month, day);
  return NormalizeDate(buf);
}

// Splits "December 31, 2020" / "31 December 2020" / "12/31/2020" into words
// of letters and runs of digits.
std::vector<std::string> DateWords(std::string_view s) {
  std::vector<std::string> words;
  std::string cur;
  int kind = 0;  // 1 letters, 2 digits
  for (char c : s) {
    int k = std::isalpha(static_cast<unsigned char>(c)) ? 1 : IsDigit(c) ? 2 : 0;
    if (k != kind && !cur.empty()) words.push_back(std::move(cur)), cur.clear();
    kind = k;
    if (k) cur.push_back(c);
  }
  if (!cur.empty()) words.push_back(cur);
  return words;
}

}  // namespace

std::string ParseLooseDate(std::string_view s) {
  std::string iso = NormalizeDate(s);
  if (!iso.empty()) return iso;
  std::vector<std::string> w = DateWords(s.substr(0, 64));
  if (w.size() != 3) return "";
  auto num = [](const std::string& x) { return IsDigit(x[0]) ? std::atoi(x.c_str()) : -1; };
  if (num(w[0]) < 0 && num(w[1]) >= 0 && num(w[2]) >= 0) {  // December 31, 2020
    return FromParts(num(w[2]), MonthNumber(w[0]), num(w[1]));
  }
  if (num(w[0]) >= 0 && num(w[1]) < 0 && num(w[2]) >= 0) {  // 31 December 2020
    return FromParts(num(w[2]), MonthNumber(w[1]), num(w[0]));
  }
  if (num(w[0]) >= 0 && num(w[1]) >= 0 && num(w[2]) >= 0) {
    if (w[0].size() == 4) return FromParts(num(w[0]), num(w[1]), num(w[2]));
    return FromParts(num(w[2]), num(w[0]), num(w[1]));  // 12/31/2020, 12-31-2020
  }
  return "";
}

std::string InlineXbrlFact(std::string_view html, std::string_view name) {
  if (name.rfind("dei:", 0) == 0) return DeiFact(html, name.substr(4));
  return "";
}

void InferFromContent(std::string_view bytes, Filing* f) {
  if (f->documents.empty()) return;
  const Document& primary = f->documents.front();
  if (f->form.empty() && IsFormType(schema::CanonicalDocType(primary.type))) {
    f->form = schema::CanonicalForm(primary.type);
    f->sources["form"] = "document-type";
  }
  if (primary.raw_offset > bytes.size()) return;
  std::string_view body = UnwrapBody(bytes.substr(primary.raw_offset, primary.raw_bytes));
  if (primary.kind == DocumentKind::kXml) InferFromXml(body, f);
  if (primary.kind == DocumentKind::kXml || primary.kind == DocumentKind::kHtml) {
    InferFromXbrl(body, f);
  }
}

namespace {

size_t FindNoCase(std::string_view s, std::string_view needle, size_t limit) {
  s = s.substr(0, limit);
  auto it = std::search(s.begin(), s.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == b;
  });
  return it == s.end() ? kNpos : static_cast<size_t>(it - s.begin());
}

std::string_view LineAt(std::string_view s, size_t begin) {
  size_t end = s.find('\n', begin);
  return s.substr(begin, end == kNpos ? s.size() - begin : end - begin);
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.front())))) s.remove_prefix(1);
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) || s.back() == ',')) {
    s.remove_suffix(1);
  }
  return s;
}

// The registrant's name: the line above "(Exact name of registrant as
// specified in its charter)" on a cover page.
std::string CoverRegistrant(std::string_view text, size_t limit) {
  size_t at = FindNoCase(text, "exact name of registrant", limit);
  if (at == kNpos) return "";
  size_t line_begin = text.rfind('\n', at);
  line_begin = line_begin == kNpos ? 0 : line_begin + 1;
  std::string_view before = Trimmed(text.substr(line_begin, at - line_begin));
  if (!before.empty() && before != "(") return "";  // the name is not on a line of its own
  while (line_begin > 0) {
    size_t prev = text.rfind('\n', line_begin - 2);
    prev = prev == kNpos ? 0 : prev + 1;
    std::string_view line = Trimmed(text.substr(prev, line_begin - 1 - prev));
    line_begin = prev;
    // "(Formerly known as Evergreen International Corp.)" under the name.
    if (line.empty() || line.front() == '(') continue;
    bool plausible = line.size() <= 150 && line.find(':') == kNpos &&
                     std::any_of(line.begin(), line.end(),
                                 [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
    return plausible ? CleanValue(CollapseBlanks(line)) : "";
  }
  return "";
}

// "Date of Report (Date of earliest event reported): August 19, 2010".
// What follows a label on its line, without "(...)" and ':' before it.
std::string_view AfterLabel(std::string_view rest) {
  while (true) {
    rest = Trimmed(rest);
    if (!rest.empty() && rest.front() == ':') {
      rest.remove_prefix(1);
    } else if (!rest.empty() && rest.front() == '(') {
      size_t close = rest.find(')');
      rest = close == kNpos ? std::string_view() : rest.substr(close + 1);
    } else {
      return rest;
    }
  }
}

// The first date of `s`: its first three words ("May 7, 2003 (May 5)").
std::string FirstDate(std::string_view s) {
  std::vector<std::string> w = DateWords(s.substr(0, 64));
  if (w.size() < 3) return "";
  return ParseLooseDate(w[0] + " " + w[1] + " " + w[2]);
}

// "Date of Report (Date of earliest event reported): August 19, 2010", the
// colon or the parenthesis left out, or the date on one of the next lines.
std::string CoverReportDate(std::string_view text, size_t limit) {
  size_t at = FindNoCase(text, "date of report", limit);
  if (at == kNpos) return "";
  std::string_view line = LineAt(text, at);
  std::string_view rest = AfterLabel(line.substr(std::string_view("date of report").size()));
  size_t next = at + line.size() + 1;
  for (int more = 0; rest.empty() && more < 2 && next < text.size(); ++more) {
    std::string_view following = LineAt(text, next);
    rest = AfterLabel(following);
    next += following.size() + 1;
  }
  std::string date = FirstDate(rest);
  if (!date.empty()) return date;
  // The date above its caption, a common layout ("January 31, 2017" on one
  // line, "Date of Report (Date of earliest event reported)" under it):
  // the line before, when it is short and the caption starts its line.
  size_t start = at;
  while (start > 0 && text[start - 1] != '\n') --start;
  if (!Trimmed(text.substr(start, at - start)).empty()) return "";
  size_t end = start;
  for (int more = 0; more < 2 && end > 0; ++more) {
    size_t begin = end - 1;
    while (begin > 0 && text[begin - 1] != '\n') --begin;
    std::string_view above = Trimmed(text.substr(begin, end - 1 - begin));
    if (!above.empty()) return above.size() <= 40 ? FirstDate(above) : "";
    end = begin;
  }
  return "";
}

}  // namespace

void InferFromCoverPage(Filing* f) {
  if (f->documents.empty()) return;
  const std::string& text = f->documents.front().text;
  constexpr size_t kCoverBytes = 8192;  // the cover page is the start
  if (f->PrimaryParty() == nullptr) {
    std::string name = CoverRegistrant(text, kCoverBytes);
    if (!name.empty()) {
      if (f->parties.empty()) {
        f->parties.emplace_back();
        f->parties.back().role = "FILER";
      }
      f->parties.front().name = name;
      f->sources["company"] = "cover-page";
    }
  }
  if (f->period.empty()) {
    f->period = CoverReportDate(text, kCoverBytes);
    if (!f->period.empty()) f->sources["period"] = "cover-page";
  }
}

void InferFromFileName(std::string_view path, Filing* f) {
  size_t slash = path.find_last_of('/');
  std::string_view base = slash == kNpos ? path : path.substr(slash + 1);
  size_t at = kNpos;
  for (size_t i = 0; i + 20 <= base.size(); ++i) {
    if ((i > 0 && IsDigit(base[i - 1])) || (i + 20 < base.size() && IsDigit(base[i + 20]))) {
      continue;
    }
    if (!NormalizeAccession(base.substr(i, 20)).empty() && base[i + 10] == '-') {
      at = i;
      break;
    }
  }
  if (at == kNpos) return;
  if (f->accession.empty()) {
    f->accession = NormalizeAccession(base.substr(at, 20));
    f->sources["accession"] = "file-name";
    // A name made of the accession is a downloader's, not EDGAR's name for
    // the document: no sec.gov link may be built from it (the filing's
    // .txt is linked instead).
    if (f->documents.size() == 1 && f->documents[0].filename == base) {
      f->documents[0].filename.clear();
    }
  }
  // edgar-crawler names its downloads <CIK>_<FORM>_<YEAR>_<accession>.htm
  // (nlpaueb__edgar-crawler/tests/fixtures/RAW_FILINGS/8-K/).
  size_t digits = 0;
  while (digits < base.size() && IsDigit(base[digits])) ++digits;
  if (digits == 0 || digits > 10 || digits >= at || base[digits] != '_') return;
  uint64_t cik = schema::ParseCik(base.substr(0, digits));
  if (cik == 0 || !f->Ciks().empty()) return;
  if (f->parties.empty()) {
    AddParty(f, "FILER", cik, "");
  } else {
    f->parties.front().cik = cik;  // a name from the content, without its CIK
  }
  f->sources["cik"] = "file-name";
}

}  // namespace internal
}  // namespace fidx
