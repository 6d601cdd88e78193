// TextSink: whitespace collapsing and the repair of C1 controls.

#include "text_sink.h"

#include <utility>

namespace fidx {
namespace internal {
namespace {

// Length of the whitespace character at p (ASCII controls, U+00A0 no-break
// space, U+200B zero-width space that Workiva-made filings put between
// words, U+FEFF), or 0. `left` bytes are readable at p.
inline size_t SpaceLength(const unsigned char* p, size_t left) {
  if (p[0] <= 0x20) return 1;
  if (p[0] == 0xC2) return left >= 2 && p[1] == 0xA0 ? 2 : 0;
  if (p[0] == 0xE2)
    return left >= 3 && p[1] == 0x80 && p[2] == 0x8B ? 3 : 0;
  if (p[0] == 0xEF)
    return left >= 3 && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
  return 0;
}

// True for bytes that need a closer look: whitespace, the lead bytes of the
// characters SpaceLength knows, and 0xC2 which also starts C1 controls.
inline bool IsSpecial(unsigned char c) {
  return c <= 0x20 || c == 0xC2 || c == 0xE2 || c == 0xEF;
}

// Windows-1252 meaning of U+0080-U+009F. Old EDGAR HTML writes curly quotes
// as "&#147;" and "&#148;" (d10k.htm in mwaldstein/edgarWebR's test data),
// which HTML parsers turn into C1 control characters.
constexpr const char* kC1AsCp1252[32] = {
    "\u20AC", "\u0081", "\u201A", "\u0192", "\u201E", "\u2026", "\u2020",
    "\u2021", "\u02C6", "\u2030", "\u0160", "\u2039", "\u0152", "\u008D",
    "\u017D", "\u008F", "\u0090", "\u2018", "\u2019", "\u201C", "\u201D",
    "\u2022", "\u2013", "\u2014", "\u02DC", "\u2122", "\u0161", "\u203A",
    "\u0153", "\u009D", "\u017E", "\u0178",
};

}  // namespace

void TextSink::Append(const char* text, size_t n, bool keep_newlines) {
  const auto* p = reinterpret_cast<const unsigned char*>(text);
  const unsigned char* end = p + n;
  while (p < end) {
    const unsigned char* run = p;
    while (p < end && !IsSpecial(*p)) ++p;
    if (p > run) {
      Flush();
      out_.append(reinterpret_cast<const char*>(run), p - run);
    }
    if (p == end) break;
    size_t space = SpaceLength(p, end - p);
    if (space == 0) {
      size_t length = *p == 0xC2 ? 2 : 3;
      // libxml2 hands over whole characters; a cut one is dropped.
      if (length <= static_cast<size_t>(end - p)) AppendSpecial(p, length);
      p += length;
      continue;
    }
    Separate(keep_newlines && *p == '\n' ? Break::kNewline : Break::kSpace);
    p += space;
  }
}

void TextSink::AppendSpecial(const unsigned char* p, size_t length) {
  Flush();
  if (length == 2 && p[1] >= 0x80 && p[1] <= 0x9F) {
    out_.append(kC1AsCp1252[p[1] - 0x80]);
  } else {
    out_.append(reinterpret_cast<const char*>(p), length);
  }
}

std::string TextSink::Take() {
  // Callers keep many documents' text; do not hand them a mostly empty
  // reservation.
  if (out_.capacity() > out_.size() + out_.size() / 2 + 4096)
    out_.shrink_to_fit();
  return std::move(out_);
}

}  // namespace internal
}  // namespace fidx
