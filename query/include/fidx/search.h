// Searching an index: the query language, ranking, one hit per filing,
// snippets and exact per-filing facets. Works the same on one database, on
// local shards and on remote shards listed in a Xapian stub file.

#ifndef FIDX_SEARCH_H_
#define FIDX_SEARCH_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace fidx {

enum class SortOrder { kRelevance, kNewest, kOldest };

struct SearchOptions {
  std::string query;
  uint64_t offset = 0;
  uint64_t limit = 10;
  SortOrder sort = SortOrder::kRelevance;
  // List every matching document rather than one hit per filing.
  bool per_document = false;
  // Compute exact per-filing facet counts over all matches.
  bool facets = false;
  // Make snippets (about `snippet_bytes` of text around the best passage).
  bool snippets = true;
  size_t snippet_bytes = 200;
  // Give up (SearchError::kTimeLimit) when the search (counting, ranking
  // and the page's snippets; local shards' matches, remote ones between
  // hits) takes longer than this many seconds; 0 means no limit. For servers.
  double time_limit = 0;
};

struct HitDocument {
  int sequence = 0;
  std::string type;
  std::string filename;
  std::string description;
};

// A party of a hit's filing, as the filing's header names it.
struct HitParty {
  // "FILER", "FILED BY", "SUBJECT COMPANY", "REPORTING-OWNER", "ISSUER" ...
  // as EDGAR writes it; "" when the file has no SEC header.
  std::string role;
  std::string name;
  uint64_t cik = 0;
  int sic = 0;
  std::string state_of_incorporation;  // EDGAR state or country code
  std::string business_state;          // business address state/country
  std::string business_city;
};

struct Hit {
  uint64_t rank = 0;  // 1-based, across pages
  double score = 0;
  std::string accession;  // "" when the file had none
  // The accession, or "path:<hash>" for a header-less file: what GetFiling()
  // and GetDocumentText() take.
  std::string filing_key;
  std::string form;
  std::string filed;      // "YYYY-MM-DD" or ""
  std::string company;
  uint64_t cik = 0;
  std::vector<uint64_t> ciks;
  int sic = 0;
  std::string path;
  HitDocument document;
  // Text around the best passage; matched words are between '\x02' and
  // '\x03'; the rest is plain text (not escaped).
  std::string snippet;
  std::string url;        // sec.gov link, "" when unknown
  std::string index_url;  // the filing's -index.htm page on sec.gov, or ""
  std::string period;     // period of report "YYYY-MM-DD", or ""
  // 8-K items: the number ("2.02") where known, else as the header says.
  std::vector<std::string> items;
  // Who filed (FILER, FILED BY, REPORTING-OWNER ...) and whom the filing is
  // about (SUBJECT COMPANY, ISSUER): an SC 13G/A filed by JPMorgan about
  // Federal Realty, a Form 4's reporting owner and issuer. A header-less
  // file's known parties are filers with role "".
  std::vector<HitParty> filers;
  std::vector<HitParty> subjects;
  // Documents of this filing that match: exact on local shards, a lower
  // bound through remote ones.
  uint64_t matching_documents = 0;
};

// Facet name (FacetNames()) -> value -> filings. A filing with no value for
// a facet counts under "(unknown)" (category: "(other)" for a form in none
// of EDGAR's groups), so a single-valued facet's counts add up to the total.
using FacetCounts = std::map<std::string, std::map<std::string, uint64_t>>;

// The facets, in the order they are shown: "form", "category", "cik",
// "sic", "year", "state" (of incorporation), "location" (business address),
// "type" (document types of the filing).
const std::vector<std::string>& FacetNames();

struct SearchResult {
  uint64_t total = 0;  // exact: filings, or documents with per_document
  std::vector<Hit> hits;
  FacetCounts facets;
  // Labels for facet values: "cik" -> company name, "sic" -> SEC industry
  // title (for the values shown, not necessarily all).
  std::map<std::string, std::map<std::string, std::string>> facet_labels;
  std::vector<std::string> warnings;
};

// What went wrong, for the caller to turn into an exit status.
enum class SearchError {
  kNone,
  kBadQuery,   // the query cannot be parsed (exit 2)
  kNoIndex,    // the index does not exist or cannot be opened
  kFailed,     // I/O error, remote shard down ...
  kTimeLimit,  // SearchOptions::time_limit ran out
};

class Searcher {
 public:
  // Opens the index at `path`: an fidx index directory, a Xapian database,
  // or a stub file (which may list remote shards). With `allow_partial`, a
  // remote shard that cannot be reached is skipped with a warning.
  static std::unique_ptr<Searcher> Open(const std::string& path, bool allow_partial,
                                        std::string* error,
                                        std::vector<std::string>* warnings);
  ~Searcher();

  // Runs one search. On failure returns the error kind and sets *message.
  SearchError Search(const SearchOptions& options, SearchResult* result,
                     std::string* message);

  // Every document of one filing, by accession (or filing key), in order.
  // Returns false if the filing is not in the index.
  struct FilingDocuments {
    std::string header_json;  // the filing header as `fidx inspect --json` prints it
    std::string header_text;  // ... and as `fidx inspect` prints it
    std::string path;
    std::string accession;  // "" for a header-less file
    uint64_t cik = 0;       // the primary party's, for sec.gov links
    std::vector<HitDocument> documents;
    std::vector<uint64_t> text_bytes;
    std::vector<std::string> kinds;  // DocumentKindName() of each document
    std::vector<std::string> texts;  // extracted text, with `with_text` only
  };
  // `accession` may also be a header-less file's absolute path. With
  // `with_text`, each document's extracted text is decompressed too.
  bool GetFiling(const std::string& accession, FilingDocuments* out, std::string* error,
                 bool with_text = false);

  // One document's extracted text, with the words `query` matches marked
  // between '\x02' and '\x03' as in snippets.
  struct DocumentText {
    std::string filing_key;  // accession, or the key of a header-less file
    HitDocument document;
    std::string text;
    uint64_t matches = 0;  // marked passages
  };
  // Document `sequence` of a filing (accession or filing key); `query` may
  // be "" (nothing marked). Returns false if absent (*error "") or on error.
  bool GetDocumentText(const std::string& accession, int sequence, const std::string& query,
                       DocumentText* out, std::string* error);

  // Moves to the index's latest commit, so a long-lived searcher (a server
  // worker's) sees filings `fidx add` committed since. False on error.
  bool Refresh(std::string* error);

  // For a long-lived searcher over one local database: keeps every
  // document's filing in memory (4 bytes a document plus the keys, rebuilt
  // at each new revision) so that counting filings reads no values.
  // Answers are the same with it or without it.
  void EnableFilingTable();

  // Index-wide figures for `fidx stats`.
  struct Stats {
    uint64_t filings = 0;
    uint64_t documents = 0;
    uint64_t shards = 0;
    std::map<std::string, uint64_t> by_form;  // filings
    std::map<std::string, uint64_t> by_year;  // filings
    std::string last_run;                     // from the index metadata
  };
  bool GetStats(Stats* out, std::string* error);

 private:
  class Impl;
  explicit Searcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The sec.gov address of a filing's document.
std::string SecUrl(uint64_t cik, const std::string& accession, const std::string& filename);

// The sec.gov address of a filing's index page (".../<accession>-index.htm").
std::string SecIndexUrl(uint64_t cik, const std::string& accession);

// The SEC's industry title for a SIC code ("PHARMACEUTICAL PREPARATIONS"),
// or "" if unknown.
std::string SicTitle(int sic);

}  // namespace fidx

#endif  // FIDX_SEARCH_H_
