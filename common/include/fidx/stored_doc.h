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
  // The same header as `fidx inspect` prints it; first document only.
  std::string header_text;
};

// A piece of a document's text and the Xapian term position its first word
// follows. Text is stored in independently compressed chunks so that a
// snippet deep inside a 5 MB 10-K needs one chunk, not the whole text.
struct TextChunk {
  uint32_t first_termpos = 0;
  std::string_view text;
};

// Serialises `doc` and its text `chunks` into a Xapian document data blob.
std::string EncodeStoredDoc(const StoredDoc& doc, const std::vector<TextChunk>& chunks);

// Parses a blob written by EncodeStoredDoc. If `text` is non-null the whole
// text is decompressed into it. Returns false on a corrupt blob.
bool DecodeStoredDoc(std::string_view blob, StoredDoc* doc, std::string* text);

// Random access to the chunks of a stored document's text.
class StoredText {
 public:
  // Parses `blob` (which must outlive this object); false if corrupt.
  bool Parse(std::string_view blob, StoredDoc* doc);
  size_t chunk_count() const { return chunks_.size(); }
  // The chunk holding term position `termpos`.
  size_t ChunkForTermpos(uint32_t termpos) const;
  // The first term position of chunk `i` (0 past the last chunk).
  uint32_t FirstTermpos(size_t i) const { return i < chunks_.size() ? chunks_[i].first_termpos : 0; }
  // Decompresses chunk `i` into *out; false if corrupt.
  bool Chunk(size_t i, std::string* out) const;

 private:
  struct Entry {
    uint32_t first_termpos;
    uint64_t raw_size;
    std::string_view packed;
  };
  std::vector<Entry> chunks_;
};

}  // namespace fidx

#endif  // FIDX_STORED_DOC_H_
