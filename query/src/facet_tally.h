// Exact per-filing counts: how many filings match, and how many of them
// carry each facet value. Each matching filing is counted once, from its
// packed facet value (schema::PackFacets()), by one of two collectors:
//
//   * FacetSpy, a Xapian::MatchSpy that sees every matching document while
//     a counting match runs (checkatleast = all, no sort, no collapse) and
//     counts each filing once by its filing key. Match spies run in the
//     searching process, so this is for local shards only: a stock
//     xapian-tcpsrv cannot run a spy it does not know.
//   * FacetTally::Add() on the sort keys of a full collapsed MSet (one item
//     per filing), which works through the remote backend too.

#ifndef FIDX_QUERY_FACET_TALLY_H_
#define FIDX_QUERY_FACET_TALLY_H_

#include <xapian.h>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fidx/search.h"
#include "filing_table.h"

namespace fidx {

// Counts per 64-bit key in one flat open-addressed array: no allocation per
// key and one cache line per lookup, where a node-based map costs a malloc
// per new value and a pointer chase per lookup (100,000 filings' CIKs).
class FlatCounter {
 public:
  // `key` must not be 0.
  void Add(uint64_t key);
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (const auto& [key, n] : slots_) {
      if (key != 0) fn(key, n);
    }
  }

 private:
  void Grow();
  std::vector<std::pair<uint64_t, uint64_t>> slots_;  // (key, count); key 0 = empty
  size_t used_ = 0;
};

// Counts per string, the strings kept in one arena: the documents seen of
// each filing key, the filings of each form, state or document type.
class StringCounts {
 public:
  // The count for `s`, which starts at 0 when `s` is new (*added = true).
  uint64_t* Insert(std::string_view s, bool* added);
  // The count for `s`, or nullptr.
  const uint64_t* Find(std::string_view s) const;
  size_t size() const { return used_; }
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (const Slot& slot : slots_) {
      if (slot.key.data() != nullptr) fn(slot.key, slot.count);
    }
  }

 private:
  struct Slot {
    std::string_view key;  // points into arena_; data() == nullptr: empty
    uint64_t count = 0;
  };
  size_t Probe(std::string_view s) const;  // s's slot, or the empty one for it
  void Grow();
  std::vector<Slot> slots_;
  std::deque<std::string> arena_;  // blocks, never reallocated
  size_t used_ = 0;
};

// The facets counted per filing. Categories are not among them: they
// follow from forms (AddCategories()).
enum FacetField { kForm, kCik, kSic, kYear, kState, kLocation, kType, kFacetFields };

// Adds each form's categories (schema::FormCategories()) to out["category"]
// from out["form"]: once per distinct form rather than once per filing.
void AddCategories(FacetCounts* out);

class FacetTally {
 public:
  // Counts one filing. `packed` need not outlive the call.
  void Add(std::string_view packed);
  // Adds the counts to *out, without categories.
  void AddValues(FacetCounts* out) const;
  // AddValues(), then AddCategories().
  void Finish(FacetCounts* out) const;

 private:
  void Count(FacetField field, std::string_view value);

  // Digit strings (CIKs, SICs, years): a FlatCounter keyed by value and
  // length, so that the text comes back exactly as it was.
  FlatCounter numbers_[kFacetFields];
  // Anything else (forms, states, types): counting a value already seen
  // allocates nothing.
  StringCounts words_[kFacetFields];
};

// Each filing's facet values as small numbers (codes), learnt from its
// packed value the first time the filing is counted, for a long-lived
// searcher with a FilingTable: counting a filing it has seen before is a
// few array increments, with no value read and no string hashed. Belongs to
// one table (filing numbers are the table's) and one thread at a time.
class FacetCodes {
 public:
  explicit FacetCodes(uint32_t filings) : at_(filings, kUnknown) {}

  // Per code, how many filings carry it.
  using Counts = std::vector<uint32_t>;

