#include "sec_api.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iterator>

namespace fidx {
namespace serve {

namespace {

using Json = nlohmann::ordered_json;

// Whether the query language has location: (business address state or
// country, distinct from state:, the state of incorporation).
constexpr bool kHaveLocationFilter = true;

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= s.size()) {
    size_t end = s.find(',', at);
    if (end == std::string::npos) end = s.size();
    std::string part = s.substr(at, end - at);
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    if (!part.empty()) out.push_back(part);
    at = end + 1;
  }
  return out;
}

// A filter value as query text: quoted when it holds a space ("SC 13G").
std::string Filter(const std::string& field, const std::string& value) {
  return value.find_first_of(" ()") == std::string::npos ? field + ":" + value
                                                         : field + ":\"" + value + "\"";
}

bool Plain(const std::string& v) {
  return v.size() <= 100 && v.find_first_of("\"\\:") == std::string::npos;
}

// SEC's form groups (form-cat0 ... form-cat10) as the query language's
// category: names; form-cat0 is "everything but Section 16 reports".
std::string CategoryFilter(const std::string& category) {
  static const char* const kNames[] = {"-insider",  "periodic", "insider",        "ownership",
                                       "exempt",    "registration", "correspondence", "orders",
                                       "proxy",     "tender",   "indenture"};
  for (size_t i = 0; i < std::size(kNames); ++i) {
    if (category != "form-cat" + std::to_string(i)) continue;
    std::string name = kNames[i];
    return name[0] == '-' ? "-category:" + name.substr(1) : "category:" + name;
  }
  return "";
}

std::string Padded(uint64_t cik) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%010llu", static_cast<unsigned long long>(cik));
  return buf;
}

std::string RootForm(std::string form) {
  if (form.size() > 2 && form.compare(form.size() - 2, 2, "/A") == 0) form.resize(form.size() - 2);
  return form;
}

Json Buckets(const SearchResult& r, const std::string& facet,
             const std::function<std::string(const std::string&)>& key) {
  Json buckets = Json::array();
  auto it = r.facets.find(facet);
  if (it == r.facets.end()) return Json{{"buckets", buckets}};
  std::vector<std::pair<std::string, uint64_t>> v(it->second.begin(), it->second.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [value, n] : v) {
    // fidx's "(unknown)" bucket has no counterpart in SEC's answers.
    if (!value.empty() && value.front() == '(') continue;
    buckets.push_back({{"key", key(value)}, {"doc_count", n}});
  }
  return Json{{"buckets", buckets}};
}

Json Source(const Hit& h) {
  Json ciks = Json::array(), names = Json::array(), sics = Json::array(), biz_states = Json::array(),
       biz_locations = Json::array(), inc_states = Json::array();
  // SEC lists the filing's entities with the subject first (its ciks[0]
  // is the folder its links use).
  std::vector<HitParty> parties = h.subjects;
  parties.insert(parties.end(), h.filers.begin(), h.filers.end());
  for (const HitParty& p : parties) {
    ciks.push_back(p.cik ? Json(Padded(p.cik)) : Json(nullptr));
    names.push_back(p.name + (p.cik ? "  (CIK " + Padded(p.cik) + ")" : ""));
    if (p.sic) sics.push_back(std::to_string(p.sic));
    biz_states.push_back(p.business_state.empty() ? Json(nullptr) : Json(p.business_state));
    std::string loc = p.business_city;
    if (!p.business_state.empty()) loc += (loc.empty() ? "" : ", ") + p.business_state;
    biz_locations.push_back(loc.empty() ? Json(nullptr) : Json(loc));
    inc_states.push_back(p.state_of_incorporation.empty() ? Json(nullptr) : Json(p.state_of_incorporation));
  }
  Json s;
  s["ciks"] = ciks;
  s["period_ending"] = h.period.empty() ? Json(nullptr) : Json(h.period);
  s["display_names"] = names;
  s["root_forms"] = Json::array({RootForm(h.form)});
  s["file_date"] = h.filed.empty() ? Json(nullptr) : Json(h.filed);
  s["form"] = h.form;
  s["adsh"] = h.accession;
  s["file_type"] = h.document.type;
  s["file_description"] = h.document.description.empty() ? Json(nullptr) : Json(h.document.description);
  s["sequence"] = h.document.sequence;
  s["sics"] = sics;
  s["biz_states"] = biz_states;
  s["biz_locations"] = biz_locations;
  s["inc_states"] = inc_states;
  s["items"] = h.items;
  s["xsl"] = nullptr;
  return s;
}

}  // namespace

