// The HTML of fidx serve's pages, rendered on the server so that the basics
// work without JavaScript. Every string from a filing or a request is
// escaped here, through Esc() and UrlEncode(), and nowhere else.

#ifndef FIDX_SERVE_PAGES_H_
#define FIDX_SERVE_PAGES_H_

#include <string>

#include "fidx/search.h"
#include "request.h"

namespace fidx {
namespace serve {

// Text escaped for HTML text and quoted attribute values.
std::string Esc(const std::string& s);

// The search page: the form, and when a search ran, its facets, hits and
// paging. `r` is null when the search failed: then `error` says why.
std::string SearchPage(const PageState& s, const SearchResult* r, const std::string& error);

// The front page: the search form, how many filings the index holds, and
// the facets of every filing (`all`, a "*" search with facets) as ways in.
std::string FrontPage(const SearchResult& all);

// A document's text with matches marked (ids m1, m2 ...), the filing's
// header and its other documents.
std::string DocumentPage(const Searcher::FilingDocuments& filing,
                         const Searcher::DocumentText& doc, const std::string& query,
                         const std::string& back);

// The query language, for the page's "query syntax" link.
std::string HelpPage();

// A page that says what went wrong.
std::string ErrorPage(int status, const std::string& message);

}  // namespace serve
}  // namespace fidx

#endif  // FIDX_SERVE_PAGES_H_
