#include "hit_parties.h"

#include <nlohmann/json.hpp>

#include "fidx/edgar_items.h"
#include "fidx/schema.h"

namespace fidx {

namespace {

using nlohmann::json;

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

uint64_t Num(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_unsigned() ? it->get<uint64_t>() : 0;
}

// Roles that name whom a filing is about rather than who filed it.
bool IsSubjectRole(const std::string& role) {
  return role == "SUBJECT COMPANY" || role == "ISSUER";
}

}  // namespace

std::string FirstDocumentHeader(const Xapian::Database& db, const std::string& filing_key) {
  // The filing's documents meet the first-document list at one docid per
  // copy of the filing; its data holds the header.
  const std::string key_term = schema::FilingKeyTerm(filing_key);
  Xapian::PostingIterator first = db.postlist_begin(schema::kTermFirstDocument);
  const Xapian::PostingIterator first_end = db.postlist_end(schema::kTermFirstDocument);
  for (auto p = db.postlist_begin(key_term); p != db.postlist_end(key_term); ++p) {
    first.skip_to(*p);
    if (first == first_end) break;
    if (*first != *p) continue;
    StoredDoc s;
    if (DecodeStoredDoc(db.get_document(*p).get_data(), &s, nullptr) && !s.header_json.empty()) {
      return s.header_json;
    }
  }
  return "";
}

void DescribeParties(const std::string& header_json, const StoredDoc& stored, Hit* h) {
  json header = json::parse(header_json, nullptr, /*allow_exceptions=*/false);
  if (!header.is_object()) {
    // Header-less: what the indexer learnt of the file's parties.
    for (size_t i = 0; i < stored.ciks.size(); ++i) {
      HitParty p;
      p.cik = stored.ciks[i];
      if (i < stored.names.size()) p.name = stored.names[i];
      h->filers.push_back(std::move(p));
    }
    if (h->filers.empty() && !stored.company.empty()) {
      h->filers.push_back({"", stored.company, stored.cik, stored.sic, "", "", ""});
    }
    return;
  }
  for (const json& item : header.value("items", json::array())) {
    if (!item.is_string()) continue;
    std::string number = EightKItemNumber(item.get<std::string>());
    h->items.push_back(number.empty() ? item.get<std::string>() : number);
  }
  for (const json& party : header.value("parties", json::array())) {
    if (!party.is_object()) continue;
    HitParty p;
    p.role = Str(party, "role");
    // Group members carry a name only and repeat the filers.
    if (p.role == "GROUP MEMBER") continue;
    p.name = Str(party, "name");
    p.cik = Num(party, "cik");
    p.sic = static_cast<int>(Num(party, "sic"));
    p.state_of_incorporation = Str(party, "state_of_incorporation");
    auto address = party.find("business_address");
    if (address != party.end() && address->is_object()) {
      p.business_state = Str(*address, "state");
      p.business_city = Str(*address, "city");
    }
    (IsSubjectRole(p.role) ? h->subjects : h->filers).push_back(std::move(p));
  }
}

}  // namespace fidx
