// Layout detection, PEM handling and <DOCUMENT> splitting (see documents.h).
//
// The hot path is a handful of memmem() searches over the file, each made
// at most once per byte (Finder below), so splitting runs at memory speed
// and stays linear on hostile input (thousands of documents with no end
// tags).

#include "documents.h"
#include "fidx/strings.h"

#include <string.h>  // memmem (GNU)

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <initializer_list>
#include <vector>

#include "fidx/parser.h"
#include "header.h"

namespace fidx {
namespace internal {
namespace {

constexpr size_t kNpos = std::string_view::npos;
constexpr size_t kMaxDocuments = 100000;
constexpr size_t kMaxMetaBytes = 64 * 1024;  // <TYPE>..<TEXT> of one document
constexpr size_t kSniffBytes = 4096;
constexpr std::string_view kPemBegin = "-----BEGIN PRIVACY-ENHANCED MESSAGE-----";

size_t SkipBlanks(std::string_view s, size_t i) {
  while (i < s.size() && IsAsciiSpace(s[i])) ++i;
  return i;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

bool EqualsNoCase(std::string_view s, std::string_view other) {
  return s.size() == other.size() && StartsWithNoCase(s, other);
}

bool StartsWithAny(std::string_view s, std::initializer_list<std::string_view> prefixes) {
  for (std::string_view p : prefixes) {
    if (StartsWith(s, p)) return true;
  }
  return false;
}

bool ContainsNoCase(std::string_view s, std::string_view needle) {
  if (needle.empty() || s.size() < needle.size()) return false;
  for (size_t i = 0; i + needle.size() <= s.size(); ++i) {
    if (StartsWithNoCase(s.substr(i), needle)) return true;
  }
  return false;
}

size_t Find(std::string_view hay, std::string_view needle, size_t from) {
  if (from >= hay.size()) return kNpos;
  const void* p = memmem(hay.data() + from, hay.size() - from, needle.data(), needle.size());
  return p ? static_cast<size_t>(static_cast<const char*>(p) - hay.data()) : kNpos;
}

// Finds successive occurrences of one needle for non-decreasing start
// offsets, remembering the last answer so no byte is searched twice.
class Finder {
 public:
  Finder(std::string_view hay, std::string_view needle) : hay_(hay), needle_(needle) {}

  size_t Next(size_t from) {
    if (searched_ && from >= searched_from_ && (found_ == kNpos || found_ >= from)) {
      return found_;
    }
    searched_ = true;
    searched_from_ = from;
    found_ = Find(hay_, needle_, from);
    return found_;
  }

 private:
  std::string_view hay_;
  std::string_view needle_;
  bool searched_ = false;
  size_t searched_from_ = 0;
  size_t found_ = kNpos;
};

// Skips the PEM preamble (Proc-Type, Originator-*, MIC-Info and their
// continuation lines) that ends at the first blank line
// (mwaldstein__edgarWebR/tests/testdata/0000037996-94-000005.txt).
size_t SkipPemPreamble(std::string_view s, size_t begin) {
  size_t i = s.find('\n', begin);
  while (i != kNpos && i + 1 < s.size()) {
    size_t start = i + 1;
    size_t end = s.find('\n', start);
    std::string_view line = s.substr(start, (end == kNpos ? s.size() : end) - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) return end == kNpos ? s.size() : end + 1;
    if (line.front() == '<') return start;  // no blank line before the SGML
    i = end;
  }
  return s.size();
}

// Bytes that no text file has: NUL, and many other control characters.
bool LooksBinary(std::string_view s) {
  s = s.substr(0, 8192);
  size_t controls = 0;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == 0) return true;
    if ((c < 0x20 && !IsAsciiSpace(ch) && c != 0x1b && c != 0x1a) || c == 0x7f) ++controls;
  }
  return controls * 20 > s.size();
}

void SubmissionLayout(std::string_view bytes, std::string_view open_tag,
                      std::string_view close_tag, Layout* l) {
  size_t pos = l->content_begin;
  size_t first_doc = Find(bytes, "<DOCUMENT>", pos);
  size_t limit = first_doc == kNpos ? bytes.size() : first_doc;
  std::string_view head = bytes.substr(0, limit);
  size_t close = close_tag.empty() ? kNpos : Find(head, close_tag, pos);
  l->header_begin = pos;
  l->header_end = close == kNpos ? limit : close;
  l->header_truncated = close == kNpos && !open_tag.empty() && Find(head, open_tag, pos) != kNpos;
  l->documents_begin = close == kNpos ? limit : close + close_tag.size();
  if (first_doc == kNpos) l->format = Format::kHeaderOnly;
}

// EDGAR's -index-headers.html carries the header twice: tagged, inside an
// HTML comment, and as text with &lt; escapes inside <PRE>. The <PRE> copy
// is preferred: it also has the SIC titles
// (dgunning__edgartools/data/headers/0001971857-23-000246-index-headers.html).
void IndexHeadersLayout(std::string_view bytes, Layout* l) {
  l->header = HeaderForm::kIndexHeaders;
  l->format = Format::kHeaderOnly;
  size_t pre = Find(bytes, "&lt;SEC-HEADER&gt;", l->content_begin);
  if (pre != kNpos) {
    size_t end = Find(bytes, "&lt;/SEC-HEADER&gt;", pre);
    if (end == kNpos) end = Find(bytes, "</PRE>", pre);
    l->header_begin = pre;
    l->header_end = end == kNpos ? bytes.size() : end;
    l->header_escaped = true;
    return;
  }
  size_t raw = Find(bytes, "<SEC-HEADER>", l->content_begin);
  size_t end = Find(bytes, "</SEC-HEADER>", raw);
  l->header_begin = raw;
  l->header_end = end == kNpos ? bytes.size() : end;
}

bool IsIndexHeaders(std::string_view rest) {
  if (!StartsWithNoCase(rest, "<html") && !StartsWithNoCase(rest, "<!doctype")) return false;
  std::string_view top = rest.substr(0, kSniffBytes);
  return Find(top, "<SEC-HEADER>", 0) != kNpos || Find(top, "&lt;SEC-HEADER&gt;", 0) != kNpos;
}

std::string_view Extension(std::string_view filename) {
  size_t dot = filename.rfind('.');
  if (dot == kNpos || filename.size() - dot > 6) return "";
  return filename.substr(dot + 1);
}

bool ExtensionIs(std::string_view ext, std::initializer_list<std::string_view> list) {
  for (std::string_view e : list) {
    if (ext.size() == e.size() && StartsWithNoCase(ext, e)) return true;
  }
  return false;
}

// "begin 644 name": a uuencoded body (edgar.md 3.5).
bool IsUuencodeBegin(std::string_view s) {
  if (!StartsWith(s, "begin ")) return false;
  size_t i = 6, digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '7') ++i, ++digits;
  return digits >= 3 && digits <= 4 && i < s.size() && s[i] == ' ';
}

// EDGAR's XBRL viewer pages, <TYPE>XML in a submission and files of the
// accession folder: R1.htm, R12.htm ... and FilingSummary.xml
// (dgunning__edgartools/tests/cassettes-extracted/0001193125-25-066253.txt).
bool IsXbrlViewerFile(std::string_view filename) {
  if (EqualsNoCase(filename, "FilingSummary.xml")) return true;
  if (filename.size() < 6 || (filename[0] != 'R' && filename[0] != 'r')) return false;
  size_t i = 1;
  while (i < filename.size() && filename[i] >= '0' && filename[i] <= '9') ++i;
  return i > 1 && (EqualsNoCase(filename.substr(i), ".htm") ||
                   EqualsNoCase(filename.substr(i), ".html") ||
                   EqualsNoCase(filename.substr(i), ".xml"));
}

// EDGAR's filing index page, <accession>-index.htm: a list of the filing's
// documents, each of which is indexed from its own file.
bool IsIndexPage(std::string_view filename) {
  for (std::string_view end : {"-index.htm", "-index.html"}) {
    if (filename.size() > end.size() &&
        EqualsNoCase(filename.substr(filename.size() - end.size()), end)) {
      return true;
    }
  }
  return false;
}

bool IsBinaryType(std::string_view type) {
  std::string t;
  for (char c : type) t.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  for (std::string_view b : {"GRAPHIC", "ZIP", "EXCEL", "JSON", "XLSX", "PDF"}) {
    if (t == b) return true;
  }
  // XBRL schema and linkbases are machine data; the instance (EX-101.INS)
  // holds the facts and stays text.
  if (StartsWith(t, "EX-101.")) {
    std::string_view suffix = std::string_view(t).substr(7);
    for (std::string_view b : {"SCH", "CAL", "DEF", "LAB", "PRE"}) {
      if (suffix == b) return true;
    }
  }
  return false;
}

}  // namespace

