// Reading one EDGAR file's bytes into a Filing.
//
// The grammar is pure: functions over memory, no I/O. Callers read (and
// gunzip) the file, then call ParseFiling(). Malformed input never throws:
// whatever could be read is returned, with warnings saying what was wrong.

#ifndef FIDX_PARSER_H_
#define FIDX_PARSER_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "fidx/filing.h"

namespace fidx {

struct ParseOptions {
  // Extract document text (HTML/XML/plain). Off for header-only uses.
  bool extract_text = true;
  // A document body larger than this is listed but its text is cut at the
  // limit, with a warning. Bounds memory on hostile input.
  size_t max_document_bytes = 64u << 20;
  // The file's path, used only to read EDGAR's archive layout
  // (.../edgar/data/<CIK>/<accession without dashes>/<file>) for loose
  // documents. May be empty.
  std::string_view path;
};

// Parses a whole (already decompressed) file.
Filing ParseFiling(std::string_view bytes, const ParseOptions& options);

// Parses only the SGML header part of `bytes` into `filing` (header fields
// and parties); used by ParseFiling and by tests. Returns false if `bytes`
// holds no recognisable header.
bool ParseHeader(std::string_view bytes, Filing* filing);

// Normalises an accession number to "NNNNNNNNNN-YY-NNNNNN" from either the
// dashed form or 18 bare digits. Returns "" if `s` is not one.
std::string NormalizeAccession(std::string_view s);

// Converts "YYYYMMDD" (optionally followed by more digits) to "YYYY-MM-DD".
// Returns "" for anything that is not a plausible date.
std::string NormalizeDate(std::string_view s);

}  // namespace fidx

#endif  // FIDX_PARSER_H_