bool ReadSecRequest(const Params& p, const ServerOptions& limits, SearchOptions* o,
                    std::string* error) {
  std::string q = Param(p, "q");
  if (q.size() > limits.max_query_bytes) {
    *error = "q is longer than " + std::to_string(limits.max_query_bytes) + " bytes";
    return false;
  }
  std::vector<std::string> parts;
  if (q.find_first_not_of(" \t") != std::string::npos) parts.push_back(q);
  // forms=10-K,8-K; a leading '-' excludes (SEC's form-cat0 is -3,-4,-5).
  std::string forms = Param(p, "forms");
  std::string category = Param(p, "category");
  if (!category.empty() && category != "custom") {
    std::string filter = CategoryFilter(category);
    if (filter.empty()) {
      *error = "category must be form-cat0 ... form-cat10 (or custom with forms=)";
      return false;
    }
    parts.push_back(filter);
  }
  for (const std::string& f : SplitCommas(forms)) {
    if (!Plain(f)) { *error = "forms: bad form " + f; return false; }
    parts.push_back(f[0] == '-' ? "-" + Filter("form", f.substr(1)) : Filter("form", f));
  }
  for (const std::string& c : SplitCommas(Param(p, "ciks"))) {
    if (c.find_first_not_of("0123456789") != std::string::npos || c.size() > 10) {
      *error = "ciks: " + c + " is not a CIK";
      return false;
    }
    parts.push_back("cik:" + c);
  }
  // entityName is the UI's "NAME (CIK 0000320193)".
  std::string entity = Param(p, "entityName");
  size_t cik_at = entity.rfind("(CIK ");
  if (cik_at != std::string::npos) {
    std::string digits;
    for (size_t i = cik_at + 5; i < entity.size() && isdigit(static_cast<unsigned char>(entity[i])); ++i) {
      digits += entity[i];
    }
    if (!digits.empty() && digits.size() <= 10) parts.push_back("cik:" + digits);
  }
  for (const std::string& s : SplitCommas(Param(p, "sics"))) {
    if (s.find_first_not_of("0123456789") != std::string::npos || s.size() > 4) {
      *error = "sics: " + s + " is not a SIC code";
      return false;
    }
    parts.push_back("sic:" + s);
  }
  for (const std::string& t : SplitCommas(Param(p, "fileType"))) {
    if (!Plain(t)) { *error = "fileType: bad type " + t; return false; }
    parts.push_back(Filter("type", t));
  }
  for (const std::string& i : SplitCommas(Param(p, "items"))) {
    if (!Plain(i)) { *error = "items: bad item " + i; return false; }
    parts.push_back("item:" + i);
  }
  std::string locations = Param(p, "locationCodes", Param(p, "locationCode"));
  if (!locations.empty()) {
    // SEC's default is the business location; fidx indexes the state of
    // incorporation (state:) and, with the query layer's location:, the
    // business address.
    bool incorporated = Param(p, "locationType") == "incorporated";
    if (!incorporated && !kHaveLocationFilter) {
      *error = "locationCodes by business location needs the query language's location: "
               "filter, which this fidx lacks; add locationType=incorporated for the state "
               "of incorporation";
      return false;
    }
    std::string field = incorporated ? "state" : "location";
    for (const std::string& l : SplitCommas(locations)) {
      if (l.size() != 2) { *error = "locationCodes: " + l + " is not an EDGAR code"; return false; }
      parts.push_back(field + ":" + l);
    }
  }
  std::string range = Param(p, "dateRange");
  std::string start = Param(p, "startdt"), end = Param(p, "enddt");
  if (!IsDate(start) || !IsDate(end)) {
    *error = "startdt and enddt must be dates like 2024-12-31";
    return false;
  }
  if (range.empty() && (!start.empty() || !end.empty())) range = "custom";
  if (!(range.empty() || range == "all" || range == "30d" || range == "1y" || range == "5y" ||
        range == "10y" || range == "custom")) {
    *error = "dateRange must be 30d, 1y, 5y, 10y, all or custom";
    return false;
  }
  std::string dates = DateRangeFilter(range, start, end);
  if (!dates.empty()) parts.push_back(dates);
  if (parts.empty()) {
    *error = "Blank search not valid. Please specify the entity, keyword, location, or filing type.";
    return false;
  }
  bool has_words = q.find_first_not_of(" \t") != std::string::npos;
  o->query = has_words ? "" : "*";
  for (const std::string& part : parts) o->query += (o->query.empty() ? "" : " ") + part;
  // Pages of 100 as SEC's; page=N means from=(N-1)*100; size= may shrink it.
  uint64_t size = 100;
  std::string size_text = Param(p, "size");
  if (!size_text.empty()) size = std::strtoull(size_text.c_str(), nullptr, 10);
  o->limit = std::min<uint64_t>(size, limits.max_page_size);
  std::string from = Param(p, "from"), page = Param(p, "page");
  if (!from.empty()) {
    o->offset = std::strtoull(from.c_str(), nullptr, 10);
  } else if (!page.empty()) {
    uint64_t n = std::strtoull(page.c_str(), nullptr, 10);
    o->offset = n > 1 ? (n - 1) * o->limit : 0;
  }
  std::string sort = Param(p, "sort");
  o->sort = sort == "desc" ? SortOrder::kNewest : sort == "asc" ? SortOrder::kOldest : SortOrder::kRelevance;
  // SEC's hits are documents; its aggregations count them too (fidx's count
  // filings: README).
  o->per_document = true;
  o->facets = true;
  o->snippets = false;
  return true;
}

