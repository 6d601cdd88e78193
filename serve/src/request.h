// From a request's query parameters to a search: the page and /api/search
// share one reading of q, filters, dates, sort and paging.

#ifndef FIDX_SERVE_REQUEST_H_
#define FIDX_SERVE_REQUEST_H_

#include <map>
#include <string>
#include <vector>

#include "fidx/search.h"
#include "fidx/server.h"

namespace fidx {
namespace serve {

// A request's parameters: name -> values in order (a name may repeat).
using Params = std::multimap<std::string, std::string>;

// The first value of `name`, or `fallback`.
std::string Param(const Params& p, const std::string& name, const std::string& fallback = "");

// The page's state, as its URL carries it.
struct PageState {
  std::string q;                     // the query text as typed
  std::vector<std::string> filters;  // "form:8-K", "cik:1279704" (facet clicks)
  std::string date_range;            // "", "30d", "1y", "5y", "10y", "custom"
  std::string from, to;              // YYYY-MM-DD, for "custom"
  std::string sort = "relevance";    // relevance, newest, oldest
  uint64_t page = 1;                 // 1-based
  uint64_t page_size = 20;
};

// Reads and validates the page state; false with *error (for a 400).
bool ReadPageState(const Params& p, const ServerOptions& limits, PageState* s, std::string* error);

// The full query: q, the filters (OR-ed within a field by the query
// language) and the date range; "*" when there is nothing else.
std::string ComposeQuery(const PageState& s);

// "filed:2025-12-04..2026-12-03" for a preset relative to today (UTC).
std::string DateRangeFilter(const std::string& range, const std::string& from,
                            const std::string& to);

// The URL "/?..." for `s`, parameters percent-encoded.
std::string PageUrl(const PageState& s);

// Percent-encodes everything but unreserved characters.
std::string UrlEncode(const std::string& s);

// Facet fields a filter may name.
bool IsFilterField(const std::string& field);

// "cik:1279704" -> {"cik", "1279704"}; false if not field:value.
bool SplitFilter(const std::string& filter, std::string* field, std::string* value);

// A YYYY-MM-DD date (or "").
bool IsDate(const std::string& s);

}  // namespace serve
}  // namespace fidx

#endif  // FIDX_SERVE_REQUEST_H_