Layout DetectLayout(std::string_view bytes) {
  Layout l;
  size_t pos = StartsWith(bytes, "\xEF\xBB\xBF") ? 3 : 0;
  pos = SkipBlanks(bytes, pos);
  if (StartsWith(bytes.substr(pos), kPemBegin)) {
    l.pem_wrapped = true;
    pos = SkipBlanks(bytes, SkipPemPreamble(bytes, pos));
  }
  l.content_begin = pos;
  std::string_view rest = bytes.substr(pos);
  if (rest.empty()) return l;
  if (StartsWithAny(rest, {"<SEC-DOCUMENT>", "<SEC-HEADER>", "<ACCEPTANCE-DATETIME>",
                           "<PRIVATE-TO-PUBLIC>", "ACCESSION NUMBER:"})) {
    l.header = HeaderForm::kSec;
    l.format = Format::kFullSubmission;
    SubmissionLayout(bytes, "<SEC-HEADER>", "</SEC-HEADER>", &l);
  } else if (StartsWithAny(rest, {"<IMS-DOCUMENT>", "<IMS-HEADER>"})) {
    l.header = HeaderForm::kIms;
    l.format = Format::kImsSubmission;
    SubmissionLayout(bytes, "<IMS-HEADER>", "</IMS-HEADER>", &l);
  } else if (StartsWith(rest, "<SUBMISSION>")) {
    l.header = HeaderForm::kSubmission;
    l.format = Format::kDissemination;
    SubmissionLayout(bytes, "", "", &l);
  } else if (StartsWith(rest, "<DOCUMENT>")) {
    l.format = Format::kBareDocuments;
    l.documents_begin = pos;
  } else if (IsIndexHeaders(rest)) {
    IndexHeadersLayout(bytes, &l);
  } else if (LooksBinary(rest)) {
    l.binary = true;
  } else {
    DocumentKind kind = SniffContent("", rest);
    l.format = kind == DocumentKind::kHtml ? Format::kHtml
               : kind == DocumentKind::kXml ? Format::kXml
                                            : Format::kText;
  }
  return l;
}

