#include "fidx/result_json.h"

#include <nlohmann/json.hpp>

#include <set>

namespace fidx {

namespace {

using Json = nlohmann::ordered_json;

Json StringOrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }
Json NumberOrNull(uint64_t n) { return n ? Json(n) : Json(nullptr); }

Json PartyJson(const HitParty& p) {
  Json j;
  j["role"] = StringOrNull(p.role);
  j["name"] = StringOrNull(p.name);
  j["cik"] = NumberOrNull(p.cik);
  j["sic"] = NumberOrNull(static_cast<uint64_t>(p.sic));
  j["state_of_incorporation"] = StringOrNull(p.state_of_incorporation);
  j["business_state"] = StringOrNull(p.business_state);
  j["business_city"] = StringOrNull(p.business_city);
  return j;
}

Json HitJson(const Hit& h, bool snippets) {
  Json j;
  j["rank"] = h.rank;
  j["score"] = h.score;
  j["accession"] = StringOrNull(h.accession);
  j["form"] = StringOrNull(h.form);
  j["filed"] = StringOrNull(h.filed);
  j["period"] = StringOrNull(h.period);
  j["company"] = StringOrNull(h.company);
  j["cik"] = NumberOrNull(h.cik);
  j["ciks"] = h.ciks;
  j["sic"] = NumberOrNull(static_cast<uint64_t>(h.sic));
  j["filers"] = Json::array();
  for (const HitParty& p : h.filers) j["filers"].push_back(PartyJson(p));
  j["subjects"] = Json::array();
  for (const HitParty& p : h.subjects) j["subjects"].push_back(PartyJson(p));
  j["items"] = h.items;
  j["filing_key"] = h.filing_key;
  j["path"] = h.path;
  j["document"] = {{"sequence", h.document.sequence},
                   {"type", StringOrNull(h.document.type)},
                   {"filename", StringOrNull(h.document.filename)},
                   {"description", StringOrNull(h.document.description)}};
  j["matching_documents"] = h.matching_documents;
  j["snippet"] = snippets ? Json(SnippetHtml(h.snippet)) : Json(nullptr);
  j["url"] = StringOrNull(h.url);
  j["index_url"] = StringOrNull(h.index_url);
  return j;
}

// Every facet of the query layer (FacetNames(), in its order), even when
// empty, then any other facet the result has.
std::vector<std::string> ResultFacetNames(const SearchResult& r) {
  std::vector<std::string> names = FacetNames();
  std::set<std::string> known(names.begin(), names.end());
  for (const auto& [name, values] : r.facets) {
    if (known.insert(name).second) names.push_back(name);
  }
  for (const auto& [name, labels] : r.facet_labels) {
    if (known.insert(name).second) names.push_back(name);
  }
  return names;
}

std::string Dump(const Json& j) {
  // Filings are not always valid UTF-8: replace, never throw.
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

std::string SnippetHtml(const std::string& snippet) {
  std::string out;
  out.reserve(snippet.size() + 32);
  for (char c : snippet) {
    switch (c) {
      case '\x02': out += "<mark>"; break;
      case '\x03': out += "</mark>"; break;
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

namespace {

// A JSON object with the entries of `map`, in its order. ordered_json
// looks a key up linearly on every insertion: a facet of 30,000 CIKs took
// half a second that way. A map's keys are distinct: appended as they are.
template <typename Map>
Json ObjectOf(const Map& map) {
  Json obj = Json::object();
  auto& entries = static_cast<Json::object_t::Container&>(*obj.get_ptr<Json::object_t*>());
  entries.reserve(map.size());
  for (const auto& [key, value] : map) entries.emplace_back(key, value);
  return obj;
}

}  // namespace

std::string SearchResultJson(const SearchResult& r, const SearchOptions& o) {
  Json j;
  j["total"] = r.total;
  j["hits"] = Json::array();
  for (const Hit& h : r.hits) j["hits"].push_back(HitJson(h, o.snippets));
  if (o.facets) {
    Json facets = Json::object();
    // Names for the codes: CIK -> company, SIC -> industry title; an empty
    // object when a facet has no labels.
    Json labels = Json::object();
    for (const std::string& name : ResultFacetNames(r)) {
      auto it = r.facets.find(name);
      facets[name] = it != r.facets.end() ? ObjectOf(it->second) : Json::object();
      auto lt = r.facet_labels.find(name);
      labels[name] = lt != r.facet_labels.end() ? ObjectOf(lt->second) : Json::object();
    }
    j["facets"] = std::move(facets);
    j["facet_labels"] = std::move(labels);
  }
  j["warnings"] = r.warnings;
  return Dump(j);
}

}  // namespace fidx
