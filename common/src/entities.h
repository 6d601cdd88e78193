// Private to fidx_common: HTML/XML character references ("&amp;", "&#147;",
// "&#x2019;") decoded to UTF-8, for the tag stripper and the escaped copy of
// the submission header.

#ifndef FIDX_COMMON_SRC_ENTITIES_H_
#define FIDX_COMMON_SRC_ENTITIES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fidx {
namespace internal {

// Decodes the reference at s[0] == '&' (any HTML 4 entity name, &apos;, or
// a decimal or hex number) into *out; returns its length, or 0 if it is
// none (the '&' is then text).
size_t DecodeEntity(std::string_view s, std::string* out);

// DecodeEntity for the submission header: numbers and the five XML names
// only, and &nbsp; as a plain space, so that header values keep the ASCII
// spelling their grammar (header.cc) expects.
size_t DecodeHeaderEntity(std::string_view s, std::string* out);

}  // namespace internal
}  // namespace fidx

#endif  // FIDX_COMMON_SRC_ENTITIES_H_
