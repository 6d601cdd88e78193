// Private to fidx_common: facts about HTML markup shared by the libxml2
// collectors, the start-tag slimmer and the fallback tag stripper.

#ifndef FIDX_COMMON_SRC_MARKUP_H_
#define FIDX_COMMON_SRC_MARKUP_H_

#include <strings.h>

#include <cstddef>
#include <string_view>

namespace fidx {
namespace internal {

// How an element separates the text around it.
enum class ElementKind {
  kInline,  // b, i, span, font, a, ix:nonNumeric ...: no separation
  kCell,    // td, th: a space
  kBlock,   // p, div, br, tr, li ...: a newline
  kDrop,    // script, style, ix:header: content left out
};

// Kind of the HTML element named `name` (lower case).
ElementKind KindOf(std::string_view name);

// True if `s` starts with `prefix`, ignoring ASCII case. Inline: the
// slimmer calls it for every attribute.
inline bool StartsWithCaseless(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

// Position of `needle` (lower case) in `s` ignoring ASCII case, or npos.
size_t FindCaseless(std::string_view s, std::string_view needle,
                    size_t from = 0);

// True if a style attribute's value says "display: none".
bool StyleValueHides(std::string_view style);

}  // namespace internal
}  // namespace fidx

#endif  // FIDX_COMMON_SRC_MARKUP_H_
