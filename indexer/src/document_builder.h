// Turning a parsed Filing into the Xapian documents that index it: one per
// EDGAR <DOCUMENT>, each carrying the filing's filter terms, its own text
// with positions, and the stored record snippets are cut from.

#ifndef FIDX_INDEXER_DOCUMENT_BUILDER_H_
#define FIDX_INDEXER_DOCUMENT_BUILDER_H_

#include <xapian.h>

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fidx/filing.h"
#include "fidx/stored_doc.h"

namespace fidx {

struct PreparedDoc {
  std::string unique_term;  // Q term; also added to `doc`
  Xapian::Document doc;
};

struct PreparedFiling {
  std::string filing_key;
  std::vector<PreparedDoc> docs;
  uint64_t text_bytes = 0;  // extracted text, for commit batching
};

// The key a filing is known by: its accession number, or for header-less
// files a hash of the path ("path:1f2e..."), since nothing else names them.
std::string FilingKey(const Filing& filing, const std::string& path);

// Builds documents. Not thread-safe: use one builder per thread.
class DocumentBuilder {
 public:
  DocumentBuilder();

  // Fills *out for `filing`, read from `path`. Moves document text out of
  // `filing` to avoid copying it.
  // `also_from` lists the other files a filing assembled from several
  // (fidx/assemble.h) was read from: every document carries the source term
  // of each, so that rewriting or removing any of them finds them all.
  void Build(Filing* filing, const std::string& path, PreparedFiling* out,
             const std::vector<std::string>& also_from = {});

 private:
  std::vector<TextChunk> IndexBody(const std::string& text);
  void IndexHeaderText(const Filing& filing, const Document& document);
  void AddFilterTerms(const Filing& filing, const Document& document,
                      const std::string& path, const std::string& key, Xapian::Document* doc);
  void AddStems(Xapian::Document* doc);
  const std::string& Stem(const std::string& word);

  Xapian::TermGenerator tg_;
  std::string folded_;  // a chunk of text with its accents folded
  Xapian::Stem stemmer_;
  // word -> stem, across documents: filings share most of their vocabulary.
  std::unordered_map<std::string, std::string> stem_cache_;
  std::vector<std::pair<std::string, Xapian::termcount>> stems_;  // scratch
};

}  // namespace fidx

#endif  // FIDX_INDEXER_DOCUMENT_BUILDER_H_
