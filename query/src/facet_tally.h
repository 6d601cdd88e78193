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

class FacetTally {
 public:
  // Counts one filing. `packed` need not outlive the call.
  void Add(std::string_view packed);
  // Adds the counts to *out.
  void Finish(FacetCounts* out) const;

 private:
  // Categories are not counted per filing: Finish() derives them from forms.
  enum Field { kForm, kCik, kSic, kYear, kState, kLocation, kType, kFields };
  void Count(Field field, std::string_view value);
  // Counts each item of a comma-separated list, or "(unknown)" if empty.
  void CountList(Field field, std::string_view list);

  // Digit strings (CIKs, SICs, years): a FlatCounter keyed by value and
  // length, so that the text comes back exactly as it was.
  FlatCounter numbers_[kFields];
  // Anything else (forms, states, types): counting a value already seen
  // allocates nothing.
  StringCounts words_[kFields];
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
  FacetSpy(bool facets, bool first_only, const FilingTable* table = nullptr)
      : facets_(facets), first_only_(first_only), table_(table) {}
  void operator()(const Xapian::Document& doc, double weight) override;
  std::string name() const override { return "fidx::FacetSpy"; }

  uint64_t filings() const { return seen_.size() + numbered_; }
  // True when a filing key came back: with `first_only`, a filing indexed
  // from two files (copies); otherwise also documents of one filing that
  // were not next to each other (as on several shards).
  bool saw_repeats() const { return repeats_; }
  const FacetTally& tally() const { return tally_; }
  // Matching documents with this filing key (0 if none).
  uint64_t documents(std::string_view filing_key) const;

 private:
  // Counts a document of filing number `f`; true if it is the filing's
  // first.
  bool CountNumber(uint32_t f);

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
};

}  // namespace fidx

#endif  // FIDX_QUERY_FACET_TALLY_H_