std::string SecResponseJson(const SearchResult& r, const SearchOptions& o, uint64_t took_ms) {
  Json hits = Json::array();
  double max_score = 0;
  for (const Hit& h : r.hits) {
    max_score = std::max(max_score, h.score);
    hits.push_back({{"_index", "edgar_file"},
                    {"_id", h.accession + ":" + h.document.filename},
                    {"_score", h.score},
                    {"_source", Source(h)}});
  }
  Json j;
  j["took"] = took_ms;
  j["timed_out"] = false;
  j["hits"] = {{"total", {{"value", r.total}, {"relation", "eq"}}},
               {"max_score", r.hits.empty() ? Json(nullptr) : Json(max_score)},
               {"hits", hits}};
  auto labels = r.facet_labels.find("cik");
  j["aggregations"] = {
      {"entity_filter", Buckets(r, "cik",
                                [&](const std::string& cik) {
                                  std::string name;
                                  if (labels != r.facet_labels.end()) {
                                    auto it = labels->second.find(cik);
                                    if (it != labels->second.end()) name = it->second;
                                  }
                                  uint64_t n = std::strtoull(cik.c_str(), nullptr, 10);
                                  return name + (name.empty() ? "" : "  ") + "(CIK " + Padded(n) + ")";
                                })},
      {"form_filter", Buckets(r, "form", [](const std::string& v) { return v; })},
      {"sic_filter", Buckets(r, "sic", [](const std::string& v) { return v; })},
      {"biz_states_filter", Buckets(r, "location", [](const std::string& v) { return v; })},
      {"inc_states_filter", Buckets(r, "state", [](const std::string& v) { return v; })}};
  j["query"] = {{"fidx", o.query}, {"from", o.offset}, {"size", o.limit}};
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace serve
}  // namespace fidx
