#include "fidx/search.h"
#include "fidx/strings.h"

#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>

#include "facet_tally.h"
#include "filing_table.h"
#include "hit_parties.h"
#include "fidx/schema.h"
#include "fidx/stored_doc.h"
#include "index_reader.h"
#include "query_builder.h"
#include "sic_titles.h"

namespace fidx {

namespace {

// A reader survives one writer commit and then sees DatabaseModifiedError;
// reopen() and a retry recover (../shared/notes/xapian.md, 2.12).
constexpr int kAttempts = 4;

// Chunks of a document searched in order for a snippet when the query's
// exact words do not lead to one (about 128 KB of text).
constexpr size_t kScanChunks = 32;
// Bytes of text each side of a passage's place given to the snippet
// generator (see Snippet()): Xapian stems every word it is given.
constexpr size_t kSnippetWindow = 640;

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c >= 0x80;
}
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }

// The byte offset in `text` where its `n`th word (from 0) starts, counting
// words about as Xapian's TermGenerator gives them term positions: runs of
// letters, digits and non-ASCII bytes, held together by an apostrophe or
// ampersand between letters ("company's", "AT&T") and by . , ; between
// digits ("1,000.5"). Acronyms ("U.S.") and non-ASCII punctuation count
// differently: the window around the place absorbs that.
size_t WordOffset(std::string_view text, uint32_t n) {
  size_t i = 0;
  const size_t size = text.size();
  for (uint32_t word = 0;; ++word) {
    while (i < size && !IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= size || word == n) return i;
    while (i < size) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (IsWordByte(c)) {
        ++i;
        continue;
      }
      if (i + 1 < size && i > 0) {
        const auto prev = static_cast<unsigned char>(text[i - 1]);
        const auto next = static_cast<unsigned char>(text[i + 1]);
        if ((c == '\'' || c == '&') && IsWordByte(next) && !IsDigit(prev)) {
          ++i;
          continue;
        }
        if ((c == '.' || c == ',' || c == ';') && IsDigit(prev) && IsDigit(next)) {
          ++i;
          continue;
        }
      }
      break;
    }
  }
}

std::string Unescape(const std::string& s) {
  // MSet::snippet() escapes &, < and > for HTML; callers get plain text.
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&') {
      if (s.compare(i, 5, "&amp;") == 0) { out.push_back('&'); i += 4; continue; }
      if (s.compare(i, 4, "&lt;") == 0) { out.push_back('<'); i += 3; continue; }
      if (s.compare(i, 4, "&gt;") == 0) { out.push_back('>'); i += 3; continue; }
    }
    out.push_back(s[i]);
  }
  return out;
}

// About the first `bytes` bytes of `text`'s words, white space collapsed,
// as MSet::snippet() gives a passage: &, < and > escaped, and "..." where
// the text goes on.
std::string TextStart(std::string_view text, size_t bytes) {
  std::string out;
  bool space = false;
  size_t i = 0;
  for (; i < text.size() && out.size() < bytes; ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out.push_back(c);
    }
  }
  // Cut in a word: back to its start, or (one long word) to a character's.
  if (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) {
    const size_t word = out.rfind(' ');
    if (word != std::string::npos && word > 0) {
      out.resize(word);
    } else {
      while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
      if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
    }
  }
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (i < text.size()) out += "...";
  return out;
}

std::string CollapseSpace(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// Thrown from inside a match when SearchOptions::time_limit runs out.
struct TimeLimitExceeded {};

// Watches the clock while the counting match runs: every matching document
// passes through it (the count pass has checkatleast = all).
class DeadlineSpy : public Xapian::MatchSpy {
 public:
  explicit DeadlineSpy(double seconds)
      : end_(std::chrono::steady_clock::now() +
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                 std::chrono::duration<double>(seconds))) {}
  void operator()(const Xapian::Document&, double) override { Tick(); }
  // One document seen outside a match (a posting list read directly).
  void Tick() {
    // The first document and every 1024th: the clock is cheap, not free.
    if ((seen_++ & 1023) == 0) Check();
  }
  // Throws if the time is up (between hits: ranking, snippets).
  void Check() const {
    if (std::chrono::steady_clock::now() > end_) throw TimeLimitExceeded();
  }

 private:
  std::chrono::steady_clock::time_point end_;
  uint64_t seen_ = 0;
};

}  // namespace

std::string SecUrl(uint64_t cik, const std::string& accession, const std::string& filename) {
  if (accession.empty() || cik == 0) return "";
  std::string bare;
  for (char c : accession) {
    if (c != '-') bare.push_back(c);
  }
  std::string base = "https://www.sec.gov/Archives/edgar/data/" + std::to_string(cik) + "/";
  if (filename.empty()) return base + accession + ".txt";
  return base + bare + "/" + filename;
}

std::string SecIndexUrl(uint64_t cik, const std::string& accession) {
  if (accession.empty() || cik == 0) return "";
  std::string bare;
  for (char c : accession) {
    if (c != '-') bare.push_back(c);
  }
  return "https://www.sec.gov/Archives/edgar/data/" + std::to_string(cik) + "/" + bare + "/" +
         accession + "-index.htm";
}

std::string SicTitle(int sic) { return LookupSicTitle(sic); }

const std::vector<std::string>& FacetNames() {
  static const std::vector<std::string> names = {"form", "category", "cik",      "sic",
                                                 "year", "state",    "location", "type"};
  return names;
}

class Searcher::Impl {
 public:
  std::string path;  // as given to Open()
  std::vector<ShardSpec> shards;
  bool allow_partial = false;
  Xapian::Database db;
  // Filing numbers by docid for a long-lived searcher (EnableFilingTable()),
  // of one local database, rebuilt when the database moves to a new
  // revision. Null when not enabled or not possible.
  bool filing_table_enabled = false;
  std::unique_ptr<FilingTable> filing_table;
  const FilingTable* Table() {
    if (!filing_table_enabled || shards.size() != 1 || shards[0].kind != ShardSpec::kLocal) {
      return nullptr;
    }
    if (!filing_table || filing_table->revision() != db.get_revision()) {
      filing_table = FilingTable::Build(db);
      facet_codes.reset();
      if (filing_table) facet_codes = std::make_unique<FacetCodes>(filing_table->filings());
    }
    return filing_table.get();
  }
  // The facet codes of Table()'s filings, learnt as they are counted (null
  // when there is no table). Replaced with the table: read it only after
  // Table(), never in the same expression (arguments are evaluated in any
  // order; fidx serve's sanitizer run caught a FacetSpy given the codes of
  // the table Table() was replacing).
  std::unique_ptr<FacetCodes> facet_codes;
  // SearchOptions::time_limit of the search running (null: none): it
  // watches every local match the search runs (counting, sets, ranking)
  // and is checked before each hit's record and snippet.
  DeadlineSpy* deadline_ = nullptr;
  // The snippet generator's stemmer, with its cache (one per searcher: a
  // searcher serves one thread at a time).
  Xapian::Stem snippet_stem = CachingQueryStemmer();
  // With a table (else null): every filing's first document(s), newest
  // first as Configure() sorts them (kSlotFacets descending, then docid),
  // built the first time filters alone (or "*") are ranked at a revision.
  const std::vector<Xapian::docid>* Newest();
  std::vector<Xapian::docid> newest;
  Xapian::rev newest_revision = 0;
  bool newest_ready = false;

