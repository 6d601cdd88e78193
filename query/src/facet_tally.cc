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

void FacetTally::Count(Field field, std::string_view value) {
  if (value.empty()) return;
  if (uint64_t key = NumberKey(value)) {
    numbers_[field].Add(key);
    return;
  }
  bool added = false;
  ++*words_[field].Insert(value, &added);
}

void FacetTally::CountList(Field field, std::string_view list) {
  if (list.empty()) {
    Count(field, kUnknownFacet);
    return;
  }
  ForEachItem(list, [this, field](std::string_view v) { Count(field, v); });
}

void FacetTally::Add(std::string_view packed) {
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
  if (n != kParts - 1) return;  // not a packed value: counts nothing, like UnpackFacets()
  if (parts[0].size() == 8 && parts[0] != "00000000") {
    Count(kYear, parts[0].substr(0, 4));
  } else {
    Count(kYear, kUnknownFacet);
  }
  const std::string_view form = parts[1];
  Count(kForm, form.empty() ? std::string_view(kUnknownFacet) : form);
  CountList(kCik, parts[2]);
  CountList(kSic, parts[3]);
  CountList(kState, parts[4]);
  CountList(kLocation, parts[5]);
  CountList(kType, parts[6]);
}

void FacetTally::Finish(FacetCounts* out) const {
  static const char* const kNames[kFields] = {"form",  "cik",      "sic", "year",
                                              "state", "location", "type"};
  for (int f = 0; f < kFields; ++f) {
    std::map<std::string, uint64_t>* dest = nullptr;
    auto add = [&](std::string value, uint64_t n) {
      if (!dest) dest = &(*out)[kNames[f]];
      (*dest)[std::move(value)] += n;
    };
    numbers_[f].ForEach([&](uint64_t key, uint64_t n) { add(NumberText(key), n); });
    words_[f].ForEach([&](std::string_view value, uint64_t n) { add(std::string(value), n); });
  }
  // A filing's categories follow from its form: counted from the form
  // counts, once per distinct form rather than once per filing.
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

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  if (table_) {
    // By number: no value read but, with facets, the packed facets of each
    // filing's first matching document. A document the table does not know (it
    // cannot: the table is of this revision) is counted by its key below,
    // through the table's number when the filing has one.
    uint32_t f = table_->Of(doc.get_docid());
    if (f == FilingTable::kNone) f = table_->Find(doc.get_value(schema::kSlotFilingKey));
    if (f != FilingTable::kNone) {
      if (CountNumber(f) && facets_) tally_.Add(doc.get_value(schema::kSlotFacets));
      return;
    }
  }
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

}  // namespace fidx