namespace {

// "<SEQUENCE>12": 0 unless a plausible number.
int SequenceNumber(std::string_view value) {
  size_t i = SkipBlanks(value, 0);
  int n = 0;
  for (size_t digits = 0; i < value.size() && value[i] >= '0' && value[i] <= '9'; ++i) {
    if (++digits > 7) return 0;
    n = n * 10 + (value[i] - '0');
  }
  return n;
}

// Reads <TYPE>, <SEQUENCE>, <FILENAME>, <DESCRIPTION> ... up to <TEXT>.
// Returns the offset of the body (after <TEXT> and its line end), or npos
// if there is no <TEXT>; *stop is then where the tags ended.
size_t ReadDocumentTags(std::string_view bytes, size_t from, size_t limit,
                        Document* doc, size_t* stop) {
  size_t i = from;
  while (true) {
    i = SkipBlanks(bytes.substr(0, limit), i);
    *stop = i;
    if (i >= limit || i - from > kMaxMetaBytes || bytes[i] != '<') return kNpos;
    size_t tag_end = TagEnd(bytes, i);
    if (tag_end == kNpos || tag_end > limit) return kNpos;
    std::string_view name = bytes.substr(i + 1, tag_end - i - 2);
    if (name == "TEXT") {
      // The body starts on the next line; .nc files may end lines with CR.
      if (tag_end < limit && bytes[tag_end] == '\r') ++tag_end;
      if (tag_end < limit && bytes[tag_end] == '\n') ++tag_end;
      return tag_end;
    }
    size_t end = tag_end;
    while (end < limit && bytes[end] != '\n' && bytes[end] != '\r' &&
           !(bytes[end] == '<' && TagEnd(bytes, end) != kNpos)) {
      ++end;
    }
    std::string_view value = bytes.substr(tag_end, end - tag_end);
    if (name == "TYPE") doc->type = CleanValue(value);
    else if (name == "SEQUENCE") doc->sequence = SequenceNumber(value);
    else if (name == "FILENAME") doc->filename = CleanValue(value);
    else if (name == "DESCRIPTION") doc->description = CleanValue(value);
    i = end;
  }
}

// "</DOCUMENT>" right after "</TEXT>", as nearly always: found without a
// search of its own. npos if it is not there.
size_t DocumentEndAfterText(std::string_view bytes, size_t text_end, size_t limit) {
  size_t i = SkipBlanks(bytes.substr(0, limit), text_end + std::string_view("</TEXT>").size());
  return StartsWith(bytes.substr(i, limit - i), "</DOCUMENT>") ? i : kNpos;
}

std::string Label(const Document& doc, size_t index) {
  std::string s = "document " + std::to_string(doc.sequence ? doc.sequence : static_cast<int>(index + 1));
  if (!doc.type.empty()) s += " (" + doc.type + ")";
  return s;
}

}  // namespace

