// EDGAR's form groups, as SEC full-text search offers them in its
// "Filing category" menu (../shared/notes/edgar.md 1.4), by the short names
// `category:` takes. A form belongs to a group as itself or as the root of
// an amendment ("10-K/A" is a 10-K); a few families go by prefix ("424B*").

#include <algorithm>

#include "fidx/schema.h"

namespace fidx {
namespace schema {

namespace {

struct Group {
  const char* name;
  const char* title;
  std::vector<const char*> forms;     // exact root forms
  std::vector<const char*> prefixes;  // root forms starting with these
};

const std::vector<Group>& Groups() {
  static const std::vector<Group> groups = {
      {"periodic", "Annual, quarterly and current reports",
       {"10-K", "10-K405", "10-KSB", "10-KSB40", "10-KT", "10-Q", "10-QSB", "10-QT", "8-K",
        "8-K12B", "8-K12G3", "8-K15D5", "20-F", "40-F", "6-K", "11-K", "11-KT", "N-CSR",
        "N-CSRS", "N-PX", "N-Q", "N-CEN", "N-30D", "NSAR-A", "NSAR-B", "13F-HR", "13F-NT",
        "1-K", "1-SA", "1-U", "1-Z", "10-D", "ABS-15G", "SD", "ARS", "NT 10-K", "NT 10-Q",
        "NT 20-F", "NT 11-K", "NT N-CEN", "18-K", "N-MFP", "N-MFP2", "N-MFP3", "N-PORT"},
       {"NPORT-"}},
      {"insider", "Insider equity awards, transactions and ownership (Section 16)",
       {"3", "4", "5"}, {}},
      {"ownership", "Beneficial ownership reports",
       {"SC 13D", "SC 13G", "SCHEDULE 13D", "SCHEDULE 13G", "13D", "13G"}, {}},
      {"exempt", "Exempt offerings",
       {"D", "1-A", "1-A POS", "1-A-W", "253G1", "253G2", "253G3", "253G4", "144", "C", "C-U",
        "C-AR", "C-TR", "C-W", "1-E", "2-E", "REGDEX", "DOS", "DOSLTR"},
       {}},
      {"registration", "Registration statements and prospectuses",
       {"S-1", "S-1MEF", "S-3", "S-3ASR", "S-3D", "S-3DPOS", "S-3MEF", "S-4", "S-4EF", "S-4MEF",
        "S-6", "S-8", "S-8 POS", "S-11", "S-11MEF", "S-20", "SB-1", "SB-2", "SB-2MEF", "F-1",
        "F-1MEF", "F-3", "F-3ASR", "F-3D", "F-3DPOS", "F-3MEF", "F-4", "F-4EF", "F-4MEF",
        "F-6", "F-6EF", "F-6 POS", "F-7", "F-8", "F-9", "F-10", "F-10EF", "F-10POS", "F-80",
        "SF-1", "SF-3", "POS AM", "POS EX", "POS ASR", "POS462B", "POS462C", "424A", "424H",
        "FWP", "N-1A", "N-2", "N-2ASR", "N-14", "485APOS", "485BPOS", "485BXT", "486APOS",
        "486BPOS", "497", "497AD", "497J", "497K", "10-12B", "10-12G", "8-A12B", "8-A12G",
        "RW", "AW", "DRS", "DRSLTR", "S-B", "S-2", "N-6", "N-3", "N-4"},
       {"424B"}},
      {"correspondence", "Filing review correspondence", {"CORRESP", "UPLOAD", "LETTER"}, {}},
      {"orders", "SEC orders and notices",
       {"EFFECT", "ORDER", "40-APP", "40-OIP", "40-6B", "NO ACT", "SEC STAFF ACTION",
        "SEC STAFF LETTER", "SEC ACTION", "APP ORDR", "APP NTC", "APP WD"},
       {}},
      {"proxy", "Proxy materials",
       {"DEF 14A", "DEF 14C", "DEFA14A", "DEFA14C", "DEFC14A", "DEFC14C", "DEFM14A", "DEFM14C",
        "DEFN14A", "DEFR14A", "DEFR14C", "DEFS14A", "DEFS14C", "PRE 14A", "PRE 14C",
        "PREC14A", "PREC14C", "PREM14A", "PREM14C", "PREN14A", "PRER14A", "PRER14C",
        "PRES14A", "PRES14C", "PRRN14A", "DFAN14A", "DFRN14A", "PX14A6G", "PX14A6N"},
       {}},
      {"tender", "Tender offers and going-private transactions",
       {"SC TO-C", "SC TO-I", "SC TO-T", "SC 13E3", "SC 13E4", "SC 14D1", "SC 14D9", "SC14D9C",
        "SC 14F1", "SC 13E1", "CB"},
       {}},
      {"indenture", "Trust indenture filings", {"305B2", "T-3", "T-1", "T-2", "T-6"}, {}},
  };
  return groups;
}

std::string RootForm(std::string_view form) {
  std::string f = CanonicalForm(form);
  // "10-K/A", "SC 13D/A", "8-K /A"
  while (f.size() > 2 && f.compare(f.size() - 2, 2, "/A") == 0) {
    f.resize(f.size() - 2);
    while (!f.empty() && f.back() == ' ') f.pop_back();
  }
  return f;
}

}  // namespace

const std::vector<Category>& Categories() {
  static const std::vector<Category> cats = [] {
    std::vector<Category> out;
    for (const Group& g : Groups()) out.push_back({g.name, g.title});
    return out;
  }();
  return cats;
}

std::vector<std::string> FormCategories(std::string_view form) {
  std::vector<std::string> out;
  std::string root = RootForm(form);
  if (root.empty()) return out;
  for (const Group& g : Groups()) {
    bool in = std::any_of(g.forms.begin(), g.forms.end(),
                          [&](const char* f) { return root == f; }) ||
              std::any_of(g.prefixes.begin(), g.prefixes.end(),
                          [&](const char* p) { return root.rfind(p, 0) == 0; });
    if (in) out.emplace_back(g.name);
  }
  return out;
}

std::string CategoryForms(std::string_view category) {
  for (const Group& g : Groups()) {
    if (category != g.name) continue;
    std::string out;
    for (const char* f : g.forms) {
      if (!out.empty()) out += ", ";
      out += f;
    }
    for (const char* p : g.prefixes) {
      if (!out.empty()) out += ", ";
      out += std::string(p) + "*";
    }
    return out;
  }
  return "";
}

}  // namespace schema
}  // namespace fidx
