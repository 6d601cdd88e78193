// The linear tag stripper (see tag_stripper.h).

#include "tag_stripper.h"

#include <algorithm>
#include <cctype>

#include "entities.h"
#include "fidx/text_extract.h"
#include "markup.h"
#include "text_sink.h"

namespace fidx {
namespace internal {
namespace {

void StripTags(std::string_view utf8, bool html, TextSink* sink) {
  std::string decoded;
  std::string tag;
  size_t pos = 0;
  while (pos < utf8.size()) {
    size_t special = utf8.find_first_of("<&", pos);
    if (special == utf8.npos) special = utf8.size();
    sink->Append(utf8.data() + pos, special - pos, false);
    pos = special;
    if (pos == utf8.size()) break;
    std::string_view rest = utf8.substr(pos);
    if (rest[0] == '&') {
      decoded.clear();
      size_t length = DecodeEntity(rest, &decoded);
      sink->Append(length ? decoded.data() : "&", length ? decoded.size() : 1,
                   false);
      pos += length ? length : 1;
      continue;
    }
    if (rest.substr(0, 9) == "<![CDATA[") {
      size_t end = rest.find("]]>");
      if (end == rest.npos) end = rest.size();
      sink->Append(rest.data() + 9, end > 9 ? end - 9 : 0, false);
      pos += std::min(rest.size(), end + 3);
      continue;
    }
    if (!StartsMarkup(rest)) {
      sink->Append("<", 1, false);
      ++pos;
      continue;
    }
    pos += MarkupLength(rest, &tag);
    ElementKind kind = html ? KindOf(tag) : ElementKind::kBlock;
    if (kind == ElementKind::kDrop && rest[1] != '/') {
      size_t close = FindCaseless(utf8, "</" + tag, pos);
      pos = close == utf8.npos ? utf8.size() : close;
    } else if (kind != ElementKind::kInline) {
      sink->Separate(kind == ElementKind::kCell ? Break::kSpace
                                                : Break::kNewline);
    }
  }
}

}  // namespace

size_t MarkupLength(std::string_view s, std::string* tag_name) {
  tag_name->clear();
  auto until = [&](std::string_view close, size_t from) {
    size_t at = s.find(close, from);
    return at == s.npos ? s.size() : at + close.size();
  };
  if (s.substr(0, 4) == "<!--") return until("-->", 4);
  if (s.substr(0, 2) == "<?") return until("?>", 2);
  if (s.substr(0, 2) == "<!") {  // <!DOCTYPE x [ <!ENTITY ...> ]>
    size_t close = s.find('>');
    size_t bracket = s.substr(0, close).find('[');
    return bracket == s.npos ? until(">", 2) : until("]>", bracket);
  }
  size_t i = s[1] == '/' ? 2 : 1;
  while (i < s.size() && (isalnum(static_cast<unsigned char>(s[i])) ||
                          s[i] == ':' || s[i] == '-' || s[i] == '_'))
    tag_name->push_back(
        static_cast<char>(tolower(static_cast<unsigned char>(s[i++]))));
  return until(">", i);
}

bool StartsMarkup(std::string_view s) {
  if (s.size() < 2) return false;
  unsigned char c = static_cast<unsigned char>(s[1]);
  return isalpha(c) || c == '/' || c == '!' || c == '?';
}

std::string StripToText(std::string_view bytes, bool html) {
  std::string utf8 = ToUtf8(bytes);
  TextSink sink(utf8.size() / 2);
  StripTags(utf8, html, &sink);
  return sink.Take();
}

}  // namespace internal
}  // namespace fidx
