// Private to fidx_common: what a file without an SEC header says about its
// filing, read from its content and its name. Each field set here is noted
// in Filing::sources, so `fidx inspect --json` can say where it came from.
//
// Sources, each used only for fields still empty, in order of trust:
//   1. the primary document's EDGAR <TYPE> (a bare <DOCUMENT> file);
//   2. EDGAR XML forms (Form D, 3/4/5, 13F, 144, 13D/G, N-PORT, C ...):
//      submissionType/documentType, issuer, owner and filer CIKs and names,
//      periodOfReport, signatureDate;
//   3. XBRL cover facts: dei:DocumentType, dei:EntityCentralIndexKey,
//      dei:EntityRegistrantName, dei:DocumentPeriodEndDate, in inline XBRL
//      (ix:nonNumeric name="dei:...") or in an instance document;
//   4. EDGAR's archive path (.../data/<CIK>/<accession>/) - see parser.cc;
//   5. the file name: an accession number in it, and the CIK of
//      edgar-crawler's "<CIK>_<FORM>_<YEAR>_<accession>.htm";
//   6. the cover page's text (registrant name, date of report).

#ifndef FIDX_COMMON_SRC_CONTENT_METADATA_H_
#define FIDX_COMMON_SRC_CONTENT_METADATA_H_

#include <string>
#include <string_view>

#include "fidx/filing.h"

namespace fidx {
namespace internal {

// Sources 1-3 for a header-less `filing` whose documents were split from
// `bytes` (raw_offset/raw_bytes): fills form, period, filed (XML forms'
// signature date) and parties.
void InferFromContent(std::string_view bytes, Filing* filing);

// After text extraction, for a header-less filing still without a company
// or period: the primary document's cover page, "NAME\n(Exact name of
// registrant as specified in its charter)" and "Date of Report ...: DATE".
void InferFromCoverPage(Filing* filing);

// Source 5: accession and CIK from the base name of `path`.
void InferFromFileName(std::string_view path, Filing* filing);

// A date in any of the spellings cover pages and XML forms use:
// "2020-12-31", "20201231", "12/31/2020", "12-31-2020", "December 31, 2020",
// "Dec. 31, 2020", "31 December 2020". Returns "YYYY-MM-DD" or "".
std::string ParseLooseDate(std::string_view s);

// The value of the first inline XBRL fact named `name` ("dei:DocumentType")
// in `html`: its text, tags stripped, entities decoded, blanks collapsed;
// "" if there is none.
std::string InlineXbrlFact(std::string_view html, std::string_view name);

}  // namespace internal
}  // namespace fidx

#endif  // FIDX_COMMON_SRC_CONTENT_METADATA_H_
