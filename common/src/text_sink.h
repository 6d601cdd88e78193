// Private to fidx_common: where extracted text is written. Collapses
// whitespace, separates blocks, keeps UTF-8 valid.

#ifndef FIDX_COMMON_SRC_TEXT_SINK_H_
#define FIDX_COMMON_SRC_TEXT_SINK_H_

#include <algorithm>
#include <cstddef>
#include <string>

namespace fidx {
namespace internal {

enum class Break { kNone, kSpace, kNewline };

class TextSink {
 public:
  explicit TextSink(size_t expected_bytes) { out_.reserve(expected_bytes); }

  // Asks for at least `b` between what was written and what comes next.
  void Separate(Break b) { pending_ = std::max(pending_, b); }

  // Appends UTF-8 text, collapsing whitespace runs to one space (a newline
  // when `keep_newlines`, for <pre>).
  void Append(const char* text, size_t n, bool keep_newlines);

  std::string Take();

 private:
  void Flush() {
    if (pending_ != Break::kNone && !out_.empty())
      out_.push_back(pending_ == Break::kNewline ? '\n' : ' ');
    pending_ = Break::kNone;
  }
  void AppendSpecial(const unsigned char* p, size_t length);

  std::string out_;
  Break pending_ = Break::kNone;
};

}  // namespace internal
}  // namespace fidx

#endif  // FIDX_COMMON_SRC_TEXT_SINK_H_
