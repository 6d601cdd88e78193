// The document data record fidx stores with each Xapian document: what a
// hit shows (form, company, document name ...) and the extracted text,
// zlib-compressed, from which snippets are cut at query time. Xapian does
// not keep text itself (see ../shared/notes/xapian.md, "Snippets").

#ifndef FIDX_STORED_DOC_H_
#define FIDX_STORED_DOC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fidx {

struct StoredDoc {
  // Filing-level fields (repeated on each document of the filing).
  std::string path;        // absolute path of the source file
  std::string accession;   // "" for header-less files
  std::string form;
  std::string filed;       // "YYYY-MM-DD" or ""
  std::string period;      // "YYYY-MM-DD" or ""
  std::string company;     // display name of the primary party
  uint64_t cik = 0;        // primary party's CIK
  std::vector<uint64_t> ciks;  // every party's CIK
  std::vector<std::string> names;  // the party name for each of `ciks`
  int sic = 0;             // primary SIC, 0 if none
  std::string format;      // FormatName()
  // Document-level fields.
  int sequence = 0;
  std::string type;
  std::string filename;
  std::string description;
  std::string kind;        // DocumentKindName()
  uint64_t text_bytes = 0; // size of the uncompressed text
  // The filing's header as `fidx inspect --json` would print it (without
  // documents); stored on the filing's first document only, "" elsewhere.
  std::string header_json;
};

// Serialises `doc` and `text` into a Xapian document data blob.
std::string EncodeStoredDoc(const StoredDoc& doc, std::string_view text);

// Parses a blob written by EncodeStoredDoc. If `text` is non-null the text is
// decompressed into it. Returns false on a corrupt blob.
bool DecodeStoredDoc(std::string_view blob, StoredDoc* doc, std::string* text);

}  // namespace fidx

#endif  // FIDX_STORED_DOC_H_
