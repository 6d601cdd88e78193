// Turning a document body (HTML, XML, plain text) into searchable UTF-8 text.
//
// Pure functions over memory. HTML and XML go through libxml2 with network
// access, external entities and DTD loading disabled.

#ifndef FIDX_TEXT_EXTRACT_H_
#define FIDX_TEXT_EXTRACT_H_

#include <string>
#include <string_view>
#include <vector>

namespace fidx {

// Visible text of an HTML document: entities decoded, <script>/<style>
// dropped, inline-XBRL hidden sections (<ix:header>) left out, block
// elements (p, div, br, tr, td, li, h1-h6 ...) separated by whitespace.
// Appends problems (e.g. "HTML nested too deeply") to `warnings`.
// Input libxml2 cannot take safely (nesting over 1024 deep, floods of parse
// errors, tags with huge attribute lists) goes through a linear tag
// stripper instead, with a warning. `warnings` may be null.
std::string HtmlToText(std::string_view html, std::vector<std::string>* warnings);

// Text content of an XML document (Form 4, 13F information table ...),
// element texts separated by whitespace. No DTD or external entity is read
// and entities other than the predefined five are never expanded; XML that
// is not well-formed is taken by stripping tags, with a warning.
std::string XmlToText(std::string_view xml, std::vector<std::string>* warnings);

// Plain-text body: <PAGE> markers, PEM armour lines and uuencoded blocks
// removed, EDGAR's ASCII table tags (<TABLE>, <S>, <C>, <FN> ...) blanked,
// converted to UTF-8 as ToUtf8() does, CR and CRLF turned into LF, other
// control characters except tab dropped; whitespace runs kept as they are.
std::string PlainText(std::string_view text, std::vector<std::string>* warnings);

// Returns `bytes` as valid UTF-8: unchanged when it already is, otherwise
// decoded as Windows-1252 (Latin-1 for the undefined code points).
// Sets *was_valid (if non-null) to whether the input was valid UTF-8.
std::string ToUtf8(std::string_view bytes, bool* was_valid = nullptr);

// Appends `bytes` to *out decoded as Windows-1252 (Latin-1 for the five
// undefined code points), whether or not they would be valid UTF-8.
void AppendWindows1252AsUtf8(std::string_view bytes, std::string* out);

// True if `s` is valid UTF-8.
bool IsValidUtf8(std::string_view s);

// Removes uuencoded blocks ("begin 644 name" ... "end", or to the last data
// line when "end" is missing) and long runs of uuencode data lines without
// a "begin" (truncated files) from plain text so that their encoded bytes
// are never indexed. Returns the number of blocks removed.
size_t StripUuencoded(std::string* text);

}  // namespace fidx

#endif  // FIDX_TEXT_EXTRACT_H_
