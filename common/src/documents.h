// Private to fidx_common: how an EDGAR file is laid out, and its
// <DOCUMENT> blocks. Everything here works on the file's bytes in place.

#ifndef FIDX_COMMON_SRC_DOCUMENTS_H_
#define FIDX_COMMON_SRC_DOCUMENTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fidx/filing.h"

namespace fidx {
namespace internal {

// Which header a file starts with, detected from its first bytes.
enum class HeaderForm {
  kNone,          // no header: bare <DOCUMENT>s, or a loose file
  kSec,           // <SEC-DOCUMENT>/<SEC-HEADER>, or a header-only text file
  kIms,           // 1993-95 <IMS-DOCUMENT>/<IMS-HEADER>
  kSubmission,    // .nc <SUBMISSION>
  kIndexHeaders,  // EDGAR -index-headers.html
};

struct Layout {
  HeaderForm header = HeaderForm::kNone;
  // Provisional format: kFullSubmission, kImsSubmission, kDissemination,
  // kHeaderOnly, kBareDocuments, kHtml, kXml, kText or kUnknown.
  Format format = Format::kUnknown;
  bool pem_wrapped = false;
  bool binary = false;  // loose bytes that are not text
  size_t content_begin = 0;  // after BOM, leading blanks and PEM preamble
  // The header region [header_begin, header_end); for kIndexHeaders it is
  // HTML-escaped text (the <PRE> copy) when header_escaped.
  size_t header_begin = 0;
  size_t header_end = 0;
  bool header_escaped = false;
  bool header_truncated = false;  // <SEC-HEADER> without </SEC-HEADER>
  // Where <DOCUMENT> blocks start; npos for loose files.
  size_t documents_begin = std::string_view::npos;
};

// Detects the layout of `bytes` from content only.
Layout DetectLayout(std::string_view bytes);

// Appends every <DOCUMENT> block at or after `from` to filing->documents
// (type, sequence, filename, description, kind, raw_offset, raw_bytes),
// with warnings for missing end tags.
void SplitDocuments(std::string_view bytes, size_t from, Filing* filing);

// Makes the whole of a loose file (from `begin`) one document.
void AddLooseDocument(std::string_view bytes, size_t begin,
                      std::string_view path, Filing* filing);

// The kind of a document body from its <TYPE>, <FILENAME> and first bytes.
DocumentKind SniffKind(std::string_view type, std::string_view filename,
                       std::string_view body);

// The kind of a body from its first bytes alone (and a .htm/.xml file
// name): kHtml, kXml or kText. Used for loose files.
DocumentKind SniffContent(std::string_view filename, std::string_view body);

// The body without an <XBRL> or <XML> wrapper block around it.
std::string_view UnwrapBody(std::string_view body);

// Undoes what a PEM wrapper did to a body: "- " dash-stuffing at line starts
// and lines wrapped at 1023 characters.
std::string UnstuffPem(std::string_view body);

// Reads EDGAR's archive layout: .../data/<CIK>/<18 digits>/<file> or
// .../data/<CIK>/<NNNNNNNNNN-YY-NNNNNN>.txt. Returns false if `path` does
// not follow it.
bool ParseArchivePath(std::string_view path, uint64_t* cik,
                      std::string* accession);

}  // namespace internal
}  // namespace fidx

#endif  // FIDX_COMMON_SRC_DOCUMENTS_H_
