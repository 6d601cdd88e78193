// The Filing model: what fidx understands of one EDGAR file.
//
// A Filing is produced from a file's bytes by ParseFiling() (parser.h) and
// consumed by the indexer and by `fidx inspect`. It is a plain value type:
// no I/O, no Xapian, no libxml2.

#ifndef FIDX_FILING_H_
#define FIDX_FILING_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace fidx {

// How the file was laid out. Detected from content, never from the name.
enum class Format {
  kFullSubmission,   // <SEC-DOCUMENT> + <SEC-HEADER> + <DOCUMENT>s
  kImsSubmission,    // 1993-95 <IMS-DOCUMENT> + <IMS-HEADER>
  kDissemination,    // .nc feed: <SUBMISSION> with tagged header
  kHeaderOnly,       // header without documents (.hdr.sgml, -index-headers.html)
  kBareDocuments,    // <DOCUMENT> blocks with no header
  kHtml,             // loose HTML document
  kText,             // loose plain text (comment letters, old exhibits)
  kXml,              // loose XML (Form 4, 13F, Form D ...)
  kUnknown,          // empty or unreadable (binary) input
};

// Stable lower-case name used in JSON and in the index ("full-submission").
const char* FormatName(Format format);

// How a document's text was obtained.
enum class DocumentKind {
  kHtml,    // parsed with libxml2's HTML parser
  kText,    // plain text, <PAGE> and PEM lines removed
  kXml,     // XML text content
  kBinary,  // uuencoded, PDF, image, zip, XBRL schema/linkbase: no text
  // Pages EDGAR's XBRL viewer generates from the filing's own XBRL (R1.htm,
  // R2.htm ..., FilingSummary.xml): listed, not indexed as text, so that
  // they are never found instead of the document they restate.
  kGenerated,
};

// "html", "text", "xml", "binary", "generated".
const char* DocumentKindName(DocumentKind kind);

struct FormerName {
  std::string name;
  std::string date_changed;  // "YYYY-MM-DD", or "" when absent
};

struct Address {
  std::string street1;
  std::string street2;
  std::string city;
  std::string state;
  std::string zip;
  std::string phone;
};

// One party of a submission: a filer, subject company, reporting owner ...
struct Party {
  // Upper-case role as EDGAR writes it in the text header: "FILER",
  // "SUBJECT COMPANY", "FILED BY", "REPORTING-OWNER", "ISSUER",
  // "SERIAL COMPANY", "FILED FOR", "DEPOSITOR", "SECURITIZER",
  // "GROUP MEMBER". .nc tags are mapped to the same names.
  std::string role;
  std::string name;
  uint64_t cik = 0;  // 0 when absent (GROUP MEMBERS carry only a name)
  int sic = 0;       // 4-digit SIC code, 0 when absent or "[]"
  std::string sic_title;  // "PHARMACEUTICAL PREPARATIONS", when given
  std::string irs_number;
  std::string state_of_incorporation;
  std::string fiscal_year_end;  // "MMDD"
  std::string form_type;        // FILING VALUES: FORM TYPE
  std::string sec_act;
  std::vector<std::string> file_numbers;  // FILING VALUES: SEC FILE NUMBER
  std::string film_number;
  Address business_address;
  Address mail_address;
  std::vector<FormerName> former_names;
};

// One <DOCUMENT> of a submission, or the whole of a loose file.
struct Document {
  std::string type;  // "10-K", "EX-99.1", "GRAPHIC"; "" when unknown
  int sequence = 0;  // <SEQUENCE>, 0 when absent
  std::string filename;
  std::string description;
  DocumentKind kind = DocumentKind::kText;
  std::string text;         // extracted UTF-8 text; empty for kBinary
  uint64_t raw_bytes = 0;   // size of the document body in the file
  uint64_t raw_offset = 0;  // offset of the body within the (decompressed) file
  // The file it was read from, when a filing is assembled from several
  // (fidx/assemble.h) and it is not the file the header came from.
  std::string source_path;
};

struct Filing {
  Format format = Format::kUnknown;
  bool pem_wrapped = false;  // -----BEGIN PRIVACY-ENHANCED MESSAGE-----
  bool gzipped = false;

  std::string accession;   // "0001144204-17-013452", or ""
  std::string form;        // CONFORMED SUBMISSION TYPE / <TYPE>
  std::string filed;       // "YYYY-MM-DD", or ""
  std::string period;      // CONFORMED PERIOD OF REPORT, "YYYY-MM-DD"
  std::string acceptance;  // "YYYY-MM-DDTHH:MM:SS" (US Eastern), or ""
  std::string date_of_change;   // "YYYY-MM-DD", or ""
  std::string effectiveness;    // "YYYY-MM-DD", or ""
  std::vector<std::string> items;  // 8-K ITEM INFORMATION, as written
  int public_document_count = -1;  // -1 when absent

  std::vector<Party> parties;
  std::vector<Document> documents;

  // Where each known field came from: "accession", "form", "filed",
  // "period", "cik", "company" -> "sec-header" for a file with an SEC
  // header; for a header-less file "document-type" (its <TYPE>),
  // "xml:<element>" (XML forms), "xbrl:dei:<fact>" (cover facts),
  // "edgar-path" (.../data/<CIK>/<accession>/), "file-name".
  std::map<std::string, std::string> sources;

  // Problems found while reading, without the file name (the caller adds
  // it): "truncated: no </SEC-HEADER>", "invalid UTF-8, read as Windows-1252".
  std::vector<std::string> warnings;

  // Every distinct non-zero CIK of every party, in header order.
  std::vector<uint64_t> Ciks() const;
  // Every distinct non-zero SIC of every party, in header order.
  std::vector<int> Sics() const;
  // The first party with a name (the filer, usually), or nullptr.
  const Party* PrimaryParty() const;
};

}  // namespace fidx

#endif  // FIDX_FILING_H_