  SearchError Run(const SearchOptions& o, SearchResult* r);
  // The counting pass of a local search with a filing table, when `query`
  // is one term or every document: every matching document (of
  // `first_only`: filings' first documents) given to *spy. False, doing
  // nothing, for any other query.
  // *matched (may be null), sized by the caller, gets a 1 at each such
  // document.
  bool CountPostings(const Xapian::Query& query, bool first_only, FacetSpy* spy,
                     std::vector<char>* matched);
  void Reopen(std::vector<std::string>* warnings) {
    // After a remote failure re-open from the stub (reopen() would keep the
    // dead connection); otherwise reopen() moves to the latest commit.
    std::string error;
    Xapian::Database fresh;
    if (OpenShards(shards, allow_partial, &fresh, warnings, &error)) db = fresh;
  }

 private:
  void Configure(const BuiltQuery& q, const SearchOptions& o, bool collapse,
                 Xapian::Enquire* enq);
  // Every document (checkatleast for an exact count), the first hit and the
  // hits wanted, within what Xapian's counts hold.
  struct PageBounds {
    Xapian::doccount all, first, count;
  };
  PageBounds Bounds(const SearchOptions& o) const {
    Xapian::doccount all = std::max<Xapian::doccount>(db.get_doccount(), 1);
    return {all, static_cast<Xapian::doccount>(std::min<uint64_t>(o.offset, all)),
            static_cast<Xapian::doccount>(std::min<uint64_t>(o.limit, all))};
  }
  SearchError RunRemote(const SearchOptions& o, const BuiltQuery& q, bool one_per_filing,
                        SearchResult* r);
  // How a hit's matching_documents is known.
  enum class Count {
    kOne,       // per document: the hit is one document
    kFiling,    // filters only: every document of the filing
    kSpy,       // from the counting spy (`spy`)
    kCollapse,  // from the collapse count (remote shards)
    kRanking,   // documents of the filing matching the ranked parts
  };
  void FillHits(const Xapian::MSet& mset, Xapian::doccount from, Xapian::doccount to,
                const SearchOptions& o, const BuiltQuery& q, Count count,
                const FacetSpy* spy, SearchResult* r);
  class SetEvaluator;
  SearchError RunBySets(const SearchOptions& o, const BuiltQuery& q, bool local,
                        SearchResult* r);
  void Label(SearchResult* r);
  std::string Snippet(const Xapian::MSet& mset, Xapian::docid did, const StoredText& text,
                      const SearchOptions& o, const BuiltQuery& q);
  uint32_t BestPassage(Xapian::docid did, const std::vector<std::string>& terms,
                       const std::vector<std::string>& prefixes);
};

void Searcher::Impl::Configure(const BuiltQuery& q, const SearchOptions& o, bool collapse,
                               Xapian::Enquire* enq) {
  enq->set_query(q.query);
  SortOrder sort = o.sort;
  if (!q.has_text) {
    // Filters alone rank nothing: list newest first, as EDGAR search does.
    enq->set_weighting_scheme(Xapian::BoolWeight());
    if (sort == SortOrder::kRelevance) sort = SortOrder::kNewest;
  }
  // kSlotFacets starts with the filed date, so it orders by date and also
  // hands every hit's facet values to us as its sort key.
  switch (sort) {
    case SortOrder::kRelevance:
      enq->set_sort_by_relevance_then_value(schema::kSlotFacets, true);
      break;
    case SortOrder::kNewest:
      enq->set_sort_by_value_then_relevance(schema::kSlotFacets, true);
      break;
    case SortOrder::kOldest:
      enq->set_sort_by_value_then_relevance(schema::kSlotFacets, false);
      break;
  }
  if (collapse) enq->set_collapse_key(schema::kSlotFilingKey);
}

uint32_t Searcher::Impl::BestPassage(Xapian::docid did, const std::vector<std::string>& terms,
                                     const std::vector<std::string>& prefixes) {
  // Positions of each exact query word in the document (capped: a common
  // word in a 10-K occurs thousands of times and the first ones suffice).
  constexpr size_t kMaxPositions = 4096;
  std::vector<std::vector<uint32_t>> lists;
  for (const std::string& term : terms) {
    std::vector<uint32_t> list;
    for (auto p = db.positionlist_begin(did, term);
         p != db.positionlist_end(did, term) && list.size() < kMaxPositions; ++p) {
      list.push_back(*p);
    }
    if (!list.empty()) lists.push_back(std::move(list));
  }
  // A wildcard counts as one word: the positions of every word of the
  // document it matches, found in the document's own term list (without
  // them a wildcard's snippet meant scanning chunk after chunk: 45 ms for
  // derivativ* on the shared corpus).
  for (const std::string& prefix : prefixes) {
    std::vector<uint32_t> list;
    Xapian::TermIterator t = db.termlist_begin(did);
    const Xapian::TermIterator end = db.termlist_end(did);
    t.skip_to(prefix);
    for (; t != end && (*t).compare(0, prefix.size(), prefix) == 0 && list.size() < kMaxPositions;
         ++t) {
      for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) list.push_back(*p);
    }
    std::sort(list.begin(), list.end());
    if (list.size() > kMaxPositions) list.resize(kMaxPositions);
    if (!list.empty()) lists.push_back(std::move(list));
  }
  if (lists.empty()) return 0;
  std::sort(lists.begin(), lists.end(),
            [](const auto& a, const auto& b) { return a.size() < b.size(); });
  // For each occurrence of the rarest word, the widest gap to the nearest
  // occurrence of every other word; the smallest such span wins.
  uint32_t best = lists[0][0];
  uint64_t best_span = UINT64_MAX;
  for (uint32_t p : lists[0]) {
    uint64_t span = 0;
    for (size_t i = 1; i < lists.size(); ++i) {
      auto it = std::lower_bound(lists[i].begin(), lists[i].end(), p);
      uint64_t d = UINT64_MAX;
      if (it != lists[i].end()) d = *it - p;
      if (it != lists[i].begin()) d = std::min<uint64_t>(d, p - *(it - 1));
      span = std::max(span, d);
    }
    if (span < best_span) {
      best_span = span;
      best = p;
      if (span <= 1) break;
    }
  }
  return best;
}

