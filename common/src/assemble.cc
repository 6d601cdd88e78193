#include "fidx/assemble.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "documents.h"
#include "fidx/parser.h"

namespace fidx {

namespace {

std::string DocumentKey(const Document& d) {
  if (!d.filename.empty()) {
    std::string key = "f:";
    for (char c : d.filename) key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return key;
  }
  return "s:" + std::to_string(d.sequence) + ":" + d.type;
}

bool HasHeader(const Filing& f) { return PartRank(f) >= 2; }

// Fills the fields `to` lacks from `from`, noting their sources.
void FillFrom(const Filing& from, Filing* to) {
  auto fill = [&](std::string* field, const std::string& value, const char* name) {
    if (!field->empty() || value.empty()) return;
    *field = value;
    auto it = from.sources.find(name);
    if (it != from.sources.end()) to->sources[name] = it->second;
  };
  fill(&to->accession, from.accession, "accession");
  fill(&to->form, from.form, "form");
  fill(&to->filed, from.filed, "filed");
  fill(&to->period, from.period, "period");
  if (to->acceptance.empty()) to->acceptance = from.acceptance;
  if (to->items.empty()) to->items = from.items;
  bool named = to->PrimaryParty() != nullptr;
  if ((to->parties.empty() || (!named && from.PrimaryParty())) && !from.parties.empty()) {
    to->parties = from.parties;
    for (const char* name : {"cik", "company"}) {
      auto it = from.sources.find(name);
      if (it != from.sources.end()) to->sources[name] = it->second;
    }
  }
}

}  // namespace

int PartRank(const Filing& f) {
  switch (f.format) {
    case Format::kFullSubmission:
    case Format::kImsSubmission:
    case Format::kDissemination:
      return 3;
    case Format::kHeaderOnly:
      return 2;
    case Format::kBareDocuments:
      return 1;
    default:
      return 0;
  }
}

Filing AssembleFiling(std::vector<FilingPart> parts, std::string* primary_path) {
  std::sort(parts.begin(), parts.end(), [](const FilingPart& a, const FilingPart& b) {
    int ra = PartRank(a.filing), rb = PartRank(b.filing);
    return ra != rb ? ra > rb : a.path < b.path;
  });
  if (parts.empty()) return Filing();
  size_t head = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (HasHeader(parts[i].filing)) {
      head = i;
      break;
    }
  }
  *primary_path = parts[head].path;
  Filing out = parts[head].filing;  // header fields; documents rebuilt below
  out.documents.clear();
  out.warnings.clear();
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i != head) FillFrom(parts[i].filing, &out);
  }
  // The documents: a header-only part has none; higher ranks first.
  std::set<std::string> seen;
  for (FilingPart& part : parts) {
    for (Document& d : part.filing.documents) {
      if (!seen.insert(DocumentKey(d)).second) continue;
      if (part.path != *primary_path) d.source_path = part.path;
      out.documents.push_back(std::move(d));
    }
  }
  // A header-only part's format says nothing of the documents found beside it.
  if (out.format == Format::kHeaderOnly && !out.documents.empty()) {
    for (const FilingPart& p : parts) {
      if (PartRank(p.filing) < 2) {
        out.format = p.filing.format;
        break;
      }
    }
  }
  return out;
}

std::string AccessionFromPath(std::string_view path) {
  uint64_t cik = 0;
  std::string accession;
  if (internal::ParseArchivePath(path, &cik, &accession)) return accession;
  size_t slash = path.find_last_of('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (base.size() <= 20 || (base[20] != '.' && base[20] != '-')) return "";
  if (base[10] != '-') return "";
  return NormalizeAccession(base.substr(0, 20));
}

}  // namespace fidx
