// fidx's query language: a parser of its own for the structure (words,
// phrases, AND/OR/NOT, -x, +x, parentheses, NEAR/ADJ, field filters, "*"),
// Xapian's TermGenerator for the words inside it (so a query word is
// tokenised exactly as the indexer tokenised the text), and the field
// table of schema.h for every `name:value`.
//
// The parse is a tree (QueryNode). Search evaluates it over filings (a
// filing matches when the whole query holds for the filing, its documents
// taken together) or, with --per-document, over documents. Anything the
// parser cannot honour is an error (QueryError), never a silent guess.

#ifndef FIDX_QUERY_QUERY_BUILDER_H_
#define FIDX_QUERY_QUERY_BUILDER_H_

#include <xapian.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace fidx {

// A query that cannot be read, with a message fit for the user.
class QueryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct QueryNode {
  enum class Kind {
    kAll,   // "*": every filing (every document with --per-document)
    kLeaf,  // a word, phrase, NEAR group, wildcard or field filter
    kAnd,
    kOr,
    kNot,   // one child
  };
  Kind kind = Kind::kAll;
  // kLeaf: the leaf as a Xapian query over documents.
  Xapian::Query query;
  // kLeaf: true when every document of a filing matches it alike (filters of
  // filing-level fields, company:); false for words, phrases, NEAR, type:,
  // description:.
  bool filing_constant = false;
  // kLeaf: true when it weighs in the ranking (text), false for filters.
  bool ranked = false;
  // kLeaf: field name for same-field OR-ing ("" for free text).
  std::string field;
  std::vector<QueryNode> children;

  // True when some leaf below varies between the documents of a filing.
  bool Varies() const;
  // True when some leaf below is ranked and not under a NOT.
  bool Ranked() const;
};

struct BuiltQuery {
  QueryNode root;
  // The whole tree as one query over documents (--per-document semantics).
  Xapian::Query query;
  // The ranked leaves not under a NOT, OR-ed: what makes a document a good
  // one to show for its filing. Empty when nothing is ranked.
  Xapian::Query ranking;
  // True when the query has words to rank by (not only filters or "*").
  bool has_text = false;
  // True when no leaf varies between a filing's documents: the filing's
  // first document can stand for it (schema::kTermFirstDocument).
  bool filing_level = false;
  // True when evaluating `query` over documents and keeping their filings
  // gives exactly the filings for which the whole query holds: at most one
  // varying leaf in any AND, and no varying leaf under a NOT. Otherwise the
  // search combines sets of filings (search.cc).
  bool document_safe = false;
  // The query's words as indexed with positions (unstemmed, lower case), to
  // find where in a document they occur.
  std::vector<std::string> exact_terms;
  // What the query's wildcards start with, as indexed (pharma for
  // pharma*): the words of a document they match are found from these.
  std::vector<std::string> wildcard_prefixes;
};

// Parses `text`. Throws QueryError when the query cannot be read.
BuiltQuery BuildQuery(const std::string& text);

// Whether evaluating `node` over documents and keeping their filings gives
// the filings for which it holds (see BuiltQuery::document_safe).
bool DocumentSafe(const QueryNode& node);

// `node` as one query over documents.
Xapian::Query DocumentQuery(const QueryNode& node);

// The stemmer used at index and query time (snippets need it too).
Xapian::Stem QueryStemmer();
// QueryStemmer() remembering what it stemmed, for the snippet generator,
// which stems every word of the text it is given (4.6% of fidx serve's CPU
// on word queries, docs/benchmarks.md). The cache is not locked: one
// thread at a time, as a Searcher.
Xapian::Stem CachingQueryStemmer();

// A query matching every document. Use it, never Xapian::Query::MatchAll:
// that is one static object whose reference count is not atomic, so
// searches copying it on several threads at once (fidx serve) corrupt it
// (a heap-use-after-free under AddressSanitizer).
Xapian::Query MatchAllQuery();

// Wildcards expanding to more words than this are an error.
inline constexpr Xapian::termcount kMaxWildcardExpansion = 10000;

}  // namespace fidx

#endif  // FIDX_QUERY_QUERY_BUILDER_H_