std::string Searcher::Impl::Snippet(const Xapian::MSet& mset, Xapian::docid did,
                                    const StoredText& text, const SearchOptions& o,
                                    const BuiltQuery& q) {
  if (text.chunk_count() == 0) return "";
  std::string chunk;
  std::vector<bool> tried(text.chunk_count(), false);
  auto cut = [&](size_t i, unsigned flags, bool with_next = false, uint32_t around = 0) {
    tried[i] = true;
    if (!text.Chunk(i, &chunk)) return std::string();
    // The chunk's first word has term position FirstTermpos() + 1.
    const uint32_t first = text.FirstTermpos(i);
    const uint32_t nth = around > first ? around - first - 1 : 0;
    size_t at = around != 0 ? WordOffset(chunk, nth) : 0;
    // The next chunk only when the window reaches into it (inflating both
    // for every hit was 6% of fidx serve's CPU on word queries).
    if (around != 0) with_next = with_next && at + kSnippetWindow > chunk.size();
    std::string next;
    if (with_next && text.Chunk(i + 1, &next)) {
      // Chunks end between words: a place inside this one stays put.
      const bool beyond = at >= chunk.size();
      chunk += next;
      if (around != 0 && beyond) at = WordOffset(chunk, nth);
    }
    if (around != 0 && chunk.size() > 2 * kSnippetWindow) {
      size_t from = at > kSnippetWindow ? at - kSnippetWindow : 0;
      size_t to = std::min(chunk.size(), at + kSnippetWindow);
      // Whole words at both ends.
      if (from > 0) from = std::min(to, chunk.find(' ', from) + 1);
      if (to < chunk.size()) {
        size_t space = chunk.rfind(' ', to);
        if (space != std::string::npos && space > from) to = space;
      }
      chunk = chunk.substr(from, to - from);
    }
    // Never SNIPPET_BACKGROUND_MODEL: without SNIPPET_EXHAUSTIVE it stops at
    // the first "good enough" window, which on the seed 8-K has no query
    // word. EXHAUSTIVE costs ~110 ms per MB, so only a chunk pair gets it.
    return mset.snippet(chunk, o.snippet_bytes, snippet_stem, flags, "\x02", "\x03", "...");
  };
  if (q.has_text) {
    // First the chunk of the best passage: where the query's exact words
    // occur closest together (a phrase: adjacent). Positions lead straight
    // to it, even deep inside a 5 MB 10-K.
    // Exhaustive over these ~8 KB only (about a millisecond): the window
    // chosen is the best one, not merely the first good enough.
    uint32_t best = BestPassage(did, q.exact_terms, q.wildcard_prefixes);
    if (best != 0) {
      const unsigned exhaustive =
          Xapian::MSet::SNIPPET_EMPTY_WITHOUT_MATCH | Xapian::MSet::SNIPPET_EXHAUSTIVE;
      size_t i = text.ChunkForTermpos(best);
      // Xapian stems every word of the text it is given: only ~1.3 KB
      // around the passage (found by counting words up to its term
      // position), and the whole pair if the count missed it.
      std::string s = cut(i, exhaustive, true, best);
      if (s.empty()) s = cut(i, exhaustive, true);
      if (!s.empty()) return s;
    }
    // Then the first chunks, for stemmed forms ("revenues" for "revenue").
    for (size_t i = 0; i < text.chunk_count() && i < kScanChunks; ++i) {
      if (tried[i]) continue;
      std::string s = cut(i, Xapian::MSet::SNIPPET_EMPTY_WITHOUT_MATCH);
      if (!s.empty()) return s;
    }
  }
  // The match was in the header (company name, filters): show the start.
  // Not through the snippet generator: with no word to look for it picks a
  // window near the end of what it is given, after stemming all of it (a
  // quarter of a filter query's time at 100,000 filings).
  if (!text.Chunk(0, &chunk)) return "";
  return TextStart(chunk, o.snippet_bytes);
}

void Searcher::Impl::FillHits(const Xapian::MSet& mset, Xapian::doccount from,
                              Xapian::doccount to, const SearchOptions& o,
                              const BuiltQuery& q, Count count, const FacetSpy* spy,
                              SearchResult* r) {
  Xapian::doccount i = 0;
  for (auto it = mset.begin(); it != mset.end(); ++it, ++i) {
    if (i < from) continue;
    if (i >= to) break;
    if (deadline_) deadline_->Check();
    const Xapian::docid did = *it;
    const Xapian::Document doc = it.get_document();
    const std::string blob = doc.get_data();
    StoredDoc stored;
    StoredText text;
    if (!text.Parse(blob, &stored)) {
      r->warnings.push_back("document " + std::to_string(did) + " has a damaged record");
    }
    Hit h;
    h.rank = o.offset + r->hits.size() + 1;
    h.score = it.get_weight();
    h.accession = stored.accession;
    h.filing_key = doc.get_value(schema::kSlotFilingKey);
    h.form = stored.form;
    h.filed = stored.filed;
    h.company = stored.company;
    h.cik = stored.cik;
    h.ciks = stored.ciks;
    h.sic = stored.sic;
    h.path = stored.path;
    h.document = {stored.sequence, stored.type, stored.filename, stored.description};
    const uint64_t url_cik = stored.cik ? stored.cik : (stored.ciks.empty() ? 0 : stored.ciks[0]);
    h.url = SecUrl(url_cik, stored.accession, stored.filename);
    h.index_url = SecIndexUrl(url_cik, stored.accession);
    h.period = stored.period;
    DescribeParties(stored.header_json.empty()
                        ? FirstDocumentHeader(db, doc.get_value(schema::kSlotFilingKey))
                        : stored.header_json,
                    stored, &h);
    const std::string key = doc.get_value(schema::kSlotFilingKey);
    switch (count) {
      case Count::kOne:
        h.matching_documents = 1;
        break;
      case Count::kFiling:
        // Filing-level filters match every document of the filing (only its
        // first one was looked at).
        h.matching_documents = db.get_termfreq(schema::FilingKeyTerm(key));
        break;
      case Count::kSpy:
        h.matching_documents = spy->documents(key);
        break;
      case Count::kCollapse:
        h.matching_documents = it.get_collapse_count() + 1;
        break;
      case Count::kRanking: {
        if (q.ranking.empty()) {
          h.matching_documents = db.get_termfreq(schema::FilingKeyTerm(key));
          break;
        }
        Xapian::Enquire docs(db);
        docs.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q.ranking,
                                     Xapian::Query(schema::FilingKeyTerm(key))));
        docs.set_weighting_scheme(Xapian::BoolWeight());
        h.matching_documents = docs.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
        break;
      }
    }
    if (o.snippets) h.snippet = CollapseSpace(Unescape(Snippet(mset, did, text, o, q)));
    r->hits.push_back(std::move(h));
  }
}

void Searcher::Impl::Label(SearchResult* r) {
  // Names for the most frequent CIKs (as many as a person reads) and every
  // SIC: one document lookup per CIK.
  constexpr size_t kNamedCiks = 50;
  // The most frequent first, ties in CIK order (the map's): a partial sort,
  // as `*` at 100,000 filings has tens of thousands of CIKs.
  std::vector<std::pair<uint64_t, const std::string*>> ciks;
  for (const auto& [cik, n] : r->facets["cik"]) ciks.emplace_back(n, &cik);
  const size_t named = std::min(ciks.size(), kNamedCiks);
  std::partial_sort(ciks.begin(), ciks.begin() + named, ciks.end(),
                    [](const auto& a, const auto& b) {
                      return a.first != b.first ? a.first > b.first : *a.second < *b.second;
                    });
  ciks.resize(named);
  for (const auto& [n, cik_ptr] : ciks) {
    const std::string& cik_str = *cik_ptr;
    std::string term = schema::CikTerm(schema::ParseCik(cik_str));
    Xapian::PostingIterator p = db.postlist_begin(term);
    if (p == db.postlist_end(term)) continue;
    // The names slot only: the document data would bring the text along.
    std::string names = db.get_document(*p, Xapian::DOC_ASSUME_VALID)
                            .get_value(schema::kSlotPartyNames);
    std::string name = schema::PartyName(names, schema::ParseCik(cik_str));
    if (!name.empty()) r->facet_labels["cik"][cik_str] = name;
  }
  for (const auto& [sic, n] : r->facets["sic"]) {
    std::string title = SicTitle(std::atoi(sic.c_str()));
    if (!title.empty()) r->facet_labels["sic"][sic] = title;
  }
  for (const schema::Category& c : schema::Categories()) {
    if (r->facets["category"].count(c.name)) r->facet_labels["category"][c.name] = c.title;
  }
}

