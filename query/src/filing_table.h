// Every document's filing, in memory, for a long-lived searcher (a server's):
// docid -> filing number, and each filing's key and key hash. Counting the
// filings of a common word otherwise reads the filing-key value of every
// matching document (a quarter of a server's CPU at 100,000 filings, see
// docs/benchmarks.md); with the table a spy looks up a number by docid.
//
// Built from the filing-key value stream of one local database, once per
// revision (tens of milliseconds at 100,000 filings), so a process that
// runs one search (the CLI) never builds it.

#ifndef FIDX_QUERY_FILING_TABLE_H_
#define FIDX_QUERY_FILING_TABLE_H_

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace fidx {

class FilingTable {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // The table of `db` (one database, not a combination of shards), or null
  // if it holds more documents than a table is kept for.
  static std::unique_ptr<FilingTable> Build(const Xapian::Database& db);

  // The filing number of document `did`; kNone if the table does not know it.
  uint32_t Of(Xapian::docid did) const {
    return did < filing_of_.size() ? filing_of_[did] : kNone;
  }
  // REQUIRES: filing < filings().
  const std::string& Key(uint32_t filing) const { return *keys_[filing]; }
  // MemoryHash64() of the key (what filing sets hold).
  uint64_t Hash(uint32_t filing) const { return hashes_[filing]; }
  // The number of `key`, or kNone.
  uint32_t Find(const std::string& key) const;
  // Filings in the order of their hashes: Rank() is a filing's place in it,
  // HashAtRank() the hash at a place. A set of filings kept as a bitmap of
  // ranks reads out as sorted hashes (what filing sets are) with no sort.
  uint32_t Rank(uint32_t filing) const { return ranks_[filing]; }
  uint64_t HashAtRank(uint32_t rank) const { return sorted_hashes_[rank]; }
  uint32_t filings() const { return static_cast<uint32_t>(keys_.size()); }
  Xapian::rev revision() const { return revision_; }

 private:
  std::vector<uint32_t> filing_of_;        // by docid
  std::unordered_map<std::string, uint32_t> numbers_;  // key -> number
  std::vector<const std::string*> keys_;   // by number: keys of numbers_
  std::vector<uint64_t> hashes_;           // by number
  std::vector<uint32_t> ranks_;            // by number: place in hash order
  std::vector<uint64_t> sorted_hashes_;    // by rank
  Xapian::rev revision_ = 0;
};

}  // namespace fidx

#endif  // FIDX_QUERY_FILING_TABLE_H_
