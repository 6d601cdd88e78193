// The index schema: the one home of every Xapian term prefix, value slot and
// metadata key fidx writes, and of the functions that build those terms.
// The indexer and the query parser both call these, so the two sides can
// never disagree about how "10-K/A" or CIK "0001279704" is spelt.
//
// Layout of the index:
//   * one Xapian document per EDGAR <DOCUMENT> (a loose file is one document);
//   * every document carries its filing's filter terms (CIK of every party,
//     form, SIC, year, state, accession), so a filter matches the filing
//     through any of its documents;
//   * hits collapse on kSlotFilingKey to give one hit per filing; a query
//     of filing-level filters only (or "*") looks at the documents with
//     kTermFirstDocument only, one per filing (one per copy of a filing);
//   * kSlotFacets packs the filing's facet values behind its filed date and
//     ends with the filing key: it sorts by date, and one value read per
//     document gives exact per-filing counts (by a match spy on local
//     shards, from the sort keys of a full MSet through xapian-tcpsrv).

#ifndef FIDX_SCHEMA_H_
#define FIDX_SCHEMA_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fidx/filing.h"

namespace fidx {
namespace schema {

// Bump when the index layout changes incompatibly.
// 2: kTermFirstDocument.
// 3: fields category:, location:, period: (kSlotPeriod); the field table.
// 4: header-less files' metadata from their content; a filing assembled
//    from every file of its accession carries one kPrefixSource term per
//    file; XBRL viewer pages are "generated" documents without text.
inline constexpr int kSchemaVersion = 4;

// ---- Term prefixes (Omega conventions: X starts a user prefix) ----
inline constexpr char kPrefixUnique[] = "Q";        // Q<filing key>/<doc key>
inline constexpr char kPrefixFilingKey[] = "XK";    // every doc of a filing
inline constexpr char kPrefixSource[] = "XP";       // each file a doc came from
inline constexpr char kPrefixAccession[] = "XA";    // XA0001144204-17-013452
inline constexpr char kPrefixCik[] = "XCIK";        // XCIK1279704 (unpadded)
inline constexpr char kPrefixForm[] = "XFORM:";     // XFORM:10-K/A
inline constexpr char kPrefixSic[] = "XSIC";        // XSIC2834
inline constexpr char kPrefixDocType[] = "XTYPE:";  // XTYPE:EX-99.1
inline constexpr char kPrefixState[] = "XST:";      // XST:DE (incorporation)
inline constexpr char kPrefixYear[] = "XY";         // XY2017 (filed year)
// On the first document of every filing only (of every copy, when two files
// of one accession list different documents): "*" and filing-level filters
// need not look at the other documents.
inline constexpr char kTermFirstDocument[] = "XFIRST";
inline constexpr char kPrefixItem[] = "XITEM:";     // XITEM:2.02 (8-K items)
inline constexpr char kPrefixFileNumber[] = "XFN:"; // XFN:001-36598
inline constexpr char kPrefixCategory[] = "XCAT:";  // XCAT:periodic (form group)
inline constexpr char kPrefixLocation[] = "XLOC:";  // XLOC:CA (business address)
// Free-text prefixes (positional, stemmed like the body).
inline constexpr char kPrefixCompany[] = "XCO";     // party and former names
inline constexpr char kPrefixDescription[] = "XDE"; // document description

// ---- Value slots ----
// "YYYYMMDD" filed date (DateRangeProcessor, filters). Empty when unknown.
inline constexpr unsigned kSlotFiled = 0;
// Filing key: accession, or "path:<hash>" for header-less files. Collapse key.
inline constexpr unsigned kSlotFilingKey = 1;
// Packed facets: see PackFacets(). Sort key for date order and facets.
inline constexpr unsigned kSlotFacets = 2;
// Document sequence within the filing, sortable_serialise'd.
inline constexpr unsigned kSlotSequence = 3;
// The filing's parties as CIK\x1fname pairs separated by \x1e, so facet
// labels need no document data (which holds the text) to be read.
inline constexpr unsigned kSlotPartyNames = 4;
// "YYYYMMDD" period of report (CONFORMED PERIOD OF REPORT). Empty when unknown.
inline constexpr unsigned kSlotPeriod = 5;

// ---- Metadata keys (user metadata of each shard) ----
// File records: kMetaFilePrefix + absolute path -> FileRecord::Encode().
inline constexpr char kMetaFilePrefix[] = "F";
inline constexpr char kMetaSchema[] = "fidx:schema";  // kSchemaVersion
inline constexpr char kMetaLastRun[] = "fidx:last-run";

// ---- Term builders (used by writer and reader alike) ----

// Canonical form type: upper case, internal whitespace runs made one space,
// trimmed. "10-k/a" -> "10-K/A", "def  14a" -> "DEF 14A".
std::string CanonicalForm(std::string_view form);
// Canonical document type, same rules as CanonicalForm.
std::string CanonicalDocType(std::string_view type);

std::string CikTerm(uint64_t cik);
std::string FormTerm(std::string_view form);
std::string SicTerm(int sic);
std::string DocTypeTerm(std::string_view type);
std::string StateTerm(std::string_view state);
std::string YearTerm(int year);
std::string ItemTerm(std::string_view item);
std::string FileNumberTerm(std::string_view file_number);
std::string CategoryTerm(std::string_view category);
std::string LocationTerm(std::string_view state);
std::string AccessionTerm(std::string_view accession);
std::string FilingKeyTerm(std::string_view filing_key);
std::string SourceTerm(std::string_view path);
std::string UniqueTerm(std::string_view filing_key, std::string_view doc_key);

// True when `word` (a lower-case term without prefix) starts with a
// letter: only such words get a stemmed "Z" term, at index and query time.
bool StartsWithLetter(std::string_view word);

// Parses a CIK written with or without leading zeros; 0 if not a number.
uint64_t ParseCik(std::string_view s);

// Returns `term` unchanged if it fits Xapian's term length limit, else a
// prefix of it followed by a hash of the whole (like Omega's hash_long_term).
std::string SafeTerm(std::string term);

// ---- The fields of the query language: one row each ----
// The indexer writes a document's terms for every kTerm field from
// `values`, and the query parser turns `name:value` into `term(value)`, so a
// field is one row here (and a kSchemaVersion bump).
enum class FieldKind {
  kTerm,  // boolean terms: prefix + normalised value; `name:value*` = prefix
  kText,  // words and phrases in a prefixed free-text field (stemmed words)
  kDate,  // dates in a value slot: one day, month or year, or a range A..B
  kYear,  // years: one year (a term) or a range A..B over kSlotFiled
};
// Whether every document of a filing has the field alike (filing) or each
// document has its own (document: type:, description:).
enum class FieldLevel { kFiling, kDocument };

struct Field {
  const char* name;     // as typed: "form"
  FieldKind kind;
  FieldLevel level;
  const char* prefix;   // term prefix (kTerm, kText, kYear)
  unsigned slot;        // value slot (kDate, kYear)
  const char* accepts;  // what a value looks like, for error messages
  // kTerm: the term for a value as typed or as read from a filing; "" when
  // the value is not valid for the field.
  std::string (*term)(std::string_view value);
  // kTerm, kYear: the raw values one document of a filing has.
  void (*values)(const Filing& filing, const Document& document,
                 std::vector<std::string>* out);
};

// Every field, in the order help and errors list them.
const std::vector<Field>& Fields();
// The field called `name` (exactly: fields are lower case), or nullptr.
const Field* FindField(std::string_view name);
// "cik, form, ..." for messages.
std::string FieldNames();

// EDGAR's form groups (SEC full-text search's "categories"), by the name
// `category:` takes: "periodic", "insider" ...
struct Category {
  const char* name;
  const char* title;  // "Annual, quarterly and current reports"
};
const std::vector<Category>& Categories();
// The categories of a form (amendments as their root form), maybe none.
std::vector<std::string> FormCategories(std::string_view form);
// The forms of a category as listed (for the README and --help), "" if none.
std::string CategoryForms(std::string_view category);

// The facet values of one filing, as packed into kSlotFacets.
struct Facets {
  std::string filed;  // "YYYYMMDD" or ""
  std::string form;   // canonical form
  std::vector<uint64_t> ciks;
  std::vector<int> sics;
  std::vector<std::string> states;     // states of incorporation
  std::vector<std::string> locations;  // business address states or countries
  std::vector<std::string> types;      // document types of the filing
  std::string filing_key;           // tie-breaker for sorting
};
std::string PackFacets(const Facets& facets);
// kSlotPartyNames: the parties' CIKs and names, and the name of one CIK in
// it ("" if absent).
std::string PackPartyNames(const std::vector<uint64_t>& ciks, const std::vector<std::string>& names);
std::string PartyName(std::string_view packed, uint64_t cik);

// The number of \x1f-separated parts of a packed value.
inline constexpr size_t kPackedFacetParts = 8;

// "" if a database whose kMetaSchema value is `version` can be used (an
// empty version is a database fidx has not written to yet); otherwise the
// error to give the user about `where`.
std::string SchemaMismatch(const std::string& where, const std::string& version);
Facets UnpackFacets(std::string_view packed);

}  // namespace schema
}  // namespace fidx

#endif  // FIDX_SCHEMA_H_
