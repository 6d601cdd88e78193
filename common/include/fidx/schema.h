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

namespace fidx {
namespace schema {

// Bump when the index layout changes incompatibly.
// 2: kTermFirstDocument.
inline constexpr int kSchemaVersion = 2;

// ---- Term prefixes (Omega conventions: X starts a user prefix) ----
inline constexpr char kPrefixUnique[] = "Q";        // Q<filing key>/<doc key>
inline constexpr char kPrefixFilingKey[] = "XK";    // every doc of a filing
inline constexpr char kPrefixSource[] = "XP";       // every doc from one file
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
std::string AccessionTerm(std::string_view accession);
std::string FilingKeyTerm(std::string_view filing_key);
std::string SourceTerm(std::string_view path);
std::string UniqueTerm(std::string_view filing_key, std::string_view doc_key);

// Parses a CIK written with or without leading zeros; 0 if not a number.
uint64_t ParseCik(std::string_view s);

// Returns `term` unchanged if it fits Xapian's term length limit, else a
// prefix of it followed by a hash of the whole (like Omega's hash_long_term).
std::string SafeTerm(std::string term);

// The facet values of one filing, as packed into kSlotFacets.
struct Facets {
  std::string filed;  // "YYYYMMDD" or ""
  std::string form;   // canonical form
  std::vector<uint64_t> ciks;
  std::vector<int> sics;
  std::vector<std::string> states;  // states of incorporation
  std::string filing_key;           // tie-breaker for sorting
};
std::string PackFacets(const Facets& facets);

// "" if a database whose kMetaSchema value is `version` can be used (an
// empty version is a database fidx has not written to yet); otherwise the
// error to give the user about `where`.
std::string SchemaMismatch(const std::string& where, const std::string& version);
Facets UnpackFacets(std::string_view packed);

}  // namespace schema
}  // namespace fidx

#endif  // FIDX_SCHEMA_H_