SearchError Searcher::Impl::RunRemote(const SearchOptions& o, const BuiltQuery& q,
                                      bool one_per_filing, SearchResult* r) {
  // A stock xapian-tcpsrv runs no match spy of ours: exact totals come from
  // running the match to the end (checkatleast = all documents; collapsing
  // leaves its lower bound exact, not its estimate), and facets from the
  // sort keys of an MSet that holds every matching filing.
  const auto [all, first, count] = Bounds(o);
  Xapian::Enquire enq(db);
  Configure(q, o, /*collapse=*/!o.per_document, &enq);
  if (o.facets && !o.per_document) {
    // One pass gives the total, the facets and the page, from the same MSet.
    Xapian::MSet mset = enq.get_mset(0, all, all);
    r->total = mset.size();
    FacetTally tally;
    for (auto it = mset.begin(); it != mset.end(); ++it) tally.Add(it.get_sort_key());
    tally.Finish(&r->facets);
    Label(r);
    FillHits(mset, first, first + count, o, q,
             one_per_filing ? Count::kFiling : Count::kCollapse, nullptr, r);
    return SearchError::kNone;
  }
  Xapian::MSet mset = enq.get_mset(first, count, all);
  r->total = o.per_document ? mset.get_matches_estimated() : mset.get_matches_lower_bound();
  FillHits(mset, 0, count, o, q,
           o.per_document ? Count::kOne : one_per_filing ? Count::kFiling : Count::kCollapse,
           nullptr, r);
  if (o.facets) {
    // Per document, the facets still count filings: a second, collapsed pass.
    Xapian::Enquire by_filing(db);
    SearchOptions filings = o;
    filings.per_document = false;
    Configure(q, filings, /*collapse=*/true, &by_filing);
    Xapian::MSet all_filings = by_filing.get_mset(0, all, all);
    FacetTally tally;
    for (auto it = all_filings.begin(); it != all_filings.end(); ++it) {
      tally.Add(it.get_sort_key());
    }
    tally.Finish(&r->facets);
    Label(r);
  }
  return SearchError::kNone;
}

bool Searcher::Impl::CountPostings(const Xapian::Query& query, bool first_only, FacetSpy* spy,
                                   std::vector<char>* matched) {
  // One word (or every document), optionally of first documents only: its
  // posting list read directly, without a matcher and a document object per
  // posting. Counting every filing's facets at 100,000 filings went from
  // about 30 ms through the matcher to a few (docs/benchmarks.md).
  std::string term;
  if (query.get_type() == Xapian::Query::LEAF_TERM) {
    term = *query.get_terms_begin();
  } else if (query.get_type() != Xapian::Query::LEAF_MATCH_ALL) {
    return false;
  }
  const std::string first_term = schema::kTermFirstDocument;
  if (first_only && term.empty()) {
    term = first_term;  // every filing's first document
    first_only = false;
  }
  // Opened only to filter by: a search without a filter opens nothing more.
  Xapian::PostingIterator first, first_end;
  if (first_only) {
    first = db.postlist_begin(first_term);
    first_end = db.postlist_end(first_term);
  }
  for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
    if (deadline_) deadline_->Tick();
    if (first_only) {
      first.skip_to(*p);
      if (first == first_end) break;
      if (*first != *p) continue;
    }
    spy->CountPosting(db, *p);
    if (matched) (*matched)[*p] = 1;
  }
  return true;
}

const std::vector<Xapian::docid>* Searcher::Impl::Newest() {
  const FilingTable* table = Table();
  if (!table) return nullptr;
  if (newest_ready && newest_revision == table->revision()) return &newest;
  std::vector<char> first(db.get_lastdocid() + 1, 0);
  for (auto p = db.postlist_begin(schema::kTermFirstDocument);
       p != db.postlist_end(schema::kTermFirstDocument); ++p) {
    first[*p] = 1;
  }
  std::vector<std::pair<std::string, Xapian::docid>> keyed;
  for (auto v = db.valuestream_begin(schema::kSlotFacets);
       v != db.valuestream_end(schema::kSlotFacets); ++v) {
    const Xapian::docid did = v.get_docid();
    if (did < first.size() && first[did]) {
      keyed.emplace_back(*v, did);
      first[did] = 2;
    }
  }
  // A first document without the value (none is written without one) sorts
  // last, as Xapian sorts an empty value in descending order.
  for (Xapian::docid did = 1; did < first.size(); ++did) {
    if (first[did] == 1) keyed.emplace_back(std::string(), did);
  }
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  newest.clear();
  newest.reserve(keyed.size());
  for (const auto& k : keyed) newest.push_back(k.second);
  newest_revision = table->revision();
  newest_ready = true;
  return &newest;
}

namespace {

// The documents of a list (ascending docids), weight 0: a match over a few
// chosen documents (local databases only: it cannot be serialised).
class DocidList : public Xapian::PostingSource {
 public:
  explicit DocidList(std::vector<Xapian::docid> ids) : ids_(std::move(ids)) {}
  Xapian::doccount get_termfreq_min() const override { return ids_.size(); }
  Xapian::doccount get_termfreq_est() const override { return ids_.size(); }
  Xapian::doccount get_termfreq_max() const override { return ids_.size(); }
  void init(const Xapian::Database&) override {
    at_ = 0;
    started_ = false;
  }
  void next(double) override {
    if (started_) ++at_;
    started_ = true;
  }
  void skip_to(Xapian::docid did, double) override {
    started_ = true;
    at_ = std::lower_bound(ids_.begin() + at_, ids_.end(), did) - ids_.begin();
  }
  bool at_end() const override { return at_ >= ids_.size(); }
  Xapian::docid get_docid() const override { return ids_[at_]; }

 private:
  std::vector<Xapian::docid> ids_;
  size_t at_ = 0;
  bool started_ = false;
};

// Marks every matching document in a bitmap by docid (sized by the caller).
class DocBitmapSpy : public Xapian::MatchSpy {
 public:
  explicit DocBitmapSpy(std::vector<char>* bits) : bits_(bits) {}
  void operator()(const Xapian::Document& doc, double) override {
    const Xapian::docid did = doc.get_docid();
    if (did < bits_->size()) (*bits_)[did] = 1;
  }

 private:
  std::vector<char>* bits_;
};

}  // namespace