  bool Known(uint32_t filing) const { return at_[filing] != kUnknown; }
  // Learns filing `filing`'s codes from its packed facets.
  void Learn(uint32_t filing, std::string_view packed);
  // REQUIRES: Known(filing).
  void Count(uint32_t filing, Counts* counts) const {
    const uint32_t at = at_[filing];
    const uint32_t n = codes_[at];
    if (counts->size() < values_.size()) counts->resize(values_.size(), 0);
    for (uint32_t i = at + 1; i <= at + n; ++i) ++(*counts)[codes_[i]];
  }
  // Adds `counts` to *out, without categories.
  void AddValues(const Counts& counts, FacetCounts* out) const;

 private:
  static constexpr uint32_t kUnknown = UINT32_MAX;
  std::vector<uint32_t> at_;     // by filing: index of its count in codes_
  std::vector<uint32_t> codes_;  // per filing: a count, then that many codes
  std::unordered_map<std::string, uint32_t> code_of_[kFacetFields];
  std::vector<std::pair<FacetField, std::string>> values_;  // by code
};

// The facet value of a filing that has none for a facet, so that a facet's
// counts add up to the total.
inline constexpr char kUnknownFacet[] = "(unknown)";

class FacetSpy : public Xapian::MatchSpy {
 public:
  // With `facets` false the spy only counts filings. With `first_only` the
  // query matches only filings' first documents (kTermFirstDocument), so
  // two documents with one filing key are always two copies.
  // With `table` (may be null) the spy counts filings by number
  // (filing_table.h): without facets it reads no value, with facets one
  // value per filing instead of one per document.
  // With `codes` too (may be null; of the same table) facets are counted
  // by code, and a filing whose codes are known reads no value at all.
  FacetSpy(bool facets, bool first_only, const FilingTable* table = nullptr,
           FacetCodes* codes = nullptr)
      : facets_(facets), first_only_(first_only), table_(table), codes_(table ? codes : nullptr) {}
  void operator()(const Xapian::Document& doc, double weight) override;
  // As operator() for document `did` of `db`, read from a posting list
  // outside a match: with a table, reads nothing for a filing already seen
  // or whose facet codes are known.
  void CountPosting(const Xapian::Database& db, Xapian::docid did);
  std::string name() const override { return "fidx::FacetSpy"; }

  uint64_t filings() const { return seen_.size() + numbered_; }
  // True when a filing key came back: with `first_only`, a filing indexed
  // from two files (copies); otherwise also documents of one filing that
  // were not next to each other (as on several shards).
  bool saw_repeats() const { return repeats_; }
  // Adds the facet counts to *out, categories included.
  void Finish(FacetCounts* out) const;
  // Matching documents with this filing key (0 if none).
  uint64_t documents(std::string_view filing_key) const;

 private:
  // Counts a document of filing number `f`; true if it is the filing's
  // first.
  bool CountNumber(uint32_t f);
  // Counts a document of filing number `f`, and the filing's facets if it
  // is its first; facets() returns its packed facets when they are needed.
  template <typename Facets>
  void CountFiling(uint32_t f, Facets facets);
  // Counts a document the table does not number, by its filing key.
  void CountByKey(const Xapian::Document& doc);

  bool facets_;
  bool first_only_;
  const FilingTable* table_;
  std::vector<uint32_t> by_number_;  // matching documents per filing number
  uint64_t numbered_ = 0;            // filings counted by number
  uint32_t last_number_ = UINT32_MAX;
  std::string last_;          // a filing's documents mostly come in a row
  uint64_t* last_count_ = nullptr;
  StringCounts seen_;         // filing key -> matching documents
  bool repeats_ = false;
  FacetTally tally_;
  FacetCodes* codes_;
  FacetCodes::Counts code_counts_;
};

}  // namespace fidx

#endif  // FIDX_QUERY_FACET_TALLY_H_
