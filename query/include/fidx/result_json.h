// The JSON of search results and of one filing: one home for the contract
// that `fidx search --json`, `fidx show --json` and `fidx serve`'s API share.

#ifndef FIDX_RESULT_JSON_H_
#define FIDX_RESULT_JSON_H_

#include <string>

#include "fidx/search.h"

namespace fidx {

// `r` as one JSON object (README, "JSON output"): total, hits, facets and
// facet_labels (with `o.facets`; every facet's key is always present) and
// warnings. A hit's snippet is HTML-escaped with matches in <mark>, or null
// when `o.snippets` is off. Invalid UTF-8 from a filing becomes U+FFFD.
std::string SearchResultJson(const SearchResult& r, const SearchOptions& o);

// One filing as `fidx show --json` prints it: ShowJson() in filing_view.h.

// A snippet with its '\x02'/'\x03' match marks turned into <mark></mark>
// and everything else HTML-escaped.
std::string SnippetHtml(const std::string& snippet);

}  // namespace fidx

#endif  // FIDX_RESULT_JSON_H_
