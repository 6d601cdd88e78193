#include "filing_table.h"

#include "fidx/schema.h"
#include "fidx/strings.h"

#include <algorithm>
#include <numeric>

namespace fidx {

namespace {

// 4 bytes a document: 80 MB at this many.
constexpr Xapian::docid kMaxDocuments = 20'000'000;

}  // namespace

std::unique_ptr<FilingTable> FilingTable::Build(const Xapian::Database& db) {
  Xapian::docid last = db.get_lastdocid();
  if (last > kMaxDocuments) return nullptr;
  auto t = std::make_unique<FilingTable>();
  t->revision_ = db.get_revision();
  t->filing_of_.assign(static_cast<size_t>(last) + 1, kNone);
  t->numbers_.reserve(db.get_doccount());
  for (Xapian::ValueIterator it = db.valuestream_begin(schema::kSlotFilingKey);
       it != db.valuestream_end(schema::kSlotFilingKey); ++it) {
    auto [at, added] = t->numbers_.try_emplace(*it, static_cast<uint32_t>(t->keys_.size()));
    if (added) {
      t->keys_.push_back(&at->first);
      t->hashes_.push_back(MemoryHash64(at->first));
    }
    t->filing_of_[it.get_docid()] = at->second;
  }
  std::vector<uint32_t> order(t->hashes_.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return t->hashes_[a] < t->hashes_[b]; });
  t->ranks_.resize(order.size());
  t->sorted_hashes_.resize(order.size());
  for (uint32_t r = 0; r < order.size(); ++r) {
    t->ranks_[order[r]] = r;
    t->sorted_hashes_[r] = t->hashes_[order[r]];
  }
  return t;
}

uint32_t FilingTable::Find(const std::string& key) const {
  auto it = numbers_.find(key);
  return it == numbers_.end() ? kNone : it->second;
}

}  // namespace fidx
