// An endpoint shaped like SEC's full-text search (efts.sec.gov/LATEST/
// search-index): its request parameters become an fidx query, and the
// answer takes the Elasticsearch shape SEC's clients parse
// (../shared/notes/edgar.md §1.2, §1.5, §1.6; README, "fidx serve").

#ifndef FIDX_SERVE_SEC_API_H_
#define FIDX_SERVE_SEC_API_H_

#include <string>

#include "fidx/search.h"
#include "request.h"

namespace fidx {
namespace serve {

// Reads SEC's parameters (q, forms, category, dateRange, startdt, enddt,
// ciks, entityName, locationCodes, locationType, sics, fileType, items,
// page, from, size, sort) into *o. False with *error for a 400.
bool ReadSecRequest(const Params& p, const ServerOptions& limits, SearchOptions* o,
                    std::string* error);

// `r` in SEC's response shape; `took_ms` as Elasticsearch reports it.
std::string SecResponseJson(const SearchResult& r, const SearchOptions& o, uint64_t took_ms);

}  // namespace serve
}  // namespace fidx

#endif  // FIDX_SERVE_SEC_API_H_