SearchError Searcher::Impl::Run(const SearchOptions& o, SearchResult* r) {
  std::optional<DeadlineSpy> deadline;
  if (o.time_limit > 0) deadline.emplace(o.time_limit);
  struct Watch {
    DeadlineSpy** at;
    ~Watch() { *at = nullptr; }
  } watch{&deadline_};
  deadline_ = deadline ? &*deadline : nullptr;
  BuiltQuery q = BuildQuery(o.query);
  bool local = std::all_of(shards.begin(), shards.end(),
                           [](const ShardSpec& s) { return s.kind == ShardSpec::kLocal; });
  // A filing matches when the whole query holds for it, its documents taken
  // together. Most queries can be run over documents and give exactly that
  // (one varying part per AND, no varying part under a NOT); the others
  // combine sets of filings.
  if (!o.per_document && !q.document_safe) return RunBySets(o, q, local, r);
  // Filters alone match every document of a filing or none: the filing's
  // first document can stand for it (1.7 documents per filing on EDGAR's
  // mix). Two copies of a filing (two files, one accession) both have one.
  bool one_per_filing = q.filing_level && !o.per_document;
  const Xapian::Query unfiltered = q.query;
  if (one_per_filing) {
    q.query = Xapian::Query(Xapian::Query::OP_FILTER, q.query,
                            Xapian::Query(schema::kTermFirstDocument));
  }
  if (!local) return RunRemote(o, q, one_per_filing, r);

  // Local shards: two matches. The first counts: every matching document
  // passes through a spy that counts filings, facets and each filing's
  // matching documents exactly, with nothing else to do (no weights, no
  // sort, no collapse). The second ranks, for the page only: it may stop
  // early, and collapses only the documents that could make the page.
  // Counting and ranking in one match (checkatleast = all with collapse)
  // costs 3-8x more on 100,000 filings (docs/benchmarks.md).
  const auto [all, first, count] = Bounds(o);
  // Table() first: it replaces facet_codes when the revision moved on.
  const FilingTable* table = Table();
  FacetSpy spy(o.facets, one_per_filing, table, facet_codes.get());
  // Filters alone, newest first, with a table: the page is taken from the
  // table's date order (below), given the filings' first documents that
  // match, marked here while counting.
  const bool by_date = table && one_per_filing && count > 0 && o.sort != SortOrder::kOldest;
  std::vector<char> matched;
  if (by_date && q.root.kind != QueryNode::Kind::kAll) matched.assign(db.get_lastdocid() + 1, 0);
  std::vector<char>* mark = matched.empty() ? nullptr : &matched;
  DocBitmapSpy marker(&matched);
  if (!o.per_document && table && CountPostings(unfiltered, one_per_filing, &spy, mark)) {
    r->total = spy.filings();
  } else {
    Xapian::Enquire counter(db);
    counter.set_query(q.query);
    counter.set_weighting_scheme(Xapian::BoolWeight());
    // Per document without facets, Xapian's own count is the total.
    if (!o.per_document || o.facets) counter.add_matchspy(&spy);
    if (mark) counter.add_matchspy(&marker);
    if (deadline_) counter.add_matchspy(deadline_);
    Xapian::MSet counted = counter.get_mset(0, 0, all);
    r->total = o.per_document ? counted.get_matches_estimated() : spy.filings();
  }
  if (o.facets) {
    spy.Finish(&r->facets);
    Label(r);
  }
  if (count == 0 || first >= r->total) return SearchError::kNone;
  // Filing-level matches are first documents, one per copy of a filing:
  // collapsing changes nothing unless the spy saw a filing twice.
  bool collapse = !o.per_document && !(one_per_filing && !spy.saw_repeats());
  Xapian::Enquire ranker(db);
  std::unique_ptr<DocidList> page_docs;
  Xapian::doccount from = first;
  const std::vector<Xapian::docid>* newest = by_date ? Newest() : nullptr;
  // Walking the date order for a page deep into a rare filter's filings
  // costs more than Xapian's sort of them.
  if (newest && mark &&
      (static_cast<double>(first) + count) * newest->size() > 50000.0 * r->total) {
    newest = nullptr;
  }
  if (newest) {
    // Filters alone (or "*") newest first: every matching first document
    // would be read and sorted by its facets value (20 of the 46 ms of `*`,
    // 11 of the 17 ms of form:10-K at 100,000 filings). The table's date
    // order names the page's filings; Xapian then sorts just those, the
    // same way, so the page is the one it would give. One document per
    // filing (the first in that order, as collapsing keeps), so nothing is
    // left to collapse.
    std::vector<Xapian::docid> ids;
    std::vector<char> seen(table->filings(), 0);
    for (Xapian::docid did : *newest) {
      if (ids.size() >= static_cast<size_t>(first) + count) break;
      if (mark && !matched[did]) continue;
      const uint32_t filing = table->Of(did);
      if (filing != FilingTable::kNone) {
        if (seen[filing]) continue;
        seen[filing] = 1;
      }
      ids.push_back(did);
    }
    // Only the page itself: the filings before it are left out, and it
    // starts at 0.
    std::vector<Xapian::docid> page(ids.begin() + std::min<size_t>(first, ids.size()), ids.end());
    std::sort(page.begin(), page.end());
    page_docs = std::make_unique<DocidList>(std::move(page));
    q.query = Xapian::Query(page_docs.get());
    collapse = false;
    from = 0;
  }
  Configure(q, o, collapse, &ranker);
  if (deadline_) ranker.add_matchspy(deadline_);
  Xapian::MSet mset = ranker.get_mset(from, count, from + count);
  FillHits(mset, 0, count, o, q,
           o.per_document ? Count::kOne : one_per_filing ? Count::kFiling : Count::kSpy, &spy, r);
  return SearchError::kNone;
}

// ---- Filing-level evaluation by sets of filings ----
//
// A set of filings is the sorted 64-bit hashes of their filing keys
// (MemoryHash64: two of a million filings collide with odds of about 3e-8). A part of the
// query that is document-safe is one Xapian match whose documents' filings
// are collected; AND, OR and NOT then intersect, unite and subtract.