void SplitDocuments(std::string_view bytes, size_t from, Filing* filing) {
  Finder open(bytes, "<DOCUMENT>");
  Finder text_close(bytes, "</TEXT>");
  Finder doc_close(bytes, "</DOCUMENT>");
  size_t pos = from;
  for (size_t d = open.Next(pos); d != kNpos; d = open.Next(pos)) {
    if (filing->documents.size() >= kMaxDocuments) {
      filing->warnings.push_back("more than " + std::to_string(kMaxDocuments) +
                                 " documents; the rest ignored");
      return;
    }
    size_t tags = d + std::string_view("<DOCUMENT>").size();
    size_t next = open.Next(tags);
    size_t limit = next == kNpos ? bytes.size() : next;
    Document doc;
    size_t stop = 0;
    size_t body = ReadDocumentTags(bytes, tags, limit, &doc, &stop);
    std::string label = Label(doc, filing->documents.size());
    if (body == kNpos) {
      filing->warnings.push_back(label + ": no <TEXT>");
      body = stop;
    }
    // Truncated files lose </TEXT> and </DOCUMENT>: the body then runs to
    // whichever comes first of </DOCUMENT>, the next <DOCUMENT>, the end.
    size_t body_end = text_close.Next(body);
    bool has_text_end = body_end != kNpos && body_end < limit;
    size_t doc_end = has_text_end ? DocumentEndAfterText(bytes, body_end, limit) : kNpos;
    if (doc_end == kNpos) doc_end = doc_close.Next(has_text_end ? body_end : body);
    bool has_doc_end = doc_end != kNpos && doc_end < limit;
    if (!has_text_end) {
      body_end = has_doc_end ? doc_end : limit;
      filing->warnings.push_back(label + ": no </TEXT> (truncated?)");
    } else if (!has_doc_end) {
      filing->warnings.push_back(label + ": no </DOCUMENT> (truncated?)");
    }
    pos = has_doc_end ? doc_end + std::string_view("</DOCUMENT>").size() : limit;
    std::string_view raw = bytes.substr(body, body_end - body);
    doc.raw_offset = body;
    doc.raw_bytes = raw.size();
    doc.kind = SniffKind(doc.type, doc.filename, raw);
    filing->documents.push_back(std::move(doc));
  }
}

