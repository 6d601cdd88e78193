// Element classes and case-blind matching for HTML markup.

#include "markup.h"

#include <unordered_map>

namespace fidx {
namespace internal {

ElementKind KindOf(std::string_view name) {
  static const auto* kKinds = new std::unordered_map<std::string_view,
                                                     ElementKind>{
      {"td", ElementKind::kCell},          {"th", ElementKind::kCell},
      {"p", ElementKind::kBlock},          {"div", ElementKind::kBlock},
      {"br", ElementKind::kBlock},         {"tr", ElementKind::kBlock},
      {"li", ElementKind::kBlock},         {"h1", ElementKind::kBlock},
      {"h2", ElementKind::kBlock},         {"h3", ElementKind::kBlock},
      {"h4", ElementKind::kBlock},         {"h5", ElementKind::kBlock},
      {"h6", ElementKind::kBlock},         {"table", ElementKind::kBlock},
      {"pre", ElementKind::kBlock},        {"hr", ElementKind::kBlock},
      {"title", ElementKind::kBlock},      {"blockquote", ElementKind::kBlock},
      {"dd", ElementKind::kBlock},         {"dt", ElementKind::kBlock},
      {"dl", ElementKind::kBlock},         {"ul", ElementKind::kBlock},
      {"ol", ElementKind::kBlock},         {"page", ElementKind::kBlock},
      {"caption", ElementKind::kBlock},    {"thead", ElementKind::kBlock},
      {"tbody", ElementKind::kBlock},      {"tfoot", ElementKind::kBlock},
      {"center", ElementKind::kBlock},     {"address", ElementKind::kBlock},
      {"section", ElementKind::kBlock},    {"article", ElementKind::kBlock},
      {"header", ElementKind::kBlock},     {"footer", ElementKind::kBlock},
      {"body", ElementKind::kBlock},       {"form", ElementKind::kBlock},
      {"option", ElementKind::kBlock},     {"img", ElementKind::kCell},
      {"script", ElementKind::kDrop},      {"style", ElementKind::kDrop},
      {"ix:header", ElementKind::kDrop},   {"template", ElementKind::kDrop},
      // EDGAR's index pages say what to do without JavaScript.
      {"noscript", ElementKind::kDrop},
  };
  auto it = kKinds->find(name);
  return it == kKinds->end() ? ElementKind::kInline : it->second;
}

size_t FindCaseless(std::string_view s, std::string_view needle, size_t from) {
  const char first = needle[0];
  for (size_t i = from; i + needle.size() <= s.size(); ++i) {
    if ((s[i] | 0x20) == first && StartsWithCaseless(s.substr(i), needle))
      return i;
  }
  return std::string_view::npos;
}

// style="...display: none..." hides inline-XBRL facts (ix:hidden's visible
// twin, cover-page tagging) in Workiva and Toppan Merrill filings.
bool StyleValueHides(std::string_view style) {
  for (size_t at = FindCaseless(style, "display"); at != style.npos;
       at = FindCaseless(style, "display", at + 7)) {
    size_t i = at + 7;
    while (i < style.size() && (style[i] == ' ' || style[i] == ':')) ++i;
    if (StartsWithCaseless(style.substr(i), "none")) return true;
  }
  return false;
}

}  // namespace internal
}  // namespace fidx
