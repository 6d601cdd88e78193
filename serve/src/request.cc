#include "request.h"

#include <ctime>

namespace fidx {
namespace serve {

namespace {

// The fields a facet click can filter on: the query language's own
// filters (README, "Query language"), so a filter is plain query text.
const char* const kFilterFields[] = {"form", "cik", "sic", "year", "state",
                                     "category", "location", "type", "item"};

std::string Today(int years_back, int days_back) {
  std::time_t now = std::time(nullptr) - static_cast<std::time_t>(days_back) * 86400;
  std::tm tm{};
  gmtime_r(&now, &tm);
  tm.tm_year -= years_back;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

bool ReadNumber(const std::string& text, uint64_t* out) {
  if (text.empty() || text.size() > 12) return false;
  uint64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  *out = n;
  return true;
}

}  // namespace

std::string Param(const Params& p, const std::string& name, const std::string& fallback) {
  auto it = p.find(name);
  return it == p.end() ? fallback : it->second;
}

bool IsFilterField(const std::string& field) {
  for (const char* f : kFilterFields) {
    if (field == f) return true;
  }
  return false;
}

bool SplitFilter(const std::string& filter, std::string* field, std::string* value) {
  size_t colon = filter.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == filter.size()) return false;
  *field = filter.substr(0, colon);
  *value = filter.substr(colon + 1);
  return true;
}

bool IsDate(const std::string& s) {
  if (s.empty()) return true;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

bool ReadPageState(const Params& p, const ServerOptions& limits, PageState* s,
                   std::string* error) {
  s->q = Param(p, "q");
  if (s->q.size() > limits.max_query_bytes) {
    *error = "the query is longer than " + std::to_string(limits.max_query_bytes) + " bytes";
    return false;
  }
  auto [b, e] = p.equal_range("f");
  for (auto it = b; it != e; ++it) {
    std::string field, value;
    if (!SplitFilter(it->second, &field, &value) || !IsFilterField(field) ||
        value.size() > 200 || value.find('"') != std::string::npos) {
      *error = "f=" + it->second + " is not a filter (field:value, field one of form, cik, sic, "
               "year, state, category, location, type, item)";
      return false;
    }
    s->filters.push_back(it->second);
  }
  if (s->filters.size() > 50) {
    *error = "more than 50 filters";
    return false;
  }
  s->date_range = Param(p, "dr");
  if (!(s->date_range.empty() || s->date_range == "all" || s->date_range == "30d" ||
        s->date_range == "1y" || s->date_range == "5y" || s->date_range == "10y" ||
        s->date_range == "custom")) {
    *error = "dr must be 30d, 1y, 5y, 10y, all or custom";
    return false;
  }
  if (s->date_range == "all") s->date_range.clear();
  s->from = Param(p, "from");
  s->to = Param(p, "to");
  if (!IsDate(s->from) || !IsDate(s->to)) {
    *error = "from and to must be dates like 2024-12-31";
    return false;
  }
  if (s->date_range != "custom") s->from.clear(), s->to.clear();
  s->sort = Param(p, "sort", "relevance");
  if (s->sort != "relevance" && s->sort != "newest" && s->sort != "oldest") {
    *error = "sort must be relevance, newest or oldest";
    return false;
  }
  std::string size = Param(p, "n", "20");
  if (!ReadNumber(size, &s->page_size) || s->page_size == 0 ||
      s->page_size > limits.max_page_size) {
    *error = "n (hits per page) must be a number from 1 to " +
             std::to_string(limits.max_page_size);
    return false;
  }
  std::string page = Param(p, "page", "1");
  if (!ReadNumber(page, &s->page) || s->page == 0) {
    *error = "page must be a number from 1";
    return false;
  }
  return true;
}

std::string DateRangeFilter(const std::string& range, const std::string& from,
                            const std::string& to) {
  if (range == "30d") return "filed:" + Today(0, 30) + "..";
  if (range == "1y") return "filed:" + Today(1, 0) + "..";
  if (range == "5y") return "filed:" + Today(5, 0) + "..";
  if (range == "10y") return "filed:" + Today(10, 0) + "..";
  if (range == "custom" && (!from.empty() || !to.empty())) return "filed:" + from + ".." + to;
  return "";
}

std::string ComposeQuery(const PageState& s) {
  std::string q;
  bool blank = s.q.find_first_not_of(" \t\r\n") == std::string::npos;
  // Filters and date ranges apply to the whole query in the query language
  // (Xapian's boolean filters), wherever they stand: no brackets needed.
  if (!blank) q = s.q;
  for (const std::string& f : s.filters) {
    std::string field, value;
    SplitFilter(f, &field, &value);
    if (!q.empty()) q += " ";
    // Quoted so that "SC 13G/A" and "DEF 14A" stay one value.
    q += value.find_first_of(" ()") == std::string::npos ? f : field + ":\"" + value + "\"";
  }
  std::string dates = DateRangeFilter(s.date_range, s.from, s.to);
  if (!dates.empty()) q += (q.empty() ? "" : " ") + dates;
  if (blank) q = q.empty() ? "*" : "* " + q;
  return q;
}

std::string UrlEncode(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
        c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string PageUrl(const PageState& s) {
  std::string url = "/?q=" + UrlEncode(s.q);
  for (const std::string& f : s.filters) url += "&f=" + UrlEncode(f);
  if (!s.date_range.empty()) url += "&dr=" + UrlEncode(s.date_range);
  if (!s.from.empty()) url += "&from=" + UrlEncode(s.from);
  if (!s.to.empty()) url += "&to=" + UrlEncode(s.to);
  if (s.sort != "relevance") url += "&sort=" + UrlEncode(s.sort);
  if (s.page_size != 20) url += "&n=" + std::to_string(s.page_size);
  if (s.page > 1) url += "&page=" + std::to_string(s.page);
  return url;
}

}  // namespace serve
}  // namespace fidx
