// Private to fidx_common: the fallback for input libxml2 could not take
// (XML that is not well-formed, HTML nested too deeply or too broken): a
// linear tag stripper. Knows comments, CDATA, <!DOCTYPE [...]>, processing
// instructions, entities and, for HTML, the element classes of markup.h
// (dropped elements are skipped to their end tag).

#ifndef FIDX_COMMON_SRC_TAG_STRIPPER_H_
#define FIDX_COMMON_SRC_TAG_STRIPPER_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace fidx {
namespace internal {

// Text of `bytes` (any charset ToUtf8 reads) with the tags stripped; HTML
// element classes apply when `html`, else every tag separates lines.
std::string StripToText(std::string_view bytes, bool html);

// Length of the markup construct at s[0] == '<' that holds no text
// (comment, declaration, processing instruction, tag), and its tag name
// lower-cased into *tag_name.
size_t MarkupLength(std::string_view s, std::string* tag_name);

// True if the '<' at s[0] starts markup rather than text.
bool StartsMarkup(std::string_view s);

}  // namespace internal
}  // namespace fidx

#endif  // FIDX_COMMON_SRC_TAG_STRIPPER_H_
