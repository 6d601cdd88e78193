// libFuzzer target: the EDGAR parser (layout detection, SGML and .nc
// headers, document splitting, HTML/XML/text extraction, uudecode
// stripping) over arbitrary bytes. ParseFiling() promises never to throw
// and never to crash on malformed input; ASan and UBSan check the rest.
// Built with -DFIDX_FUZZ=ON and clang; run by scripts/fuzz.sh.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fidx/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);

  fidx::ParseOptions options;
  // Small enough that the size-limit path is reached too.
  options.max_document_bytes = 64 << 10;
  // An EDGAR archive path, so loose documents take their accession from it.
  options.path = "/mirror/edgar/data/1279704/000114420417013452/d1.htm";
  fidx::Filing filing = fidx::ParseFiling(bytes, options);
  for (const fidx::Document& d : filing.documents) {
    // Offsets must stay inside the input.
    if (d.raw_offset > size || d.raw_bytes > size - d.raw_offset) __builtin_trap();
  }

  fidx::Filing header;
  fidx::ParseHeader(bytes, &header);

  std::string_view head = bytes.substr(0, 40);
  fidx::NormalizeAccession(head);
  fidx::NormalizeDate(head);
  return 0;
}
