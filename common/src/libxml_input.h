// Private to fidx_common: how a document's bytes reach libxml2. fidx decodes
// UTF-8 and Windows-1252 itself (see ChooseDecoding) so that a wrong or
// missing <meta charset> cannot garble them, feeds libxml2 in chunks, and
// guards against input that would make libxml2 slow.

#ifndef FIDX_COMMON_SRC_LIBXML_INPUT_H_
#define FIDX_COMMON_SRC_LIBXML_INPUT_H_

#include <libxml/encoding.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fidx/text_extract.h"

namespace fidx {
namespace internal {

// Bytes handed to libxml2 per push; big enough that per-call overhead
// vanishes, small enough that libxml2's own buffer stays small.
constexpr size_t kChunkBytes = 256 << 10;

// libxml2 2.9 checks each attribute of a tag against all earlier ones, so
// a tag with n attributes costs n^2; above this sum of n^2 over a document
// the parse would take seconds, and the tags are stripped instead. The
// corpus's HTML and XML files stay below 250,000, whole submissions with
// uuencoded parts below 4 million. (HTML in UTF-8 or Windows-1252 is
// slimmed first and never needs this.)
constexpr uint64_t kMaxAttributeWork = 100'000'000;

// Where the charset is looked for (BOM, <?xml encoding>, <meta charset>).
constexpr size_t kSniffBytes = 4096;

// Initialises libxml2 once per process; call before any parse.
void InitLibxml();

// Sum over the tags of `s` of (attributes in the tag)^2, counting a name
// start after whitespace outside quotes as an attribute. Text between tags
// is skipped with memchr, so this costs little next to parsing.
uint64_t AttributeWork(std::string_view s);

// How bytes become the UTF-8 libxml2 is given.
enum class Decoding {
  kUtf8,     // valid UTF-8, passed through
  kCp1252,   // decoded by fidx as Windows-1252
  kLibxml,   // a charset fidx does not decode (UTF-16, Shift_JIS ...)
};

struct InputPlan {
  Decoding decoding = Decoding::kUtf8;
  // For kLibxml: UTF-16 named by a byte-order mark; NONE for a declared
  // charset, which libxml2 reads from the document itself.
  xmlCharEncoding bom_encoding = XML_CHAR_ENCODING_NONE;
  size_t bom = 0;  // bytes of byte-order mark to skip
};

// How to decode `bytes`, from their byte-order mark, declared charset and
// content (see libxml_input.cc).
InputPlan ChooseDecoding(std::string_view bytes);

// Calls push(data, size) with successive chunks of `bytes` as UTF-8 (or raw
// for kLibxml). UTF-8 chunks end on character boundaries.
template <typename Push>
void FeedChunks(std::string_view bytes, Decoding decoding, Push push) {
  std::string converted;
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t end = std::min(bytes.size(), pos + kChunkBytes);
    if (decoding == Decoding::kUtf8) {
      while (end < bytes.size() && end > pos &&
             (static_cast<unsigned char>(bytes[end]) & 0xC0) == 0x80)
        --end;
    }
    std::string_view chunk = bytes.substr(pos, end - pos);
    if (decoding == Decoding::kCp1252) {
      converted.clear();
      AppendWindows1252AsUtf8(chunk, &converted);
      chunk = converted;
    }
    if (!push(chunk.data(), static_cast<int>(chunk.size()))) return;
    pos = end;
  }
}

}  // namespace internal
}  // namespace fidx

#endif  // FIDX_COMMON_SRC_LIBXML_INPUT_H_
