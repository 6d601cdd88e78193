#include "fidx/schema.h"
#include "fidx/strings.h"

#include <cctype>
#include <cstdio>

#include <xapian.h>

namespace fidx {
namespace schema {

namespace {

// Xapian's glass backend refuses terms over 245 bytes; keep a margin.
constexpr size_t kMaxTermBytes = 240;

std::string Canonical(std::string_view s) {
  std::string out;
  bool pending_space = false;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (std::isspace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(static_cast<char>(std::toupper(c)));
  }
  return out;
}


char SepChar() { return '\x1f'; }

void Split(std::string_view s, char sep, std::vector<std::string_view>* out) {
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    out->push_back(s.substr(start, end == std::string_view::npos ? s.npos : end - start));
    if (end == std::string_view::npos) return;
    start = end + 1;
  }
}

}  // namespace

std::string CanonicalForm(std::string_view form) { return Canonical(form); }
std::string CanonicalDocType(std::string_view type) { return Canonical(type); }

std::string CikTerm(uint64_t cik) { return kPrefixCik + std::to_string(cik); }

std::string FormTerm(std::string_view form) {
  return SafeTerm(kPrefixForm + CanonicalForm(form));
}

std::string SicTerm(int sic) { return kPrefixSic + std::to_string(sic); }

std::string DocTypeTerm(std::string_view type) {
  return SafeTerm(kPrefixDocType + CanonicalDocType(type));
}

std::string StateTerm(std::string_view state) {
  return SafeTerm(kPrefixState + Canonical(state));
}

std::string YearTerm(int year) { return kPrefixYear + std::to_string(year); }

std::string ItemTerm(std::string_view item) {
  return SafeTerm(kPrefixItem + Canonical(item));
}

std::string FileNumberTerm(std::string_view file_number) {
  return SafeTerm(kPrefixFileNumber + Canonical(file_number));
}

std::string AccessionTerm(std::string_view accession) {
  return kPrefixAccession + std::string(accession);
}

std::string FilingKeyTerm(std::string_view filing_key) {
  return SafeTerm(kPrefixFilingKey + std::string(filing_key));
}

std::string SourceTerm(std::string_view path) {
  return SafeTerm(kPrefixSource + std::string(path));
}

std::string UniqueTerm(std::string_view filing_key, std::string_view doc_key) {
  std::string t = kPrefixUnique;
  t.append(filing_key);
  t.push_back('/');
  t.append(doc_key);
  return SafeTerm(std::move(t));
}

bool StartsWithLetter(std::string_view word) {
  if (word.empty()) return false;
  unsigned first = *Xapian::Utf8Iterator(word.data(), word.size());
  if (first >= 'a' && first <= 'z') return true;
  if (first < 128) return false;
  switch (Xapian::Unicode::get_category(first)) {
    case Xapian::Unicode::LOWERCASE_LETTER:
    case Xapian::Unicode::TITLECASE_LETTER:
    case Xapian::Unicode::MODIFIER_LETTER:
    case Xapian::Unicode::OTHER_LETTER:
      return true;
    default:
      return false;
  }
}

uint64_t ParseCik(std::string_view s) {
  s = TrimAsciiSpace(s);
  if (s.empty() || s.size() > 19) return 0;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

std::string SafeTerm(std::string term) {
  if (term.size() <= kMaxTermBytes) return term;
  char hash[20];
  std::snprintf(hash, sizeof hash, "#%016llx",
                static_cast<unsigned long long>(Fnv1a64(term)));
  // Cut on a UTF-8 boundary so the term stays valid text.
  size_t cut = kMaxTermBytes - 17;
  while (cut > 0 && (static_cast<unsigned char>(term[cut]) & 0xC0) == 0x80) --cut;
  term.resize(cut);
  term += hash;
  return term;
}

namespace {

void AppendList(const std::vector<std::string>& items, std::string* out) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out->push_back(',');
    *out += items[i];
  }
}

}  // namespace

std::string PackFacets(const Facets& f) {
  // filed \x1f form \x1f ciks \x1f sics \x1f states \x1f locations \x1f
  // types \x1f filing key; lists comma-separated (commas inside a value are
  // dropped: facet values are codes and form types).
  // The filed date leads so that sorting by this slot sorts by date.
  std::string out = f.filed.empty() ? std::string("00000000") : f.filed;
  out.push_back(SepChar());
  out += f.form;
  out.push_back(SepChar());
  for (size_t i = 0; i < f.ciks.size(); ++i) {
    if (i) out.push_back(',');
    out += std::to_string(f.ciks[i]);
  }
  out.push_back(SepChar());
  for (size_t i = 0; i < f.sics.size(); ++i) {
    if (i) out.push_back(',');
    out += std::to_string(f.sics[i]);
  }
  out.push_back(SepChar());
  AppendList(f.states, &out);
  out.push_back(SepChar());
  AppendList(f.locations, &out);
  out.push_back(SepChar());
  AppendList(f.types, &out);
  // Last, so that two filings with equal facets still sort in one order on
  // every layout (one database, local or remote shards) whatever the docids.
  out.push_back(SepChar());
  out += f.filing_key;
  return out;
}

Facets UnpackFacets(std::string_view packed) {
  Facets f;
  std::vector<std::string_view> parts;
  Split(packed, SepChar(), &parts);
  if (parts.size() != kPackedFacetParts) return f;
  if (parts[0] != "00000000") f.filed = std::string(parts[0]);
  f.form = std::string(parts[1]);
  std::vector<std::string_view> items;
  auto list = [&](size_t part) {
    items.clear();
    if (!parts[part].empty()) Split(parts[part], ',', &items);
    return items;
  };
  for (auto s : list(2)) f.ciks.push_back(ParseCik(s));
  for (auto s : list(3)) f.sics.push_back(static_cast<int>(ParseCik(s)));
  for (auto s : list(4)) f.states.emplace_back(s);
  for (auto s : list(5)) f.locations.emplace_back(s);
  for (auto s : list(6)) f.types.emplace_back(s);
  f.filing_key = std::string(parts[7]);
  return f;
}

std::string PackPartyNames(const std::vector<uint64_t>& ciks,
                           const std::vector<std::string>& names) {
  // CIK \x1f name, pairs separated by \x1e.
  std::string out;
  for (size_t i = 0; i < ciks.size() && i < names.size(); ++i) {
    if (i) out.push_back('\x1e');
    out += std::to_string(ciks[i]) + '\x1f' + names[i];
  }
  return out;
}

std::string PartyName(std::string_view packed, uint64_t cik) {
  const std::string want = std::to_string(cik) + '\x1f';
  size_t at = 0;
  while (at < packed.size()) {
    size_t end = packed.find('\x1e', at);
    if (end == std::string_view::npos) end = packed.size();
    if (packed.compare(at, want.size(), want) == 0) {
      return std::string(packed.substr(at + want.size(), end - at - want.size()));
    }
    at = end + 1;
  }
  return "";
}

std::string SchemaMismatch(const std::string& where, const std::string& version) {
  if (version.empty() || version == std::to_string(kSchemaVersion)) return "";
  return where + " was written by an incompatible fidx (schema " + version + ", this fidx " +
         std::to_string(kSchemaVersion) + "); remove the index and add the files again";
}

}  // namespace schema
}  // namespace fidx