namespace {

uint64_t KeyHash(std::string_view key) { return MemoryHash64(key); }

using FilingSet = std::vector<uint64_t>;

FilingSet Intersect(const FilingSet& a, const FilingSet& b) {
  FilingSet out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}
FilingSet Unite(const FilingSet& a, const FilingSet& b) {
  FilingSet out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}
FilingSet Subtract(const FilingSet& a, const FilingSet& b) {
  FilingSet out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// Sorts *v: by radix, eight bits a pass, when it is long (a common word's
// tens of thousands of filings: a sixth of such a query went to std::sort).
void SortHashes(FilingSet* v) {
  if (v->size() < 2048) {
    std::sort(v->begin(), v->end());
    return;
  }
  FilingSet tmp(v->size());
  for (int shift = 0; shift < 64; shift += 8) {
    size_t at[257] = {};
    for (uint64_t x : *v) ++at[((x >> shift) & 0xFF) + 1];
    for (int b = 0; b < 256; ++b) at[b + 1] += at[b];
    for (uint64_t x : *v) tmp[at[(x >> shift) & 0xFF]++] = x;
    v->swap(tmp);
  }
}

// Collects the filing of every matching document (local shards).
// Keeps the keys themselves (hash -> key) while there are at most this
// many: a later part of an AND can then be run over just those filings.
constexpr size_t kKeptKeys = 2048;

class FilingCollector : public Xapian::MatchSpy {
 public:
  // `table` (may be null): filing numbers by docid, instead of values.
  FilingCollector(std::unordered_map<uint64_t, std::string>* keys, const FilingTable* table)
      : keys_(keys), table_(table) {}
  void operator()(const Xapian::Document& doc, double) override {
    if (table_ && Add(doc.get_docid())) return;
    AddKey(doc.get_value(schema::kSlotFilingKey));
  }
  // Collects the filing whose key is `key`.
  void AddKey(std::string key) {
    if (key == last_) return;  // a filing's documents mostly come in a row
    uint64_t h = KeyHash(key);
    hashes_.push_back(h);
    if (hashes_.size() <= kKeptKeys) keys_->emplace(h, key);
    last_ = std::move(key);
  }
  // Collects the filing of document `did` through the table (a bit at the
  // filing's rank); false if the table does not know it (a document
  // without a filing key).
  bool Add(Xapian::docid did) {
    uint32_t f = table_->Of(did);
    if (f == FilingTable::kNone) return false;
    if (f == last_number_) return true;
    last_number_ = f;
    if (ranks_.empty()) ranks_.resize((table_->filings() + 63) / 64);
    uint32_t r = table_->Rank(f);
    uint64_t bit = uint64_t{1} << (r % 64);
    if (ranks_[r / 64] & bit) return true;
    ranks_[r / 64] |= bit;
    if (++ranked_ <= kKeptKeys) keys_->emplace(table_->Hash(f), table_->Key(f));
    return true;
  }
  // The filings collected, as a sorted set of hashes.
  FilingSet Take() {
    SortHashes(&hashes_);
    if (ranked_ > 0) {
      // The ranks' bitmap reads out in hash order.
      FilingSet by_rank;
      by_rank.reserve(ranked_);
      for (size_t w = 0; w < ranks_.size(); ++w) {
        for (uint64_t bits = ranks_[w]; bits; bits &= bits - 1) {
          auto rank = static_cast<uint32_t>(w * 64 + __builtin_ctzll(bits));
          by_rank.push_back(table_->HashAtRank(rank));
        }
      }
      hashes_ = hashes_.empty() ? std::move(by_rank) : Unite(hashes_, by_rank);
    }
    hashes_.erase(std::unique(hashes_.begin(), hashes_.end()), hashes_.end());
    return std::move(hashes_);
  }

 private:
  std::unordered_map<uint64_t, std::string>* keys_;
  const FilingTable* table_;
  uint32_t last_number_ = FilingTable::kNone;
  std::vector<uint64_t> ranks_;  // bitmap of the table's filing ranks
  size_t ranked_ = 0;            // bits set in it
  std::string last_;
  FilingSet hashes_;             // filings found by their key value
};

// Accepts the documents of the filings of a set (local shards).
class InFilingSet : public Xapian::MatchDecider {
 public:
  InFilingSet(const FilingSet& set, const FilingTable* table) : set_(set), table_(table) {}
  bool operator()(const Xapian::Document& doc) const override {
    uint32_t f = table_ ? table_->Of(doc.get_docid()) : FilingTable::kNone;
    uint64_t h = f != FilingTable::kNone ? table_->Hash(f)
                                          : KeyHash(doc.get_value(schema::kSlotFilingKey));
    return std::binary_search(set_.begin(), set_.end(), h);
  }

 private:
  const FilingSet& set_;
  const FilingTable* table_;
};

}  // namespace

class Searcher::Impl::SetEvaluator {
 public:
  // `deadline` (may be null) watches every local match it runs.
  SetEvaluator(Impl* impl, bool local, DeadlineSpy* deadline)
      : impl_(impl), local_(local), deadline_(deadline) {}

  // The filings for which `n` holds (those of them in *within, when given:
  // the caller intersects with it).
  FilingSet Eval(const QueryNode& n, const FilingSet* within = nullptr) {
    if (DocumentSafe(n)) return Collect(DocumentQuery(n), !n.Varies(), within);
    switch (n.kind) {
      case QueryNode::Kind::kAnd: return EvalAnd(n, within);
      case QueryNode::Kind::kOr: {
        FilingSet acc;
        for (const QueryNode& c : n.children) acc = Unite(acc, Eval(c));
        return acc;
      }
      case QueryNode::Kind::kNot:
        return Subtract(All(), Eval(n.children[0]));
      default:
        return Collect(DocumentQuery(n), !n.Varies());
    }
  }

  const FilingSet& All() {
    if (!all_ready_) {
      all_ = Collect(MatchAllQuery(), true);
      all_ready_ = true;
    }
    return all_;
  }

  // A filter restricting a remote match to the filings of `set`.
  Xapian::Query RemoteFilter(const FilingSet& set) const {
    std::vector<Xapian::Query> terms;
    for (uint64_t h : set) {
      auto it = keys_.find(h);
      if (it != keys_.end()) terms.emplace_back(schema::FilingKeyTerm(it->second));
    }
    return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
  }

 private:
  FilingSet EvalAnd(const QueryNode& n, const FilingSet* within) {
    // The filing-constant parts join the first document-safe varying part in
    // one match (fewer documents to collect); the rest are sets of their own.
    std::vector<const QueryNode*> constant, varying, negated;
    for (const QueryNode& c : n.children) {
      if (c.kind == QueryNode::Kind::kNot) {
        negated.push_back(&c.children[0]);
      } else if (c.Varies()) {
        varying.push_back(&c);
      } else {
        constant.push_back(&c);
      }
    }
    FilingSet acc;
    bool have = false;
    auto meet = [&](FilingSet s) {
      acc = have ? Intersect(acc, s) : std::move(s);
      have = true;
    };
    auto safe = std::find_if(varying.begin(), varying.end(),
                             [](const QueryNode* c) { return DocumentSafe(*c); });
    if (!constant.empty()) {
      QueryNode group;
      group.kind = QueryNode::Kind::kAnd;
      for (const QueryNode* c : constant) group.children.push_back(*c);
      bool first_only = safe == varying.end();
      if (!first_only) {
        group.children.push_back(**safe);
        varying.erase(safe);
      }
      meet(Collect(DocumentQuery(group), first_only, within));
    }
    // The rarest parts first: later ones then run over fewer filings.
    std::stable_sort(varying.begin(), varying.end(), [this](const QueryNode* a, const QueryNode* b) {
      return Estimate(*a) < Estimate(*b);
    });
    for (const QueryNode* c : varying) {
      if (have && acc.empty()) return acc;
      meet(Eval(*c, have ? &acc : nullptr));
    }
    if (!have) acc = All();
    for (const QueryNode* c : negated) {
      if (acc.empty()) break;
      acc = Subtract(acc, Eval(*c, &acc));
    }
    return acc;
  }

  // An upper bound of the documents a part matches, to order an AND's parts.
  Xapian::doccount Estimate(const QueryNode& n) const { return Estimate(DocumentQuery(n)); }
  Xapian::doccount Estimate(const Xapian::Query& q) const {
    Xapian::doccount most = 0;
    for (auto t = q.get_unique_terms_begin(); t != Xapian::TermIterator(); ++t) {
      most = std::max(most, impl_->db.get_termfreq(*t));
    }
    return most == 0 ? impl_->db.get_doccount() : most;
  }

