// fidx's query language on top of Xapian::QueryParser: words, phrases,
// AND/OR/NOT, -word, NEAR, trailing * wildcards, and field filters that
// normalise their values with the same functions the indexer used
// (schema.h), so `form:10-k/a` and `cik:0001279704` find what was indexed.

#ifndef FIDX_QUERY_QUERY_BUILDER_H_
#define FIDX_QUERY_QUERY_BUILDER_H_

#include <xapian.h>

#include <string>
#include <vector>

namespace fidx {

struct BuiltQuery {
  Xapian::Query query;
  // True when the query has words to rank by (not only filters or "*").
  bool has_text = false;
  // True when every document of a filing matches alike: no words, no
  // document-level filter (type:). Then the filing's first document stands
  // for it (schema::kTermFirstDocument).
  bool filing_level = false;
  // The query's words as indexed with positions (unstemmed, lower case), to
  // find where in a document they occur.
  std::vector<std::string> exact_terms;
};

// Parses `text` against `db`. Throws Xapian::QueryParserError with a
// message fit for the user when the query cannot be read.
BuiltQuery BuildQuery(const std::string& text, const Xapian::Database& db);

// The stemmer used at index and query time (snippets need it too).
Xapian::Stem QueryStemmer();

}  // namespace fidx

#endif  // FIDX_QUERY_QUERY_BUILDER_H_
