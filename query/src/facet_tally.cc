#include "facet_tally.h"

#include <algorithm>
#include <string>

#include "fidx/schema.h"
#include "fidx/strings.h"

namespace fidx {

namespace {

// Calls fn(item) for each comma-separated item of `list`.
template <typename Fn>
void ForEachItem(std::string_view list, Fn fn) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    fn(list.substr(0, comma));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

size_t Mix(uint64_t h) { return static_cast<size_t>((h * 0x9E3779B97F4A7C15ULL) >> 20); }

// Digit strings of up to this many characters count as numbers.
constexpr size_t kMaxDigits = 16;

// value * 32 + length: distinct for distinct digit strings ("0100" and
// "100" too) and never 0. 0 if `s` is not such a string.
uint64_t NumberKey(std::string_view s) {
  if (s.empty() || s.size() > kMaxDigits) return 0;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v * 32 + s.size();
}

std::string NumberText(uint64_t key) {
  std::string digits = std::to_string(key / 32);
  size_t len = key % 32;
  return std::string(len > digits.size() ? len - digits.size() : 0, '0') + digits;
}

uint64_t StringHash(std::string_view s) { return MemoryHash64(s); }

}  // namespace

void FlatCounter::Add(uint64_t key) {
  if ((used_ + 1) * 2 > slots_.size()) Grow();
  size_t mask = slots_.size() - 1;
  for (size_t i = Mix(key) & mask;; i = (i + 1) & mask) {
    auto& slot = slots_[i];
    if (slot.first == key) {
      ++slot.second;
      return;
    }
    if (slot.first == 0) {
      slot = {key, 1};
      ++used_;
      return;
    }
  }
}

void FlatCounter::Grow() {
  std::vector<std::pair<uint64_t, uint64_t>> old;
  old.swap(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, {0, 0});
  size_t mask = slots_.size() - 1;
  for (const auto& slot : old) {
    if (slot.first == 0) continue;
    size_t i = Mix(slot.first) & mask;
    while (slots_[i].first != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

size_t StringCounts::Probe(std::string_view s) const {
  size_t mask = slots_.size() - 1;
  size_t i = Mix(StringHash(s)) & mask;
  while (slots_[i].key.data() != nullptr && slots_[i].key != s) i = (i + 1) & mask;
  return i;
}

const uint64_t* StringCounts::Find(std::string_view s) const {
  if (slots_.empty()) return nullptr;
  const Slot& slot = slots_[Probe(s)];
  return slot.key.data() ? &slot.count : nullptr;
}

uint64_t* StringCounts::Insert(std::string_view s, bool* added) {
  if ((used_ + 1) * 2 > slots_.size()) Grow();
  Slot& slot = slots_[Probe(s)];
  *added = slot.key.data() == nullptr;
  if (!*added) return &slot.count;
  // Copy into the arena: blocks are never reallocated, so views stay valid.
  constexpr size_t kBlock = 64 * 1024;
  if (arena_.empty() || arena_.back().capacity() - arena_.back().size() < s.size() + 1) {
    arena_.emplace_back();
    arena_.back().reserve(std::max(kBlock, s.size() + 1));
  }
  std::string& block = arena_.back();
  size_t at = block.size();
  block.append(s.data(), s.size());
  block.push_back('\0');  // so that even an empty key has a non-null data()
  slot.key = std::string_view(block.data() + at, s.size());
  slot.count = 0;
  ++used_;
  return &slot.count;
}

void StringCounts::Grow() {
  std::vector<Slot> old;
  old.swap(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot());
  for (const Slot& slot : old) {
    if (slot.key.data() != nullptr) slots_[Probe(slot.key)] = slot;
  }
}

namespace {

// Calls fn(field, value) for each value a filing with packed facets
// `packed` (schema::PackFacets()) is counted under, "(unknown)" where it has
// none; false, calling nothing, if `packed` is not a packed value.
template <typename Fn>
bool ForEachFacetValue(std::string_view packed, Fn fn) {
  // filed \x1f form \x1f ciks \x1f sics \x1f states \x1f locations \x1f
  // types \x1f filing key (schema::PackFacets(); schema_test checks the
  // round trip).
  constexpr size_t kParts = schema::kPackedFacetParts;
  std::string_view parts[kParts];
  size_t n = 0;
  while (n < kParts - 1) {
    size_t sep = packed.find('\x1f');
    if (sep == std::string_view::npos) break;
    parts[n++] = packed.substr(0, sep);
    packed.remove_prefix(sep + 1);
  }
  if (n != kParts - 1) return false;  // counts nothing, like UnpackFacets()
  if (parts[0].size() == 8 && parts[0] != "00000000") {
    fn(kYear, parts[0].substr(0, 4));
  } else {
    fn(kYear, kUnknownFacet);
  }
  const std::string_view form = parts[1];
  fn(kForm, form.empty() ? std::string_view(kUnknownFacet) : form);
  // Each item of a comma-separated list, or "(unknown)" if it is empty.
  auto list = [&fn](FacetField field, std::string_view items) {
    if (items.empty()) {
      fn(field, kUnknownFacet);
      return;
    }
    ForEachItem(items, [&](std::string_view v) {
      if (!v.empty()) fn(field, v);
    });
  };
  list(kCik, parts[2]);
  list(kSic, parts[3]);
  list(kState, parts[4]);
  list(kLocation, parts[5]);
  list(kType, parts[6]);
  return true;
}

const char* const kFieldNames[kFacetFields] = {"form",  "cik",      "sic", "year",
                                               "state", "location", "type"};

}  // namespace

void AddCategories(FacetCounts* out) {
  auto forms = out->find("form");
  if (forms == out->end()) return;
  std::map<std::string, uint64_t>& categories = (*out)["category"];
  for (const auto& [form, n] : forms->second) {
    if (form == kUnknownFacet) {
      categories[kUnknownFacet] += n;
      continue;
    }
    std::vector<std::string> cats = schema::FormCategories(form);
    if (cats.empty()) cats.push_back("(other)");
    for (const std::string& c : cats) categories[c] += n;
  }
}

void FacetTally::Count(FacetField field, std::string_view value) {
  if (uint64_t key = NumberKey(value)) {
    numbers_[field].Add(key);
    return;
  }
  bool added = false;
  ++*words_[field].Insert(value, &added);
}

void FacetTally::Add(std::string_view packed) {
  ForEachFacetValue(packed, [this](FacetField f, std::string_view v) { Count(f, v); });
}

void FacetTally::AddValues(FacetCounts* out) const {
  for (int f = 0; f < kFacetFields; ++f) {
    std::map<std::string, uint64_t>* dest = nullptr;
    auto add = [&](std::string value, uint64_t n) {
      if (!dest) dest = &(*out)[kFieldNames[f]];
      (*dest)[std::move(value)] += n;
    };
    numbers_[f].ForEach([&](uint64_t key, uint64_t n) { add(NumberText(key), n); });
    words_[f].ForEach([&](std::string_view value, uint64_t n) { add(std::string(value), n); });
  }
}

void FacetTally::Finish(FacetCounts* out) const {
  AddValues(out);
  AddCategories(out);
}

void FacetCodes::Learn(uint32_t filing, std::string_view packed) {
  const size_t at = codes_.size();
  codes_.push_back(0);
  ForEachFacetValue(packed, [&](FacetField f, std::string_view v) {
    auto [it, added] = code_of_[f].try_emplace(std::string(v), 0);
    if (added) {
      it->second = static_cast<uint32_t>(values_.size());
      values_.emplace_back(f, it->first);
    }
    codes_.push_back(it->second);
    ++codes_[at];
  });
  at_[filing] = static_cast<uint32_t>(at);
}

void FacetCodes::AddValues(const Counts& counts, FacetCounts* out) const {
  std::map<std::string, uint64_t>* dest[kFacetFields] = {};
  for (size_t code = 0; code < counts.size(); ++code) {
    if (counts[code] == 0) continue;
    const auto& [f, value] = values_[code];
    if (!dest[f]) dest[f] = &(*out)[kFieldNames[f]];
    (*dest[f])[value] += counts[code];
  }
}

uint64_t FacetSpy::documents(std::string_view filing_key) const {
  if (table_ && !by_number_.empty()) {
    uint32_t f = table_->Find(std::string(filing_key));
    if (f != FilingTable::kNone && by_number_[f] > 0) return by_number_[f];
  }
  const uint64_t* n = seen_.Find(filing_key);
  return n ? *n : 0;
}

bool FacetSpy::CountNumber(uint32_t f) {
  if (by_number_.empty()) by_number_.assign(table_->filings(), 0);
  uint32_t& n = by_number_[f];
  if (n > 0 && (first_only_ || f != last_number_)) repeats_ = true;
  bool first = n == 0;
  if (first) ++numbered_;
  ++n;
  last_number_ = f;
  return first;
}

template <typename Facets>
void FacetSpy::CountFiling(uint32_t f, Facets facets) {
  if (!CountNumber(f) || !facets_) return;
  if (!codes_) {
    tally_.Add(facets());
    return;
  }
  if (!codes_->Known(f)) codes_->Learn(f, facets());
  codes_->Count(f, &code_counts_);
}

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  if (table_) {
    // By number: no value read but, with facets, the packed facets of each
    // filing's first matching document (none once its codes are known). A
    // document the table does not know (it cannot: the table is of this
    // revision) is counted by its key, through the table's number when the
    // filing has one.
    uint32_t f = table_->Of(doc.get_docid());
    if (f == FilingTable::kNone) f = table_->Find(doc.get_value(schema::kSlotFilingKey));
    if (f != FilingTable::kNone) {
      CountFiling(f, [&doc] { return doc.get_value(schema::kSlotFacets); });
      return;
    }
  }
  CountByKey(doc);
}

void FacetSpy::CountPosting(const Xapian::Database& db, Xapian::docid did) {
  const uint32_t f = table_ ? table_->Of(did) : FilingTable::kNone;
  if (f == FilingTable::kNone) {
    (*this)(db.get_document(did), 0);
    return;
  }
  CountFiling(f, [&db, did] {
    return db.get_document(did, Xapian::DOC_ASSUME_VALID).get_value(schema::kSlotFacets);
  });
}

void FacetSpy::CountByKey(const Xapian::Document& doc) {
  // Every document of a filing carries the same packed value, ending with
  // the filing key: one string identifies the filing and holds its facets.
  // Without facets the bare filing key (a quarter of the size: values are
  // read in blocks, and a common word's documents touch most of them).
  std::string value = doc.get_value(facets_ ? schema::kSlotFacets : schema::kSlotFilingKey);
  if (!first_only_ && last_count_ && value == last_) {
    ++*last_count_;
    return;
  }
  std::string_view key = value;
  if (facets_) {
    size_t sep = value.rfind('\x1f');
    if (sep != std::string::npos) key.remove_prefix(sep + 1);
  }
  bool added = false;
  last_count_ = seen_.Insert(key, &added);
  ++*last_count_;
  if (!added) {
    repeats_ = true;
  } else if (facets_) {
    tally_.Add(value);
  }
  last_ = std::move(value);
}

void FacetSpy::Finish(FacetCounts* out) const {
  tally_.AddValues(out);
  if (codes_) codes_->AddValues(code_counts_, out);
  AddCategories(out);
}

}  // namespace fidx
