// Small string helpers with one home: hashing, ASCII classes and trimming,
// UTF-8 encoding and validation.

#ifndef FIDX_STRINGS_H_
#define FIDX_STRINGS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fidx {

// 64-bit FNV-1a: stable across runs, machines and compilers (std::hash is
// not), so it can choose shards and name terms on disk. Its values are part
// of the index format: changing it needs a new schema version.
uint64_t Fnv1a64(std::string_view s);

// A faster 64-bit hash, eight bytes at a time, for in-memory tables only
// (facet counts, sets of filings): its values may change between versions
// and must never be stored. Strings of one length that differ only in
// their last eight bytes never collide.
uint64_t MemoryHash64(std::string_view s);

// True if `s` is not empty and only ASCII digits.
bool IsAsciiDigits(std::string_view s);

// True for ASCII white space: space, tab, CR, LF, form feed, vertical tab.
inline bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

// `s` without leading and trailing ASCII white space.
std::string_view TrimAsciiSpace(std::string_view s);

// Appends code point `cp` to *out as UTF-8; NUL, surrogates and values
// above U+10FFFF become U+FFFD.
void AppendUtf8(uint32_t cp, std::string* out);

// Length of the well-formed UTF-8 sequence at s[0..n), or 0 if it is not one
// (overlong forms, surrogates and code points above U+10FFFF are rejected).
// REQUIRES: n > 0.
size_t Utf8SequenceLength(const unsigned char* s, size_t n);

}  // namespace fidx

#endif  // FIDX_STRINGS_H_
