// Character references decoded to UTF-8. Named references are looked up in
// libxml2's HTML entity table.

#include "entities.h"
#include "fidx/strings.h"

#include <libxml/HTMLparser.h>

namespace fidx {
namespace internal {

size_t DecodeEntity(std::string_view s, std::string* out) {
  size_t semi = s.substr(0, 40).find(';');
  if (semi == s.npos || semi < 2) return 0;
  std::string name(s.substr(1, semi - 1));
  uint32_t cp = 0;
  if (name[0] == '#') {
    bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    std::string digits = name.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 8 ||
        digits.find_first_not_of(hex ? "0123456789abcdefABCDEF"
                                     : "0123456789") != digits.npos)
      return 0;
    cp = static_cast<uint32_t>(std::stoul(digits, nullptr, hex ? 16 : 10));
  } else if (name == "apos") {
    cp = '\'';
  } else if (const htmlEntityDesc* entity = htmlEntityLookup(
                 reinterpret_cast<const xmlChar*>(name.c_str()))) {
    cp = entity->value;
  } else {
    return 0;
  }
  AppendUtf8(cp, out);
  return semi + 1;
}

size_t DecodeHeaderEntity(std::string_view s, std::string* out) {
  if (s.substr(0, 6) == "&nbsp;") {
    out->push_back(' ');
    return 6;
  }
  static constexpr std::string_view kXmlNames[] = {
      "&lt;", "&gt;", "&amp;", "&quot;", "&apos;",
  };
  if (s.substr(0, 2) != "&#") {
    bool known = false;
    for (std::string_view name : kXmlNames) known |= s.substr(0, name.size()) == name;
    if (!known) return 0;
  }
  return DecodeEntity(s, out);
}

}  // namespace internal
}  // namespace fidx
