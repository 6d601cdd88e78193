// Accent folding shared by the indexer and the query parser (fold.cc).

#ifndef FIDX_FOLD_H_
#define FIDX_FOLD_H_

#include <string>
#include <string_view>

namespace fidx {

// Writes `in` with its accented Latin letters folded to ASCII into *out and
// returns true, or returns false (leaving *out alone) if there is nothing
// to fold: most EDGAR text is ASCII, and is not copied.
bool FoldAccents(std::string_view in, std::string* out);
// The same, always returning the text.
std::string FoldAccents(std::string_view in);

}  // namespace fidx

#endif  // FIDX_FOLD_H_