  // The filings of the documents matching `query`. `within`, if given, is a
  // set the answer will be intersected with: when it is small, the match is
  // run over its filings' documents only (a rare word AND a common one costs
  // the rare word's filings, not every document with the common word).
  FilingSet Collect(Xapian::Query query, bool first_only, const FilingSet* within = nullptr) {
    if (first_only) {
      query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                            Xapian::Query(schema::kTermFirstDocument));
    }
    // Worth it when the filings are far fewer than the documents to read.
    if (within && within->size() <= kKeptKeys && within->size() * 16 < Estimate(query)) {
      std::vector<Xapian::Query> terms;
      for (uint64_t h : *within) {
        auto it = keys_.find(h);
        if (it == keys_.end()) break;
        terms.emplace_back(schema::FilingKeyTerm(it->second));
      }
      if (terms.size() == within->size()) {
        query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                              Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
      }
    }
    const FilingTable* table = local_ ? impl_->Table() : nullptr;
    if (table && query.get_type() == Xapian::Query::LEAF_TERM) {
      // One word (a term): its posting list read directly, without a
      // matcher and a document object for each posting (with the ranks'
      // bitmap, counting `interest rate` at 100,000 filings went from 12.9
      // to 5.0 ms: docs/benchmarks.md).
      FilingCollector collector(&keys_, table);
      const std::string term = *query.get_terms_begin();
      for (auto p = impl_->db.postlist_begin(term); p != impl_->db.postlist_end(term); ++p) {
        if (deadline_) deadline_->Tick();
        if (!collector.Add(*p)) {
          collector.AddKey(impl_->db.get_document(*p).get_value(schema::kSlotFilingKey));
        }
      }
      return collector.Take();
    }
    Xapian::Enquire enq(impl_->db);
    enq.set_query(query);
    enq.set_weighting_scheme(Xapian::BoolWeight());
    Xapian::doccount all = std::max<Xapian::doccount>(impl_->db.get_doccount(), 1);
    if (local_) {
      FilingCollector spy(&keys_, table);
      enq.add_matchspy(&spy);
      if (deadline_) enq.add_matchspy(deadline_);
      enq.get_mset(0, 0, all);
      return spy.Take();
    }
    // Through xapian-tcpsrv no spy of ours runs: one item per filing.
    enq.set_collapse_key(schema::kSlotFilingKey);
    Xapian::MSet mset = enq.get_mset(0, all, all);
    FilingSet out;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      std::string key = it.get_collapse_key();
      uint64_t h = KeyHash(key);
      keys_.emplace(h, std::move(key));
      out.push_back(h);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  Impl* impl_;
  bool local_;
  DeadlineSpy* deadline_;
  FilingSet all_;
  bool all_ready_ = false;
  std::unordered_map<uint64_t, std::string> keys_;  // remote: hash -> filing key
};

SearchError Searcher::Impl::RunBySets(const SearchOptions& o, const BuiltQuery& q, bool local,
                                      SearchResult* r) {
  SetEvaluator eval(this, local, deadline_);
  const FilingSet matched = eval.Eval(q.root);
  r->total = matched.size();
  const auto [all, first, count] = Bounds(o);
  InFilingSet in_set(matched, local ? Table() : nullptr);
  const Xapian::MatchDecider* decider = local ? &in_set : nullptr;
  Xapian::Query restrict = local ? Xapian::Query() : eval.RemoteFilter(matched);
  auto restricted = [&](const Xapian::Query& query) {
    return local ? query : Xapian::Query(Xapian::Query::OP_FILTER, query, restrict);
  };
  const Xapian::Query first_docs(schema::kTermFirstDocument);
  if (o.facets && !matched.empty()) {
    // Facets from each matching filing's first document.
    Xapian::Enquire counter(db);
    counter.set_query(restricted(first_docs));
    counter.set_weighting_scheme(Xapian::BoolWeight());
    if (local) {
      const FilingTable* table = Table();  // first: it may replace facet_codes
      FacetSpy spy(true, true, table, facet_codes.get());
      counter.add_matchspy(&spy);
      counter.get_mset(0, 0, all, nullptr, decider);
      spy.Finish(&r->facets);
    } else {
      counter.set_collapse_key(schema::kSlotFilingKey);
      counter.set_sort_by_value(schema::kSlotFacets, true);
      Xapian::MSet mset = counter.get_mset(0, all, all);
      FacetTally tally;
      for (auto it = mset.begin(); it != mset.end(); ++it) tally.Add(it.get_sort_key());
      tally.Finish(&r->facets);
    }
    Label(r);
  }
  if (count == 0 || first >= r->total) return SearchError::kNone;
  // Ranking: a filing's best document is its best match for the ranked
  // parts of the query; a filing whose documents match none of them (it
  // matched through a NOT) is there by its first document, with no weight.
  BuiltQuery ranking = q;
  ranking.query = q.has_text ? Xapian::Query(Xapian::Query::OP_OR, q.ranking,
                                             Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                                           first_docs, 0))
                             : first_docs;
  ranking.query = restricted(ranking.query);
  Xapian::Enquire ranker(db);
  Configure(ranking, o, /*collapse=*/true, &ranker);
  if (deadline_ && local) ranker.add_matchspy(deadline_);
  Xapian::MSet mset = ranker.get_mset(first, count, first + count, nullptr, decider);
  FillHits(mset, 0, count, o, ranking, Count::kRanking, nullptr, r);
  return SearchError::kNone;
}

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::~Searcher() = default;

std::unique_ptr<Searcher> Searcher::Open(const std::string& path, bool allow_partial,
                                         std::string* error,
                                         std::vector<std::string>* warnings) {
  auto impl = std::make_unique<Impl>();
  impl->allow_partial = allow_partial;
  impl->path = path;
  if (!ResolveShards(path, &impl->shards, error)) return nullptr;
  if (!OpenShards(impl->shards, allow_partial, &impl->db, warnings, error)) return nullptr;
  // An older layout would answer wrongly, not fail (schema 1 has no
  // kTermFirstDocument: "*" would find nothing). Every shard is written with
  // the same version; the combined database reports the first shard's.
  std::string version;
  Xapian::doccount documents = 0;
  for (int attempt = 1;; ++attempt) {
    try {
      // Remote shards answer these over the network: a writer's commits or
      // a server going away can interrupt them too.
      version = impl->db.get_metadata(schema::kMetaSchema);
      documents = impl->db.get_doccount();
      break;
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt == kAttempts) {
        *error = e.get_description();
        return nullptr;
      }
      impl->db.reopen();
    } catch (const Xapian::Error& e) {
      *error = path + ": " + e.get_description();
      return nullptr;
    }
  }
  *error = schema::SchemaMismatch(path, version);
  // No layout record on a database with documents: another program's
  // (omindex's), whose records would read as damaged fidx ones.
  if (error->empty() && version.empty() && documents > 0) {
    *error = path + " is a Xapian database that fidx did not write (no fidx layout record)";
  }
  if (!error->empty()) return nullptr;
  return std::unique_ptr<Searcher>(new Searcher(std::move(impl)));
}