void AddLooseDocument(std::string_view bytes, size_t begin, std::string_view path,
                      Filing* filing) {
  Document doc;
  size_t slash = path.find_last_of('/');
  doc.filename = CleanValue(slash == kNpos ? path : path.substr(slash + 1));
  doc.raw_offset = begin;
  doc.raw_bytes = bytes.size() - begin;
  doc.kind = IsXbrlViewerFile(doc.filename) || IsIndexPage(doc.filename)
                 ? DocumentKind::kGenerated
                 : SniffContent(doc.filename, bytes.substr(begin));
  filing->documents.push_back(std::move(doc));
}

DocumentKind SniffKind(std::string_view type, std::string_view filename,
                       std::string_view body) {
  std::string_view start = body.substr(SkipBlanks(body, 0), 64);
  // <PDF> wraps a uuencoded PDF (dgunning__edgartools/tests/
  // cassettes-extracted/0000000000-24-003505.txt).
  if (StartsWithNoCase(start, "<PDF>") || IsUuencodeBegin(start)) return DocumentKind::kBinary;
  if (IsBinaryType(type)) return DocumentKind::kBinary;
  if (IsXbrlViewerFile(filename)) return DocumentKind::kGenerated;
  // EDGAR adds its viewer's report.css and Show.js as <TYPE>XML documents
  // (0001493152-25-001317.nc): code, not filing text.
  if (ExtensionIs(Extension(filename), {"jpg", "jpeg", "gif", "png", "pdf", "zip", "xlsx",
                                        "xls", "json", "xsd", "css", "js"})) {
    return DocumentKind::kBinary;
  }
  return SniffContent(filename, UnwrapBody(body));
}

namespace {

// Skips the XML declaration, comments, processing instructions and DOCTYPE
// to the root element, and tells whether it is <html>: inline XBRL is XHTML
// behind "<?xml ...?>" and vendor comments
// (dgunning__edgartools/tests/cassettes-extracted/0001045810-26-000024.txt).
bool XmlRootIsHtml(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    i = SkipBlanks(s, i);
    if (i >= s.size() || s[i] != '<') return false;
    std::string_view t = s.substr(i);
    if (StartsWith(t, "<!--")) {
      size_t end = s.find("-->", i);
      if (end == kNpos) return false;
      i = end + 3;
      continue;
    }
    if (StartsWith(t, "<?") || StartsWith(t, "<!")) {
      size_t end = s.find('>', i);
      if (end == kNpos) return false;
      i = end + 1;
      continue;
    }
    return StartsWithNoCase(t, "<html");
  }
  return false;
}

// Old plain-text filings mark tables with SGML <TABLE>, <CAPTION>, <S> and
// <C> (nlpaueb__edgar-crawler .../8-K/1002135_8K_1999_0000914760-99-000090.txt).
bool HasSgmlTableMarks(std::string_view s) {
  return Find(s, "<S>", 0) != kNpos || Find(s, "<C>", 0) != kNpos ||
         Find(s, "<CAPTION>", 0) != kNpos;
}

}  // namespace

