// One filing from every file of its accession: an EDGAR archive folder
// holds <accession>.txt, <accession>-index-headers.html, .hdr.sgml, index
// pages and each document as its own file; a mirror may hold several of
// them. AssembleFiling() merges what each file says into one Filing, the
// same whichever order the files come in.

#ifndef FIDX_ASSEMBLE_H_
#define FIDX_ASSEMBLE_H_

#include <string>
#include <string_view>
#include <vector>

#include "fidx/filing.h"

namespace fidx {

// One file's parse, with its path.
struct FilingPart {
  std::string path;
  Filing filing;
};

// How much of a filing a part holds, most first: a full submission or .nc
// with its documents (3), a header without documents (2), bare <DOCUMENT>s
// (1), a loose document (0).
int PartRank(const Filing& filing);

// Merges `parts` (moved from) into one Filing. The header (accession, form,
// dates, items, parties, sources) comes from the highest-ranked part with an
// SEC header, else the highest-ranked part, fields it lacks filled from the
// others; documents are the union, de-duplicated by file name (or, without
// one, by sequence and type), taken from higher-ranked parts first. Ties
// are broken by path, so the result never depends on the order of `parts`.
// Sets *primary_path to the path of the part the header came from.
Filing AssembleFiling(std::vector<FilingPart> parts, std::string* primary_path);

// The accession a path names by EDGAR's archive layout alone, before any
// file is read: .../data/<CIK>/<18 digits>/<file>, .../data/<CIK>/
// <accession>.txt, or a file name starting with the dashed accession and
// '.' or '-' ("0001493152-25-029712-index-headers.html", ".hdr.sgml",
// ".nc"). "" if it names none.
std::string AccessionFromPath(std::string_view path);

}  // namespace fidx

#endif  // FIDX_ASSEMBLE_H_