SearchError Searcher::Search(const SearchOptions& o, SearchResult* r, std::string* message) {
  for (int attempt = 1;; ++attempt) {
    *r = SearchResult();
    try {
      return impl_->Run(o, r);
    } catch (const QueryError& e) {
      *message = std::string("cannot parse query: ") + e.what();
      return SearchError::kBadQuery;
    } catch (const Xapian::WildcardError& e) {
      *message = "a wildcard matches more than " + std::to_string(kMaxWildcardExpansion) +
                 " words or values: make the part before * longer";
      return SearchError::kBadQuery;
    } catch (const TimeLimitExceeded&) {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%g", o.time_limit);
      *message = std::string("the search took longer than ") + seconds +
                 " s and was stopped; narrow the query (a phrase, a filter, a date range)";
      return SearchError::kTimeLimit;
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt == kAttempts) {
        *message = e.get_description();
        return SearchError::kFailed;
      }
      impl_->db.reopen();
    } catch (const Xapian::NetworkError& e) {
      if (!impl_->allow_partial || attempt == kAttempts) {
        *message = "a shard is unreachable: " + e.get_msg() +
                   " (--allow-partial searches the other shards)";
        return SearchError::kFailed;
      }
      std::vector<std::string> warnings;
      impl_->Reopen(&warnings);
      r->warnings = warnings;
    } catch (const Xapian::Error& e) {
      *message = e.get_description();
      return SearchError::kFailed;
    }
  }
}

bool Searcher::GetFiling(const std::string& accession, FilingDocuments* out, std::string* error,
                         bool with_text) {
  for (int attempt = 1;; ++attempt) {
    try {
      Xapian::Database& db = impl_->db;
      std::string term = schema::AccessionTerm(accession);
      if (db.get_termfreq(term) == 0) term = schema::FilingKeyTerm(accession);
      if (db.get_termfreq(term) == 0) {
        // A source file's path (a header-less file's filing is keyed by a
        // hash of it): the filing its documents belong to.
        std::string source = schema::SourceTerm(accession);
        auto p = db.postlist_begin(source);
        if (p == db.postlist_end(source)) return false;
        term = schema::FilingKeyTerm(db.get_document(*p).get_value(schema::kSlotFilingKey));
      }
      std::vector<std::pair<int, Xapian::docid>> order;
      std::vector<std::pair<StoredDoc, std::string>> docs;
      for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
        StoredDoc s;
        std::string text;
        Xapian::Document doc = db.get_document(*p);
        if (!DecodeStoredDoc(doc.get_data(), &s, with_text ? &text : nullptr)) continue;
        if (!s.header_json.empty()) {
          out->header_json = s.header_json;
          out->header_text = s.header_text;
          out->path = s.path;
        }
        docs.emplace_back(std::move(s), std::move(text));
      }
      std::stable_sort(docs.begin(), docs.end(), [](const auto& a, const auto& b) {
        return a.first.sequence < b.first.sequence;
      });
      for (auto& [s, text] : docs) {
        out->documents.push_back({s.sequence, s.type, s.filename, s.description});
        out->text_bytes.push_back(s.text_bytes);
        out->kinds.push_back(s.kind);
        if (with_text) out->texts.push_back(std::move(text));
        if (out->path.empty()) out->path = s.path;
        if (out->accession.empty()) out->accession = s.accession;
        if (!out->cik) out->cik = s.cik;
      }
      return true;
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt == kAttempts) throw;
      impl_->db.reopen();
    } catch (const Xapian::Error& e) {
      *error = e.get_description();
      return false;
    }
  }
}

bool Searcher::GetDocumentText(const std::string& accession, int sequence,
                               const std::string& query, DocumentText* out,
                               std::string* error) {
  error->clear();
  for (int attempt = 1;; ++attempt) {
    try {
      Xapian::Database& db = impl_->db;
      std::string term = schema::AccessionTerm(accession);
      if (db.get_termfreq(term) == 0) term = schema::FilingKeyTerm(accession);
      Xapian::docid found = 0;
      StoredDoc s;
      std::string text;
      for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
        StoredDoc candidate;
        std::string blob = db.get_document(*p).get_data();
        StoredText chunks;
        if (!chunks.Parse(blob, &candidate) || candidate.sequence != sequence) continue;
        if (!DecodeStoredDoc(blob, &s, &text)) {
          *error = "document " + std::to_string(sequence) + " has a damaged record";
          return false;
        }
        found = *p;
        out->filing_key = db.get_document(*p).get_value(schema::kSlotFilingKey);
        break;
      }
      if (found == 0) return false;
      out->document = {s.sequence, s.type, s.filename, s.description};
      out->matches = 0;
      out->text = text;
      if (!query.empty() && !text.empty()) {
        // Xapian's own snippet over the whole text marks what the query
        // matches (stems, phrases, expanded wildcards) the way hits do.
        // The ranked words only: a NOT's words are not what was searched for.
        BuiltQuery q = BuildQuery(query);
        Xapian::Enquire enq(db);
        enq.set_query(q.ranking);
        Xapian::MSet mset = enq.get_mset(0, 0);
        out->text = Unescape(mset.snippet(text, text.size() + 1, QueryStemmer(), 0, "\x02",
                                          "\x03", ""));
        for (char c : out->text) out->matches += c == '\x02';
      }
      return true;
    } catch (const QueryError& e) {
      *error = std::string("cannot parse query: ") + e.what();
      return false;
    } catch (const Xapian::WildcardError& e) {
      *error = "a wildcard matches more than " + std::to_string(kMaxWildcardExpansion) +
               " words or values: make the part before * longer";
      return false;
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt == kAttempts) {
        *error = e.get_description();
        return false;
      }
      impl_->db.reopen();
    } catch (const Xapian::Error& e) {
      *error = e.get_description();
      return false;
    }
  }
}

void Searcher::EnableFilingTable() { impl_->filing_table_enabled = true; }

bool Searcher::Refresh(std::string* error) {
  try {
    impl_->db.reopen();
    return true;
  } catch (const Xapian::Error&) {
    // The shards themselves changed (compaction replaced them): start over
    // from the stub.
  }
  std::vector<ShardSpec> shards;
  Xapian::Database fresh;
  std::vector<std::string> warnings;
  if (!ResolveShards(impl_->path, &shards, error) ||
      !OpenShards(shards, impl_->allow_partial, &fresh, &warnings, error)) {
    return false;
  }
  impl_->shards = std::move(shards);
  impl_->db = fresh;
  return true;
}

bool Searcher::GetStats(Stats* out, std::string* error) {
  SearchOptions o;
  o.query = "*";
  o.limit = 0;
  o.facets = true;
  o.snippets = false;
  SearchResult r;
  if (Search(o, &r, error) != SearchError::kNone) return false;
  out->filings = r.total;
  out->by_form = r.facets["form"];
  out->by_year = r.facets["year"];
  try {
    out->documents = impl_->db.get_doccount();
    out->shards = impl_->shards.size();
    for (const ShardSpec& s : impl_->shards) {
      if (s.kind != ShardSpec::kLocal) continue;
      std::string last = Xapian::Database(s.path).get_metadata(schema::kMetaLastRun);
      if (!last.empty()) {
        out->last_run = last;
        break;
      }
    }
    // Remote shards only: every shard records the run, the first answers.
    if (out->last_run.empty()) out->last_run = impl_->db.get_metadata(schema::kMetaLastRun);
  } catch (const Xapian::Error& e) {
    *error = e.get_description();
    return false;
  }
  return true;
}

}  // namespace fidx
