#include "fidx/edgar_items.h"

#include <cctype>

namespace fidx {

namespace {

struct Item {
  const char* number;
  const char* description;
};

// Form 8-K General Instructions, items since the 2004 revision.
constexpr Item kItems[] = {
    {"1.01", "Entry into a Material Definitive Agreement"},
    {"1.02", "Termination of a Material Definitive Agreement"},
    {"1.03", "Bankruptcy or Receivership"},
    {"1.04", "Mine Safety - Reporting of Shutdowns and Patterns of Violations"},
    {"1.05", "Material Cybersecurity Incidents"},
    {"2.01", "Completion of Acquisition or Disposition of Assets"},
    {"2.02", "Results of Operations and Financial Condition"},
    {"2.03", "Creation of a Direct Financial Obligation or an Obligation under an "
             "Off-Balance Sheet Arrangement of a Registrant"},
    {"2.04", "Triggering Events That Accelerate or Increase a Direct Financial Obligation"},
    {"2.05", "Costs Associated with Exit or Disposal Activities"},
    {"2.06", "Material Impairments"},
    {"3.01", "Notice of Delisting or Failure to Satisfy a Continued Listing Rule or Standard"},
    {"3.02", "Unregistered Sales of Equity Securities"},
    {"3.03", "Material Modification to Rights of Security Holders"},
    {"4.01", "Changes in Registrant's Certifying Accountant"},
    {"4.02", "Non-Reliance on Previously Issued Financial Statements"},
    {"5.01", "Changes in Control of Registrant"},
    {"5.02", "Departure of Directors or Certain Officers"},
    {"5.03", "Amendments to Articles of Incorporation or Bylaws"},
    {"5.04", "Temporary Suspension of Trading Under Registrant's Employee Benefit Plans"},
    {"5.05", "Amendments to the Registrant's Code of Ethics"},
    {"5.06", "Change in Shell Company Status"},
    {"5.07", "Submission of Matters to a Vote of Security Holders"},
    {"5.08", "Shareholder Director Nominations"},
    {"6.01", "ABS Informational and Computational Material"},
    {"6.02", "Change of Servicer or Trustee"},
    {"6.03", "Change in Credit Enhancement or Other External Support"},
    {"6.04", "Failure to Make a Required Distribution"},
    {"6.05", "Securities Act Updating Disclosure"},
    {"7.01", "Regulation FD Disclosure"},
    {"8.01", "Other Events"},
    {"9.01", "Financial Statements and Exhibits"},
};

// Lower-case letters and digits only: "Changes in Registrant's" ->
// "changesinregistrants".
std::string Squeeze(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

}  // namespace

std::string EightKItemNumber(std::string_view item) {
  std::string key = Squeeze(item);
  if (key.size() < 5) {
    for (const Item& i : kItems) {
      if (Squeeze(i.number) == key) return i.number;
    }
    return "";
  }
  // Headers truncate long descriptions and sometimes extend short ones, so
  // either may be a prefix of the other (at least 12 characters of it).
  for (const Item& i : kItems) {
    std::string d = Squeeze(i.description);
    size_t n = std::min(d.size(), key.size());
    if (n >= std::min<size_t>(12, d.size()) && d.compare(0, n, key, 0, n) == 0) return i.number;
  }
  return "";
}

std::string EightKItemTitle(std::string_view number) {
  for (const Item& i : kItems) {
    if (number == i.number) return i.description;
  }
  return "";
}

}  // namespace fidx
