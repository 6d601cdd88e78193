#include "pages.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "fidx/result_json.h"

namespace fidx {
namespace serve {

namespace {

constexpr char kHead[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<link rel=\"stylesheet\" href=\"/static/app.css\">"
    "<script src=\"/static/app.js\" defer></script>";

struct FacetInfo {
  const char* name;
  const char* title;
};
// Facets in the order an analyst narrows a search; others follow by name.
const FacetInfo kFacets[] = {
    {"form", "Form"},           {"category", "Category"},
    {"cik", "Company or person"}, {"sic", "Industry (SIC)"},
    {"year", "Year filed"},     {"state", "State of incorporation"},
    {"location", "Business location"}, {"type", "Document type"},
};

std::string Num(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// Only sec.gov links leave the page (filings cannot smuggle a scheme in).
std::string SecLink(const std::string& url, const std::string& text) {
  if (url.rfind("https://www.sec.gov/", 0) != 0) return "";
  return "<a class=\"ext\" rel=\"noreferrer noopener\" href=\"" + Esc(url) + "\">" + Esc(text) +
         "</a>";
}

std::string PartyHtml(const HitParty& p) {
  std::string s = "<span class=\"party\">" + Esc(p.name.empty() ? "(no name)" : p.name);
  if (p.cik) s += " <span class=\"cik\">CIK " + std::to_string(p.cik) + "</span>";
  return s + "</span>";
}

std::string PartiesHtml(const std::vector<HitParty>& parties) {
  std::string s;
  for (size_t i = 0; i < parties.size(); ++i) s += (i ? "; " : "") + PartyHtml(parties[i]);
  return s;
}

std::string DocumentUrl(const std::string& key, int sequence, const std::string& q,
                        const std::string& back) {
  return "/doc/" + UrlEncode(key) + "/" + std::to_string(sequence) + "?q=" + UrlEncode(q) +
         (back.empty() ? "" : "&back=" + UrlEncode(back));
}

std::string SearchForm(const PageState& s) {
  std::string h = "<form class=\"search\" method=\"get\" action=\"/\" role=\"search\">";
  h += "<input id=\"q\" name=\"q\" type=\"search\" value=\"" + Esc(s.q) +
       "\" placeholder='\"going concern\" form:10-K, orphan NEAR drug, cik:1279704 ...' "
       "aria-label=\"Query\" autofocus maxlength=\"2000\">";
  for (const std::string& f : s.filters) {
    h += "<input type=\"hidden\" name=\"f\" value=\"" + Esc(f) + "\">";
  }
  if (s.page_size != 20) {
    h += "<input type=\"hidden\" name=\"n\" value=\"" + std::to_string(s.page_size) + "\">";
  }
  h += "<button type=\"submit\">Search</button>";
  h += "<div class=\"controls\"><label>Filed <select name=\"dr\" id=\"dr\">";
  const std::pair<const char*, const char*> ranges[] = {
      {"", "any time"}, {"30d", "last 30 days"}, {"1y", "last year"},
      {"5y", "last 5 years"}, {"10y", "last 10 years"}, {"custom", "custom range"}};
  for (const auto& [value, label] : ranges) {
    h += std::string("<option value=\"") + value + "\"" +
         (s.date_range == value ? " selected" : "") + ">" + label + "</option>";
  }
  h += "</select></label> <span class=\"custom\"><label>from <input type=\"date\" name=\"from\" "
       "value=\"" + Esc(s.from) + "\"></label> <label>to <input type=\"date\" name=\"to\" value=\"" +
       Esc(s.to) + "\"></label></span>";
  h += " <label>Sort <select name=\"sort\" id=\"sort\">";
  for (const char* v : {"relevance", "newest", "oldest"}) {
    h += std::string("<option value=\"") + v + "\"" + (s.sort == v ? " selected" : "") + ">" + v +
         "</option>";
  }
  h += "</select></label> <a class=\"help\" href=\"/help\">query syntax</a></div></form>";
  return h;
}

std::string FacetValueLabel(const SearchResult& r, const std::string& facet,
                            const std::string& value) {
  auto labels = r.facet_labels.find(facet);
  if (labels != r.facet_labels.end()) {
    auto it = labels->second.find(value);
    if (it != labels->second.end() && !it->second.empty()) {
      return facet == "sic" ? value + " " + it->second : it->second;
    }
  }
  return value;
}

// The page's search through the API, with its facets: what a script takes
// over from the page.
std::string ApiSearchUrl(const PageState& s) {
  return "/api/search?q=" + UrlEncode(ComposeQuery(s)) + "&facets=1";
}

std::string FacetBox(const PageState& s, const SearchResult& r, const std::string& name,
                     const std::string& title) {
  auto it = r.facets.find(name);
  if (it == r.facets.end() || it->second.empty()) return "";
  std::vector<std::pair<std::string, uint64_t>> values(it->second.begin(), it->second.end());
  if (name == "year") {
    std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  } else {
    std::stable_sort(values.begin(), values.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
  }
  // The first kFacetShown values, then up to kFacetListed behind "more":
  // a common word at 100,000 filings has 11,057 companies, and listing them
  // all made the page 1.5 MB. Every count stays exact; the rest are in the
  // API's answer, linked below the list.
  constexpr size_t kFacetShown = 8;
  constexpr size_t kFacetListed = 50;
  const size_t listed = std::min(values.size(), kFacetListed);
  std::string h = "<section class=\"facet\" data-facet=\"" + Esc(name) + "\"><h3>" + Esc(title) +
                  "</h3><ul>";
  size_t shown = 0;
  for (size_t i = 0; i < listed; ++i) {
    const auto& [value, n] = values[i];
    if (shown++ == kFacetShown) {
      h += "</ul><details><summary>" + Num(values.size() - kFacetShown) + " more</summary><ul>";
    }
    if (!value.empty() && value.front() == '(') {
      // "(unknown)", "(other)": counted, but not a value a filter can name.
      h += "<li class=\"nolink\"><span class=\"v\">" + Esc(value) + "</span><span class=\"n\">" +
           Num(n) + "</span></li>";
      continue;
    }
    std::string filter = name + ":" + value;
    bool active = std::find(s.filters.begin(), s.filters.end(), filter) != s.filters.end();
    PageState next = s;
    next.page = 1;
    if (active) {
      next.filters.erase(std::find(next.filters.begin(), next.filters.end(), filter));
    } else {
      next.filters.push_back(filter);
    }
    h += "<li" + std::string(active ? " class=\"on\"" : "") + "><a href=\"" + Esc(PageUrl(next)) +
         "\" title=\"" + Esc(FacetValueLabel(r, name, value)) + "\"><span class=\"v\">" +
         Esc(FacetValueLabel(r, name, value)) + "</span><span class=\"n\">" +
         Num(n) + "</span></a></li>";
  }
  h += "</ul>";
  if (values.size() > listed) {
    const std::string api = ApiSearchUrl(s) + "&limit=0";
    h += "<p class=\"rest\">" + Num(values.size() - listed) + " more, fewer filings each: <a href=\"" +
         Esc(api) + "\">all as JSON</a></p>";
  }
  if (shown > kFacetShown) h += "</details>";
  return h + "</section>";
}

std::string Facets(const PageState& s, const SearchResult& r) {
  std::string h;
  std::vector<std::string> done;
  for (const FacetInfo& f : kFacets) {
    h += FacetBox(s, r, f.name, f.title);
    done.push_back(f.name);
  }
  for (const auto& [name, values] : r.facets) {
    if (std::find(done.begin(), done.end(), name) == done.end()) h += FacetBox(s, r, name, name);
  }
  return h;
}

std::string Chips(const PageState& s) {
  if (s.filters.empty()) return "";
  std::string h = "<div class=\"chips\">";
  for (const std::string& f : s.filters) {
    PageState next = s;
    next.page = 1;
    next.filters.erase(std::find(next.filters.begin(), next.filters.end(), f));
    h += "<a class=\"chip\" title=\"remove this filter\" href=\"" + Esc(PageUrl(next)) + "\">" +
         Esc(f) + " <span aria-hidden=\"true\">&times;</span></a>";
  }
  PageState none = s;
  none.filters.clear();
  none.page = 1;
  return h + "<a class=\"clear\" href=\"" + Esc(PageUrl(none)) + "\">clear filters</a></div>";
}

std::string HitHtml(const Hit& h, const PageState& s, const std::string& back) {
  std::string out = "<article class=\"hit\"><div class=\"line1\"><span class=\"form\">" +
                    Esc(h.form.empty() ? "?" : h.form) + "</span> <span class=\"who\">";
  if (!h.subjects.empty()) {
    out += PartiesHtml(h.subjects);
  } else if (!h.filers.empty()) {
    out += PartiesHtml(h.filers);
  } else if (!h.company.empty()) {
    out += Esc(h.company);
  } else {
    // A file without an SEC header: its name is what identifies it.
    size_t slash = h.path.rfind('/');
    out += "<span class=\"noheader\">" +
           Esc(slash == std::string::npos ? h.path : h.path.substr(slash + 1)) +
           "</span> <span class=\"cik\">no SEC header</span>";
  }
  out += "</span><span class=\"dates\">filed <time>" + Esc(h.filed.empty() ? "unknown" : h.filed) +
         "</time>";
  if (!h.period.empty()) out += " &middot; period <time>" + Esc(h.period) + "</time>";
  out += "</span></div>";
  std::string meta;
  if (!h.subjects.empty() && !h.filers.empty()) {
    meta += "<span class=\"role\">filed by</span> " + PartiesHtml(h.filers);
  }
  if (!h.items.empty()) {
    meta += std::string(meta.empty() ? "" : " &middot; ") + "<span class=\"role\">items</span> ";
    for (size_t i = 0; i < h.items.size(); ++i) {
      meta += (i ? ", " : "") + std::string("<span class=\"item\">") + Esc(h.items[i]) + "</span>";
    }
  }
  if (!meta.empty()) out += "<div class=\"meta\">" + meta + "</div>";
  std::string doc = h.accession.empty() ? "" : Esc(h.accession) + " &middot; ";
  if (!h.document.type.empty()) doc += Esc(h.document.type);
  size_t slash = h.path.rfind('/');
  bool named = h.path.compare(slash == std::string::npos ? 0 : slash + 1, std::string::npos,
                              h.document.filename) == 0;
  // A header-less file is already named by its file name above.
  if (!h.document.filename.empty() && !(h.accession.empty() && named)) {
    doc += " " + Esc(h.document.filename);
  }
  if (!h.document.description.empty() && h.document.description != h.document.type) {
    doc += " <span class=\"desc\">" + Esc(h.document.description) + "</span>";
  }
  if (h.matching_documents > 1) {
    doc += " <span class=\"more\">+" + Num(h.matching_documents - 1) + " more matching</span>";
  }
  if (!doc.empty()) out += "<div class=\"doc\">" + doc + "</div>";
  if (!h.snippet.empty()) out += "<p class=\"snippet\">" + SnippetHtml(h.snippet) + "</p>";
  out += "<div class=\"links\">";
  // Header-less files have no accession: their filing key comes from the
  // path, and the document view finds them by it.
  if (!h.filing_key.empty()) {
    out += "<a class=\"view\" href=\"" +
           Esc(DocumentUrl(h.filing_key, h.document.sequence, ComposeQuery(s), back)) +
           "\">view text</a>";
  }
  out += SecLink(h.url, "document on sec.gov");
  out += SecLink(h.index_url, "filing index on sec.gov");
  return out + "</div></article>";
}

std::string Pager(const PageState& s, uint64_t total) {
  uint64_t pages = (total + s.page_size - 1) / s.page_size;
  if (pages <= 1) return "";
  std::string h = "<nav class=\"pager\" aria-label=\"pages\">";
  auto link = [&](uint64_t page, const std::string& text, const char* rel) {
    PageState next = s;
    next.page = page;
    return "<a href=\"" + Esc(PageUrl(next)) + "\"" + (rel ? std::string(" rel=\"") + rel + "\"" : "") +
           ">" + text + "</a>";
  };
  if (s.page > 1) h += link(s.page - 1, "&larr; previous", "prev");
  uint64_t first = s.page > 3 ? s.page - 3 : 1;
  uint64_t last = std::min(pages, first + 6);
  if (first > 1) h += link(1, "1", nullptr) + (first > 2 ? "<span>&hellip;</span>" : "");
  for (uint64_t p = first; p <= last; ++p) {
    h += p == s.page ? "<span class=\"cur\" aria-current=\"page\">" + Num(p) + "</span>"
                     : link(p, Num(p), nullptr);
  }
  if (last < pages) h += (last + 1 < pages ? "<span>&hellip;</span>" : "") + link(pages, Num(pages), nullptr);
  if (s.page < pages) h += link(s.page + 1, "next &rarr;", "next");
  return h + "</nav>";
}

}  // namespace

std::string Esc(const std::string& s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string SearchPage(const PageState& s, const SearchResult* r, const std::string& error) {
  std::string title = s.q.empty() && s.filters.empty() ? "fidx" : s.q + " - fidx";
  std::string h = std::string(kHead) + "<title>" + Esc(title) + "</title></head><body class=\"search-page\">";
  h += "<header><a class=\"logo\" href=\"/\">fidx</a>" + SearchForm(s) + "</header>";
  h += "<main>";
  if (!error.empty()) {
    h += "<div class=\"error\" role=\"alert\">" + Esc(error) + "</div>";
  }
  if (r == nullptr) {
    return h + "</main></body></html>\n";
  }
  h += Chips(s);
  uint64_t first = r->hits.empty() ? 0 : r->hits.front().rank;
  uint64_t last = r->hits.empty() ? 0 : r->hits.back().rank;
  h += "<div class=\"layout\"><aside class=\"facets\" aria-label=\"filters\">" + Facets(s, *r) +
       "</aside><section class=\"results\"><p class=\"total\" id=\"total\"><strong>" +
       Num(r->total) + "</strong> filing" + (r->total == 1 ? "" : "s") + " match";
  if (!r->hits.empty()) h += " &middot; showing " + Num(first) + "&ndash;" + Num(last);
  // The same search from the API, for a script to take over.
  std::string api = ApiSearchUrl(s) + "&limit=" +
                    std::to_string(s.page_size) + "&offset=" + std::to_string((s.page - 1) * s.page_size) +
                    (s.sort == "relevance" ? "" : "&sort=" + s.sort);
  h += " <a class=\"api\" href=\"" + Esc(api) + "\" title=\"this page as JSON\">JSON</a></p>";
  for (const std::string& w : r->warnings) h += "<div class=\"warning\">" + Esc(w) + "</div>";
  if (r->hits.empty() && r->total > 0) h += "<p>No hits on this page.</p>";
  if (r->total == 0) h += "<p class=\"none\">Nothing matches. Try fewer words, a wider date range, or OR between alternatives.</p>";
  std::string back = PageUrl(s);
  for (const Hit& hit : r->hits) h += HitHtml(hit, s, back);
  h += Pager(s, r->total);
  return h + "</section></div></main></body></html>\n";
}

std::string FrontPage(const SearchResult& all) {
  PageState s;
  s.q = "*";
  std::string h = std::string(kHead) + "<title>fidx</title></head><body class=\"front-page\">";
  PageState empty;
  h += "<header><a class=\"logo\" href=\"/\">fidx</a>" + SearchForm(empty) + "</header><main>";
  h += "<div class=\"intro\"><p><strong>" + Num(all.total) +
       "</strong> filings indexed. Search their full text: words, <code>\"exact phrases\"</code>, "
       "<code>OR</code>, <code>-exclusions</code>, <code>NEAR</code>, <code>pharma*</code>, "
       "and filters such as <code>form:8-K</code>, <code>cik:1279704</code>, "
       "<code>item:2.02</code>, <code>filed:2020..2022</code> (<a href=\"/help\">query "
       "syntax</a>). Or <a href=\"/?q=*&amp;sort=newest\">browse every filing</a>, newest "
       "first, or start from a form, a year or a company below.</p></div>";
  h += "<div class=\"browse\">" + Facets(s, all) + "</div>";
  return h + "</main></body></html>\n";
}

std::string DocumentPage(const Searcher::FilingDocuments& filing,
                         const Searcher::DocumentText& doc, const std::string& query,
                         const std::string& back) {
  using nlohmann::json;
  json header = filing.header_json.empty() ? json() : json::parse(filing.header_json, nullptr, false);
  if (header.is_discarded()) header = json();
  auto str = [&](const json& j, const char* k) {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  std::string form = header.is_object() ? str(header, "form") : "";
  std::string title = (form.empty() ? "" : form + " ") + doc.filing_key + " " + doc.document.type;
  std::string h = std::string(kHead) + "<title>" + Esc(title) + " - fidx</title></head><body class=\"doc-page\">";
  std::string back_url = back.rfind("/?", 0) == 0 ? back : "/";
  h += "<header><a class=\"logo\" href=\"/\">fidx</a><a class=\"back\" id=\"back\" href=\"" +
       Esc(back_url) + "\">&larr; results</a><div class=\"matchnav\" id=\"matchnav\"><span id=\"count\">" +
       Num(doc.matches) + " match" + (doc.matches == 1 ? "" : "es") + "</span>";
  if (doc.matches) {
    h += " <a id=\"prev\" href=\"#m" + std::to_string(doc.matches) + "\" title=\"previous match (p)\">&uarr; prev</a>"
         " <a id=\"next\" href=\"#m1\" title=\"next match (n)\">&darr; next</a>";
  }
  h += "</div></header><div class=\"layout\"><aside class=\"filing\">";
  if (header.is_object()) {
    h += "<h2>" + Esc(form.empty() ? "filing" : form) + "</h2><dl>";
    for (const char* k : {"accession", "filed", "period", "acceptance"}) {
      std::string v = str(header, k);
      if (!v.empty()) h += "<dt>" + std::string(k) + "</dt><dd>" + Esc(v) + "</dd>";
    }
    auto items = header.find("items");
    if (items != header.end() && items->is_array() && !items->empty()) {
      h += "<dt>items</dt>";
      for (const json& i : *items) {
        if (i.is_string()) h += "<dd>" + Esc(i.get<std::string>()) + "</dd>";
      }
    }
    h += "</dl>";
    auto parties = header.find("parties");
    if (parties != header.end() && parties->is_array()) {
      h += "<h3>Parties</h3><ul class=\"parties\">";
      for (const json& p : *parties) {
        if (!p.is_object()) continue;
        h += "<li><span class=\"role\">" + Esc(str(p, "role")) + "</span> " + Esc(str(p, "name"));
        auto cik = p.find("cik");
        if (cik != p.end() && cik->is_number()) h += " <span class=\"cik\">CIK " + cik->dump() + "</span>";
        std::string sic = str(p, "sic_title");
        if (!sic.empty()) h += "<br><small>" + Esc(sic) + "</small>";
        h += "</li>";
      }
      h += "</ul>";
    }
  } else {
    h += "<h2>file without an SEC header</h2><p class=\"path\">" + Esc(filing.path) + "</p>";
  }
  h += "<h3>Documents</h3><ol class=\"docs\">";
  for (const HitDocument& d : filing.documents) {
    bool here = d.sequence == doc.document.sequence;
    h += "<li" + std::string(here ? " class=\"on\"" : "") + "><a href=\"" +
         Esc(DocumentUrl(doc.filing_key, d.sequence, query, back)) + "\">" +
         Esc(d.type.empty() ? "document" : d.type) + " <small>" + Esc(d.filename) + "</small></a></li>";
  }
  h += "</ol></aside><section class=\"text\"><h1>" + Esc(doc.document.type.empty() ? "document" : doc.document.type) +
       " <small>" + Esc(doc.document.filename) + " " + Esc(doc.document.description) + "</small></h1>";
  if (doc.text.empty()) h += "<p class=\"none\">This document has no text (an image, PDF or other binary file).</p>";
  h += "<pre id=\"text\">";
  std::string text;
  text.reserve(doc.text.size() + doc.text.size() / 8);
  uint64_t n = 0;
  for (char c : doc.text) {
    switch (c) {
      case '\x02':
        ++n;
        // Each match links to the next: match navigation without JavaScript.
        text += "<a class=\"hl\" id=\"m" + std::to_string(n) + "\" href=\"#m" +
                std::to_string(n < doc.matches ? n + 1 : 1) + "\"><mark>";
        break;
      case '\x03': text += "</mark></a>"; break;
      case '&': text += "&amp;"; break;
      case '<': text += "&lt;"; break;
      case '>': text += "&gt;"; break;
      case '"': text += "&quot;"; break;
      default: text.push_back(c);
    }
  }
  h += text + "</pre></section></div></body></html>\n";
  return h;
}

std::string HelpPage() {
  const std::pair<const char*, const char*> rows[] = {
      {"orphan drug", "both words anywhere in a filing (stemmed: drugs matches too)"},
      {"\"orphan drug\"", "the exact phrase"},
      {"licence OR license, a AND b, a NOT b, (a OR b) c", "boolean operators (upper case)"},
      {"drug -placebo, +drug", "exclude / require a word"},
      {"orphan NEAR drug, orphan NEAR/3 drug", "proximity"},
      {"pharma*", "words starting with pharma"},
      {"cik:1279704", "any party of the filing"},
      {"form:8-K, form:10-K*", "exact form; a trailing * takes amendments too"},
      {"sic:2834 state:DE item:2.02 file:001-36598", "SIC, state of incorporation, 8-K item, file number"},
      {"year:2015..2017, filed:2017-01-01..2017-06-30", "filed year or date ranges"},
      {"type:EX-99.1, company:cellectar, description:\"press release\"", "document type, party names, descriptions"},
      {"accession:0001144204-17-013452", "one filing"},
      {"*", "every filing (alone or with filters)"},
  };
  std::string h = std::string(kHead) + "<title>Query syntax - fidx</title></head><body>"
                  "<header><a class=\"logo\" href=\"/\">fidx</a></header><main class=\"help\">"
                  "<h1>Query syntax</h1><table><tr><th>query</th><th>matches</th></tr>";
  for (const auto& [q, what] : rows) {
    h += "<tr><td><code>" + Esc(q) + "</code></td><td>" + Esc(what) + "</td></tr>";
  }
  return h + "</table><p>Filters of one field are OR-ed, different fields AND-ed. Keys: "
             "<kbd>/</kbd> search box; in a document <kbd>n</kbd> next and <kbd>p</kbd> previous "
             "match.</p></main></body></html>\n";
}

std::string ErrorPage(int status, const std::string& message) {
  return std::string(kHead) + "<title>" + std::to_string(status) + " - fidx</title></head><body>"
         "<header><a class=\"logo\" href=\"/\">fidx</a></header><main><div class=\"error\" role=\"alert\">" +
         Esc(message) + "</div></main></body></html>\n";
}

}  // namespace serve
}  // namespace fidx
