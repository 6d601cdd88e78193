// One rendering of a filing for `fidx show` and `fidx serve` (from the
// index) and `fidx inspect` (from a file): the same JSON shape for both, sec.gov links, and
// 8-K items as numbers with titles.

#ifndef FIDX_FILING_VIEW_H_
#define FIDX_FILING_VIEW_H_

#include <cstdint>
#include <string>
#include <vector>

#include "fidx/search.h"

namespace fidx {
namespace cli {

// A document as both commands describe it.
struct DocumentView {
  int sequence = 0;
  std::string type;
  std::string filename;
  std::string description;
  std::string kind;
  int64_t raw_bytes = -1;  // -1: unknown (not kept in the index)
  uint64_t text_bytes = 0;
  std::string url;         // sec.gov address, "" when unknown
};

// The sec.gov filing index page of a filing ("" without CIK or accession).
std::string FilingIndexUrl(uint64_t cik, const std::string& accession);

// "7.01 Regulation FD Disclosure" for an item as a header writes it
// ("Regulation FD Disclosure" or "7.01"); the item itself if unknown.
std::string ItemWithTitle(const std::string& item);

// The header's "  item:  ..." lines with numbers and titles, and an
// "  index:" line with the filing index page after the filed date.
std::string HeaderTextView(const std::string& header_text, const std::string& index_url);

// Completes `header_json` (one object, as WriteFilingJson writes it without
// documents) with: item_numbers [{number, title}], index_url, documents
// (sequence, type, filename, description, kind, raw_bytes, text_bytes, url),
// warnings (null when unknown), and texts when `texts` is non-null.
std::string FilingViewJson(const std::string& header_json, const std::vector<std::string>& items,
                           const std::string& index_url, const std::vector<DocumentView>& docs,
                           const std::vector<std::string>* warnings,
                           const std::vector<std::string>* texts);

// `fidx show --json` of a filing read from the index (every document; its
// texts when `with_text`): what /api/filing of `fidx serve` answers too.
std::string ShowJson(const Searcher::FilingDocuments& filing, bool with_text);

// One line per document, as `fidx show` prints it, with its URL below.
std::string DocumentLines(const std::vector<DocumentView>& docs);

// The items ("  item:" lines) of a header rendered by DescribeFilingHeader.
std::vector<std::string> ItemsOfHeaderText(const std::string& header_text);

}  // namespace cli
}  // namespace fidx

#endif  // FIDX_FILING_VIEW_H_
