// The field table of the query language (schema.h): what each field is
// called, how its terms are spelt, and where a filing's values come from.

#include <algorithm>
#include <cctype>

#include "fidx/edgar_items.h"
#include "fidx/parser.h"
#include "fidx/schema.h"

namespace fidx {
namespace schema {

namespace {

using Values = std::vector<std::string>;

void AddUnique(std::string v, Values* out) {
  if (v.empty()) return;
  if (std::find(out->begin(), out->end(), v) == out->end()) out->push_back(std::move(v));
}

std::string Cik(std::string_view v) {
  uint64_t cik = ParseCik(v);
  return cik ? CikTerm(cik) : std::string();
}
void CikValues(const Filing& f, const Document&, Values* out) {
  for (const Party& p : f.parties) {
    if (p.cik) AddUnique(std::to_string(p.cik), out);
  }
}

std::string Form(std::string_view v) { return CanonicalForm(v).empty() ? "" : FormTerm(v); }
void FormValues(const Filing& f, const Document&, Values* out) { AddUnique(f.form, out); }

std::string CategoryValue(std::string_view v) {
  std::string c;
  for (char ch : v) c.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  for (const auto& cat : Categories()) {
    if (c == cat.name) return CategoryTerm(c);
  }
  return "";
}
void CategoryValues(const Filing& f, const Document&, Values* out) {
  for (std::string& c : FormCategories(f.form)) AddUnique(std::move(c), out);
}

std::string Sic(std::string_view v) {
  uint64_t sic = ParseCik(v);
  return sic && sic < 10000 ? SicTerm(static_cast<int>(sic)) : std::string();
}
void SicValues(const Filing& f, const Document&, Values* out) {
  for (const Party& p : f.parties) {
    if (p.sic) AddUnique(std::to_string(p.sic), out);
  }
}

// Two-character EDGAR state and country codes (CA, DE, E9 ...).
bool IsStateCode(std::string_view v) {
  std::string c = CanonicalForm(v);
  return c.size() == 2 && std::isalnum(static_cast<unsigned char>(c[0])) &&
         std::isalnum(static_cast<unsigned char>(c[1]));
}
std::string State(std::string_view v) { return IsStateCode(v) ? StateTerm(v) : ""; }
void StateValues(const Filing& f, const Document&, Values* out) {
  for (const Party& p : f.parties) AddUnique(CanonicalForm(p.state_of_incorporation), out);
}
std::string Location(std::string_view v) { return IsStateCode(v) ? LocationTerm(v) : ""; }
void LocationValues(const Filing& f, const Document&, Values* out) {
  for (const Party& p : f.parties) AddUnique(CanonicalForm(p.business_address.state), out);
}

std::string Item(std::string_view v) {
  if (CanonicalForm(v).empty()) return "";
  std::string number = EightKItemNumber(v);
  return ItemTerm(number.empty() ? v : std::string_view(number));
}
void ItemValues(const Filing& f, const Document&, Values* out) {
  for (const std::string& item : f.items) {
    AddUnique(item, out);
    AddUnique(EightKItemNumber(item), out);
  }
}

std::string FileNumber(std::string_view v) {
  return CanonicalForm(v).empty() ? "" : FileNumberTerm(v);
}
void FileNumberValues(const Filing& f, const Document&, Values* out) {
  for (const Party& p : f.parties) {
    for (const std::string& n : p.file_numbers) AddUnique(n, out);
  }
}

std::string Accession(std::string_view v) {
  std::string acc = NormalizeAccession(v);
  return acc.empty() ? "" : AccessionTerm(acc);
}
void AccessionValues(const Filing& f, const Document&, Values* out) {
  AddUnique(f.accession, out);
}

std::string DocType(std::string_view v) {
  return CanonicalDocType(v).empty() ? "" : DocTypeTerm(v);
}
void DocTypeValues(const Filing&, const Document& d, Values* out) { AddUnique(d.type, out); }

void YearValues(const Filing& f, const Document&, Values* out) {
  if (f.filed.size() >= 4 && std::all_of(f.filed.begin(), f.filed.begin() + 4,
                                         [](char c) { return c >= '0' && c <= '9'; })) {
    out->push_back(f.filed.substr(0, 4));
  }
}
std::string Year(std::string_view v) {
  if (v.size() != 4 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "";
  }
  return kPrefixYear + std::string(v);
}

constexpr unsigned kNoSlot = ~0u;

}  // namespace

std::string CategoryTerm(std::string_view category) {
  return kPrefixCategory + std::string(category);
}

std::string LocationTerm(std::string_view state) {
  return SafeTerm(kPrefixLocation + CanonicalForm(state));
}

const std::vector<Field>& Fields() {
  static const std::vector<Field> fields = {
      {"cik", FieldKind::kTerm, FieldLevel::kFiling, kPrefixCik, kNoSlot,
       "a CIK like 1279704 or 0001279704", Cik, CikValues},
      {"form", FieldKind::kTerm, FieldLevel::kFiling, kPrefixForm, kNoSlot,
       "a form type like 10-K, 8-K/A or \"DEF 14A\" (10-K* for its variants)", Form, FormValues},
      {"category", FieldKind::kTerm, FieldLevel::kFiling, kPrefixCategory, kNoSlot,
       "a form group: periodic, insider, ownership, exempt, registration, correspondence, "
       "orders, proxy, tender, indenture",
       CategoryValue, CategoryValues},
      {"sic", FieldKind::kTerm, FieldLevel::kFiling, kPrefixSic, kNoSlot,
       "a 4-digit SIC code like 2834", Sic, SicValues},
      {"state", FieldKind::kTerm, FieldLevel::kFiling, kPrefixState, kNoSlot,
       "a 2-character EDGAR state or country code like DE or E9 (state of incorporation)",
       State, StateValues},
      {"location", FieldKind::kTerm, FieldLevel::kFiling, kPrefixLocation, kNoSlot,
       "a 2-character EDGAR state or country code like CA or E9 (business address)",
       Location, LocationValues},
      {"item", FieldKind::kTerm, FieldLevel::kFiling, kPrefixItem, kNoSlot,
       "an 8-K item number like 2.02 or its title in quotes", Item, ItemValues},
      {"file", FieldKind::kTerm, FieldLevel::kFiling, kPrefixFileNumber, kNoSlot,
       "an SEC file number like 001-36598", FileNumber, FileNumberValues},
      {"accession", FieldKind::kTerm, FieldLevel::kFiling, kPrefixAccession, kNoSlot,
       "an accession number like 0001144204-17-013452 (dashes optional)", Accession,
       AccessionValues},
      {"type", FieldKind::kTerm, FieldLevel::kDocument, kPrefixDocType, kNoSlot,
       "a document type like EX-99.1 (EX-10* for its variants)", DocType, DocTypeValues},
      {"year", FieldKind::kYear, FieldLevel::kFiling, kPrefixYear, kSlotFiled,
       "a year like 2017, or a range 2015..2017, 2015.. or ..2017", Year, YearValues},
      {"filed", FieldKind::kDate, FieldLevel::kFiling, "", kSlotFiled,
       "a date like 2017-03-08 or 20170308, a month 2017-03, a year 2017, or a range "
       "A..B with either end open",
       nullptr, nullptr},
      {"period", FieldKind::kDate, FieldLevel::kFiling, "", kSlotPeriod,
       "a date like 2016-12-31, a month, a year, or a range A..B with either end open",
       nullptr, nullptr},
      {"company", FieldKind::kText, FieldLevel::kFiling, kPrefixCompany, kNoSlot,
       "words or a quoted phrase of a party's current or former name", nullptr, nullptr},
      {"description", FieldKind::kText, FieldLevel::kDocument, kPrefixDescription, kNoSlot,
       "words or a quoted phrase of a document's description", nullptr, nullptr},
  };
  return fields;
}

const Field* FindField(std::string_view name) {
  for (const Field& f : Fields()) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

std::string FieldNames() {
  std::string out;
  for (const Field& f : Fields()) {
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out;
}

}  // namespace schema
}  // namespace fidx