DocumentKind SniffContent(std::string_view filename, std::string_view body) {
  size_t i = StartsWith(body, "\xEF\xBB\xBF") ? 3 : 0;
  std::string_view s = body.substr(SkipBlanks(body, i), kSniffBytes);
  std::string_view ext = Extension(filename);
  if (StartsWithNoCase(s, "<?xml")) {
    return XmlRootIsHtml(s) ? DocumentKind::kHtml : DocumentKind::kXml;
  }
  for (std::string_view tag : {"<!doctype html", "<html", "<head", "<body", "<title", "<meta"}) {
    if (StartsWithNoCase(s, tag)) return DocumentKind::kHtml;
  }
  if (ExtensionIs(ext, {"htm", "html"})) return DocumentKind::kHtml;
  for (std::string_view tag : {"<table", "<div", "<p>", "<p ", "<font", "<center", "<br"}) {
    if (StartsWithNoCase(s, tag) && !HasSgmlTableMarks(s)) return DocumentKind::kHtml;
  }
  if (StartsWith(s, "<") && s.size() > 1 && std::isalpha(static_cast<unsigned char>(s[1]))) {
    if (ExtensionIs(ext, {"xml"}) || Find(s.substr(0, 512), "xmlns", 0) != kNpos ||
        StartsWithAny(s, {"<ownershipDocument", "<edgarSubmission", "<informationTable"})) {
      return DocumentKind::kXml;
    }
    if (ContainsNoCase(s.substr(0, 1024), "<html")) return DocumentKind::kHtml;
  }
  return DocumentKind::kText;
}

std::string_view UnwrapBody(std::string_view body) {
  size_t i = SkipBlanks(body, 0);
  std::string_view close;
  if (StartsWithNoCase(body.substr(i), "<XBRL>")) {
    close = "</XBRL>";
  } else if (StartsWithNoCase(body.substr(i), "<XML>")) {
    close = "</XML>";
  } else {
    return body;
  }
  std::string_view inner = body.substr(i + close.size() - 1);
  size_t j = inner.size();
  while (j > 0 && IsAsciiSpace(inner[j - 1])) --j;
  if (j >= close.size() && StartsWithNoCase(inner.substr(j - close.size()), close)) {
    inner = inner.substr(0, j - close.size());
  }
  return inner;
}

std::string UnstuffPem(std::string_view body) {
  // RFC 1421 prefixes "- " to lines starting with '-', and EDGAR's PEM
  // copies wrap lines at 1023 characters, so a continuation starting with
  // '-' gets the prefix too (john-friedman__secsgml/sgml/tab-privacy.txt,
  // lines 95-96: "FONT-" / "- -FAMILY").
  constexpr size_t kWrap = 1023;
  std::string out;
  out.reserve(body.size());
  size_t i = 0;
  while (i < body.size()) {
    size_t end = body.find('\n', i);
    bool last = end == kNpos;
    if (last) end = body.size();
    std::string_view line = body.substr(i, end - i);
    if (StartsWith(line, "- ")) line.remove_prefix(2);
    bool has_cr = !line.empty() && line.back() == '\r';
    // The wrap counts the line as it was before stuffing: 1025 bytes with
    // the "- " prefix (tab-privacy.txt line 96).
    bool wrapped = !last && line.size() - has_cr == kWrap;
    if (wrapped && has_cr) line.remove_suffix(1);
    out.append(line);
    if (!last && !wrapped) out.push_back('\n');
    i = end + 1;
  }
  return out;
}

bool ParseArchivePath(std::string_view path, uint64_t* cik, std::string* accession) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t slash = path.find('/', i);
    if (slash == kNpos) slash = path.size();
    if (slash > i) parts.push_back(path.substr(i, slash - i));
    i = slash + 1;
  }
  bool found = false;
  for (size_t k = 0; k + 2 < parts.size(); ++k) {
    if (parts[k] != "data") continue;
    std::string_view cik_part = parts[k + 1];
    if (cik_part.empty() || cik_part.size() > 10 ||
        !std::all_of(cik_part.begin(), cik_part.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    std::string acc;
    if (k + 3 < parts.size() && parts[k + 2].size() == 18) {
      acc = NormalizeAccession(parts[k + 2]);  // .../<CIK>/<18 digits>/<file>
    } else if (k + 3 == parts.size()) {
      std::string_view file = parts[k + 2];     // .../<CIK>/<accession>.txt
      acc = file.size() > 20 && file[20] == '.' ? NormalizeAccession(file.substr(0, 20)) : "";
    }
    if (acc.empty()) continue;
    *cik = std::strtoull(std::string(cik_part).c_str(), nullptr, 10);
    *accession = acc;
    found = true;
  }
  return found;
}

}  // namespace internal
}  // namespace fidx
