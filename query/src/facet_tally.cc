#include "facet_tally.h"

#include "fidx/schema.h"

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

}  // namespace

void FacetTally::Count(Field field, std::string_view value) {
  if (value.empty()) return;
  auto& counts = counts_[field];
  auto it = counts.find(value);
  if (it == counts.end()) {
    names_.emplace_back(value);
    it = counts.emplace(names_.back(), 0).first;
  }
  ++it->second;
}

void FacetTally::Add(std::string_view packed) {
  // filed \x1f form \x1f ciks \x1f sics \x1f states \x1f filing key
  // (schema::PackFacets(); schema_test checks the round trip).
  std::string_view parts[6];
  size_t n = 0;
  while (n < 5) {
    size_t sep = packed.find('\x1f');
    if (sep == std::string_view::npos) break;
    parts[n++] = packed.substr(0, sep);
    packed.remove_prefix(sep + 1);
  }
  if (n != 5) return;  // not a packed value: counts nothing, like UnpackFacets()
  if (parts[0].size() == 8 && parts[0] != "00000000") Count(kYear, parts[0].substr(0, 4));
  Count(kForm, parts[1]);
  ForEachItem(parts[2], [this](std::string_view cik) { Count(kCik, cik); });
  ForEachItem(parts[3], [this](std::string_view sic) { Count(kSic, sic); });
  ForEachItem(parts[4], [this](std::string_view st) { Count(kState, st); });
}

void FacetTally::Finish(FacetCounts* out) const {
  static const char* const kNames[kFields] = {"form", "cik", "sic", "year", "state"};
  for (int f = 0; f < kFields; ++f) {
    if (counts_[f].empty()) continue;
    auto& dest = (*out)[kNames[f]];
    for (const auto& [value, n] : counts_[f]) dest[std::string(value)] += n;
  }
}

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  // Every document of a filing carries the same packed value, ending with
  // the filing key: one string identifies the filing and holds its facets.
  std::string packed = doc.get_value(schema::kSlotFacets);
  if (packed == last_) return;
  if (!seen_.insert(packed).second) return;
  tally_.Add(packed);
  last_ = std::move(packed);
}

}  // namespace fidx
