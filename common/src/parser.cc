// ParseFiling: layout detection, header, documents and text extraction tied
// together. The grammar lives in header.cc and documents.cc.

#include "fidx/parser.h"
#include "fidx/strings.h"

#include <cctype>

#include "content_metadata.h"
#include "documents.h"
#include "entities.h"
#include "fidx/text_extract.h"
#include "header.h"

namespace fidx {
namespace {

using internal::HeaderForm;
using internal::Layout;

bool ParseHeaderRegion(std::string_view bytes, const Layout& layout, Filing* filing) {
  if (layout.header == HeaderForm::kNone) return false;
  if (layout.header_truncated) {
    filing->warnings.push_back(layout.header == HeaderForm::kIms
                                   ? "truncated: no </IMS-HEADER>"
                                   : "truncated: no </SEC-HEADER>");
  }
  std::string_view region =
      bytes.substr(layout.header_begin, layout.header_end - layout.header_begin);
  bool found = layout.header_escaped
                   ? internal::ParseHeaderFields(internal::UnescapeHtml(region), filing)
                   : internal::ParseHeaderFields(region, filing);
  if (filing->accession.empty()) filing->warnings.push_back("header has no accession number");
  return found;
}

Format FinalFormat(const Layout& layout, const Filing& filing) {
  if (layout.header != HeaderForm::kNone && filing.documents.empty()) {
    return Format::kHeaderOnly;
  }
  return layout.format;
}

// Loose documents and bare <DOCUMENT> files say nothing of their filing;
// EDGAR's archive path does (corpus/edgar/data/1000180/000095012310078896/).
void ApplyArchivePath(std::string_view path, Filing* filing) {
  uint64_t cik = 0;
  std::string accession;
  if (path.empty() || !filing->accession.empty() ||
      !internal::ParseArchivePath(path, &cik, &accession)) {
    return;
  }
  filing->accession = accession;
  filing->sources["accession"] = "edgar-path";
  if (cik == 0 || !filing->Ciks().empty()) return;
  if (filing->parties.empty()) {
    Party p;
    p.role = "FILER";
    filing->parties.push_back(std::move(p));
  }
  filing->parties.front().cik = cik;
  filing->sources["cik"] = "edgar-path";
}

// Notes "sec-header" as the source of every field a header gave.
void NoteHeaderSources(Filing* filing) {
  auto note = [filing](const char* field, bool known) {
    if (known) filing->sources.emplace(field, "sec-header");
  };
  note("accession", !filing->accession.empty());
  note("form", !filing->form.empty());
  note("filed", !filing->filed.empty());
  note("period", !filing->period.empty());
  note("cik", !filing->Ciks().empty());
  note("company", filing->PrimaryParty() != nullptr);
}

// EX-27 financial data schedules (1997-2001) label each value with a tag:
// "<TOTAL-ASSETS>      7,007". The labels are worth finding, the brackets
// are not worth showing in a snippet: they become spaces, so columns stay
// aligned (dgunning__edgartools/tests/cassettes-extracted/
// 0000912057-00-023442.txt).
void UntagDataSchedule(std::string* text) {
  std::string& s = *text;
  size_t line = 0;
  while (line < s.size()) {
    size_t i = line;
    while (i < s.size() && s[i] == ' ') ++i;
    if (i < s.size() && s[i] == '<') {
      size_t j = i + 1;
      while (j < s.size() && (std::isupper(static_cast<unsigned char>(s[j])) ||
                              std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '-' ||
                              s[j] == '&' || s[j] == '/')) {
        ++j;
      }
      if (j > i + 1 && j < s.size() && s[j] == '>') s[i] = s[j] = ' ';
    }
    size_t nl = s.find('\n', line);
    line = nl == std::string::npos ? s.size() : nl + 1;
  }
}

std::string DocumentLabel(const Document& doc, size_t index) {
  std::string s = "document ";
  s += std::to_string(doc.sequence ? doc.sequence : static_cast<int>(index + 1));
  if (!doc.type.empty()) s += " (" + doc.type + ")";
  return s;
}

void ExtractDocumentText(std::string_view bytes, const ParseOptions& options,
                         size_t index, Filing* filing) {
  Document& doc = filing->documents[index];
  if (doc.kind == DocumentKind::kBinary || doc.kind == DocumentKind::kGenerated) return;
  std::string_view body = internal::UnwrapBody(bytes.substr(doc.raw_offset, doc.raw_bytes));
  std::string unstuffed;
  if (filing->pem_wrapped) {
    unstuffed = internal::UnstuffPem(body);
    body = unstuffed;
  }
  std::vector<std::string> warnings;
  if (body.size() > options.max_document_bytes) {
    warnings.push_back("body of " + std::to_string(body.size()) + " bytes cut to " +
                       std::to_string(options.max_document_bytes));
    body = body.substr(0, options.max_document_bytes);
  }
  switch (doc.kind) {
    case DocumentKind::kHtml: doc.text = HtmlToText(body, &warnings); break;
    case DocumentKind::kXml: doc.text = XmlToText(body, &warnings); break;
    default:
      doc.text = PlainText(body, &warnings);
      // Old text filings embed uuencoded exhibits mid-document. PlainText
      // strips them too, but only on LF lines: a block with bare-CR line
      // ends is seen here, after PlainText has turned CR into LF.
      StripUuencoded(&doc.text);
      if (doc.type.rfind("EX-27", 0) == 0) UntagDataSchedule(&doc.text);
      break;
  }
  for (const std::string& w : warnings) {
    filing->warnings.push_back(DocumentLabel(doc, index) + ": " + w);
  }
}

}  // namespace

Filing ParseFiling(std::string_view bytes, const ParseOptions& options) {
  Filing filing;
  Layout layout = internal::DetectLayout(bytes);
  filing.pem_wrapped = layout.pem_wrapped;
  if (layout.content_begin >= bytes.size()) {
    filing.warnings.push_back(bytes.empty() ? "empty file" : "no content (blank file)");
    return filing;
  }
  if (layout.binary) {
    filing.warnings.push_back("binary content, not an EDGAR filing");
    return filing;
  }
  ParseHeaderRegion(bytes, layout, &filing);
  if (layout.documents_begin != std::string_view::npos) {
    internal::SplitDocuments(bytes, layout.documents_begin, &filing);
  } else if (layout.header == HeaderForm::kNone) {
    internal::AddLooseDocument(bytes, layout.content_begin, options.path, &filing);
  }
  filing.format = FinalFormat(layout, filing);
  if (layout.header == HeaderForm::kNone) {
    internal::InferFromContent(bytes, &filing);
  } else {
    NoteHeaderSources(&filing);
  }
  ApplyArchivePath(options.path, &filing);
  internal::InferFromFileName(options.path, &filing);
  if (options.extract_text) {
    for (size_t i = 0; i < filing.documents.size(); ++i) {
      ExtractDocumentText(bytes, options, i, &filing);
    }
    if (layout.header == HeaderForm::kNone) internal::InferFromCoverPage(&filing);
  }
  return filing;
}

bool ParseHeader(std::string_view bytes, Filing* filing) {
  Layout layout = internal::DetectLayout(bytes);
  filing->pem_wrapped = layout.pem_wrapped;
  if (layout.header == HeaderForm::kNone) return false;
  filing->format = layout.format;
  return ParseHeaderRegion(bytes, layout, filing);
}

std::string NormalizeAccession(std::string_view s) {
  s = TrimAsciiSpace(s);
  std::string digits;
  if (s.size() == 18 && IsAsciiDigits(s)) {
    digits = std::string(s);
  } else if (s.size() == 20 && s[10] == '-' && s[13] == '-' && IsAsciiDigits(s.substr(0, 10)) &&
             IsAsciiDigits(s.substr(11, 2)) && IsAsciiDigits(s.substr(14, 6))) {
    digits = std::string(s.substr(0, 10)) + std::string(s.substr(11, 2)) +
             std::string(s.substr(14, 6));
  } else {
    return "";
  }
  return digits.substr(0, 10) + "-" + digits.substr(10, 2) + "-" + digits.substr(12, 6);
}

std::string NormalizeDate(std::string_view s) {
  s = TrimAsciiSpace(s);
  std::string digits;
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {  // already YYYY-MM-DD
    digits = std::string(s.substr(0, 4)) + std::string(s.substr(5, 2)) +
             std::string(s.substr(8, 2));
    if (s.size() > 10 && std::isdigit(static_cast<unsigned char>(s[10]))) return "";
  } else {
    size_t n = 0;
    while (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n]))) ++n;
    if (n < 8 || n != s.size()) return "";  // "YYYYMMDD" plus more digits only
    digits = std::string(s.substr(0, 8));
  }
  if (!IsAsciiDigits(digits)) return "";
  int year = std::stoi(digits.substr(0, 4));
  int month = std::stoi(digits.substr(4, 2));
  int day = std::stoi(digits.substr(6, 2));
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1 || day > 31) return "";
  return digits.substr(0, 4) + "-" + digits.substr(4, 2) + "-" + digits.substr(6, 2);
}

namespace internal {

std::string UnescapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    size_t amp = s.find('&', i);
    if (amp == s.npos) amp = s.size();
    out.append(s.data() + i, amp - i);
    if (amp == s.size()) break;
    size_t used = DecodeHeaderEntity(s.substr(amp, 12), &out);
    if (used == 0) {
      out.push_back('&');
      used = 1;
    }
    i = amp + used;
  }
  return out;
}

std::string NormalizeDateTime(std::string_view s) {
  s = TrimAsciiSpace(s);
  if (s.size() < 14 || !IsAsciiDigits(s.substr(0, 14))) return "";
  std::string date = NormalizeDate(s.substr(0, 8));
  if (date.empty()) return "";
  int hh = (s[8] - '0') * 10 + (s[9] - '0');
  int mm = (s[10] - '0') * 10 + (s[11] - '0');
  int ss = (s[12] - '0') * 10 + (s[13] - '0');
  if (hh > 23 || mm > 59 || ss > 60) return "";
  std::string out = date;
  out.push_back('T');
  out.append(s.substr(8, 2)).push_back(':');
  out.append(s.substr(10, 2)).push_back(':');
  out.append(s.substr(12, 2));
  return out;
}

}  // namespace internal

}  // namespace fidx
