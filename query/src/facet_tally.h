// Exact per-filing facet counts. Each matching filing is counted once, from
// its packed facet value (schema::PackFacets()), by one of two collectors:
//
//   * FacetSpy, a Xapian::MatchSpy that sees every matching document while
//     the match runs and counts each filing's first one. The MSet then holds
//     only the page. Match spies run in the searching process, so this is
//     for local shards only: a stock xapian-tcpsrv cannot run a spy it does
//     not know.
//   * Tally() on the sort keys of a full collapsed MSet (one item per
//     filing), which works through the remote backend too.

#ifndef FIDX_QUERY_FACET_TALLY_H_
#define FIDX_QUERY_FACET_TALLY_H_

#include <xapian.h>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "fidx/search.h"

namespace fidx {

class FacetTally {
 public:
  // Counts one filing. `packed` need not outlive the call.
  void Add(std::string_view packed);
  // Adds the counts to *out.
  void Finish(FacetCounts* out) const;

 private:
  enum Field { kForm, kCik, kSic, kYear, kState, kFields };
  void Count(Field field, std::string_view value);

  // Keys point into `names_` (stable addresses), so that counting a value
  // already seen allocates nothing.
  std::unordered_map<std::string_view, uint64_t> counts_[kFields];
  std::deque<std::string> names_;
};

class FacetSpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double weight) override;
  std::string name() const override { return "fidx::FacetSpy"; }

  uint64_t filings() const { return seen_.size(); }
  const FacetTally& tally() const { return tally_; }

 private:
  std::string last_;  // a filing's documents mostly come in a row
  std::unordered_set<std::string> seen_;
  FacetTally tally_;
};

}  // namespace fidx

#endif  // FIDX_QUERY_FACET_TALLY_H_
