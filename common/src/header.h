// Private to fidx_common: the EDGAR submission header grammar.
//
// One scanner reads both spellings of the header, because real files mix
// them: the text form ("CENTRAL INDEX KEY:\t\t0001279704", tab- or
// space-indented) and the tagged form of .nc files and -index-headers.html
// ("<CIK>0001279704", leaf tags unclosed). Fields are recognised by name,
// never by indentation, which EDGAR does not keep consistent.

#ifndef FIDX_COMMON_SRC_HEADER_H_
#define FIDX_COMMON_SRC_HEADER_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "fidx/filing.h"

namespace fidx {
namespace internal {

// Upper bounds that keep hostile headers from exhausting memory.
inline constexpr size_t kMaxParties = 10000;
inline constexpr size_t kMaxListItems = 1000;   // items, file numbers, names
inline constexpr size_t kMaxValueBytes = 1024;  // one header value

// A header or document-tag value as stored: blanks trimmed, cut to
// kMaxValueBytes, converted to UTF-8 if it is not already.
std::string CleanValue(std::string_view value);

// If an SGML tag ("<NAME>" or "</NAME>", NAME of letters, digits, '-' and
// '_') starts at s[lt], the offset just after its '>'; npos otherwise.
size_t TagEnd(std::string_view s, size_t lt);

// Reads every header field in `text` (a header region: text form, tagged
// form or a mix) into `filing`. Unknown keys and tags are ignored. Returns
// true if at least one known field was found.
bool ParseHeaderFields(std::string_view text, Filing* filing);

// Decodes the HTML escapes EDGAR uses inside the <PRE> of
// -index-headers.html (&lt; &gt; &amp; &quot; &apos; &#NN; &#xHH;).
std::string UnescapeHtml(std::string_view s);

// "YYYYMMDDHHMMSS" -> "YYYY-MM-DDTHH:MM:SS"; "" if implausible.
std::string NormalizeDateTime(std::string_view s);

// Parses a SIC value in any of its spellings: "NAME [2834]", "2834",
// " [2834" (no bracket), " []", "". Sets *sic (0 if none) and *title.
void ParseSic(std::string_view value, int* sic, std::string* title);

}  // namespace internal
}  // namespace fidx

#endif  // FIDX_COMMON_SRC_HEADER_H_
