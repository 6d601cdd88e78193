// HtmlSlimmer: a scanner that copies HTML with start tags rewritten.

#include "html_slimmer.h"
#include "fidx/strings.h"

#include <algorithm>
#include <cstring>

#include "markup.h"

namespace fidx {
namespace internal {
namespace {


// ASCII only, as libxml2's IS_ASCII_LETTER (and faster than isalpha).
bool IsAsciiLetter(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

bool IsNameStart(char c) {
  return IsAsciiLetter(c) || c == '_' || c == ':' || c == '.';
}

bool IsNameChar(char c) {
  return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-';
}

bool EqualsCaseless(std::string_view s, std::string_view lower) {
  return s.size() == lower.size() && StartsWithCaseless(s, lower);
}

// Attributes kept per tag: libxml2 compares each with all earlier ones.
constexpr int kMaxKeptAttributes = 32;

}  // namespace

void HtmlSlimmer::Next(size_t budget, std::string* out) {
  size_t stop = std::min(in_.size(), pos_ + budget);
  while (pos_ < stop) {
    if (!raw_end_.empty()) {
      size_t end = FindCaseless(in_, raw_end_, pos_);
      Copy(end == in_.npos ? in_.size() : end, out);
      raw_end_.clear();
      continue;
    }
    const void* lt = memchr(in_.data() + pos_, '<', stop - pos_);
    if (lt == nullptr) {
      size_t end = stop;  // back up at most 3 bytes to a UTF-8 boundary
      for (int i = 0; i < 3 && end < in_.size() && end > pos_ + 1 &&
                      (static_cast<unsigned char>(in_[end]) & 0xC0) == 0x80;
           ++i)
        --end;
      Copy(end, out);
      return;
    }
    Copy(static_cast<const char*>(lt) - in_.data(), out);
    Markup(out);
  }
}

// What follows a '<', as libxml2 2.9's push parser reads it.
void HtmlSlimmer::Markup(std::string* out) {
  std::string_view rest = in_.substr(pos_);
  auto letter_at = [&](size_t i) {
    return rest.size() > i && IsAsciiLetter(rest[i]);
  };
  auto pi_target_at = [&](size_t i) {  // htmlParseName's first character
    return rest.size() > i && (IsAsciiLetter(rest[i]) || rest[i] == '_' ||
                               rest[i] == ':' || (rest[i] & 0x80) != 0);
  };
  if (letter_at(1)) {  // "<_a>" and "<1>" are text
    StartTag(out);
  } else if (rest.substr(0, 4) == "<!--") {  // ends at "-->" or "--!>"
    size_t end = Find("-->", pos_ + 4);
    size_t bang = in_.substr(0, end).find("--!>", pos_ + 4);  // not past end
    if (bang != in_.npos) end = bang;
    if (end < in_.size()) end += in_[end + 2] == '!' ? 4 : 3;
    Copy(end, out);
  } else if ((rest.substr(0, 2) == "</" && letter_at(2)) ||
             (rest.substr(0, 2) == "<?" && pi_target_at(2)) ||
             StartsWithCaseless(rest, "<!doctype")) {
    Copy(std::min(in_.size(), Find(">", pos_) + 1), out);
  } else {
    // A '<' that is text. After "</" or "<?" without a name libxml2 reads
    // on from the next character, so "</<script>" does open a script.
    bool skipped = rest.substr(0, 2) == "</" || rest.substr(0, 2) == "<?";
    Copy(pos_ + (skipped ? 2 : 1), out);
  }
}

void HtmlSlimmer::StartTag(std::string* out) {
  size_t p = pos_ + 1;
  while (p < in_.size() && IsNameChar(in_[p])) ++p;
  std::string_view name = in_.substr(pos_ + 1, p - pos_ - 1);
  size_t mark = out->size();
  out->append(in_.data() + pos_, p - pos_);
  TagState tag;
  bool empty = false;
  while (true) {
    while (p < in_.size() && IsAsciiSpace(in_[p])) ++p;
    if (p >= in_.size() || !Attribute(&p, &tag, out)) {
      out->resize(mark);  // cut off or odd: leave the rest to libxml2 as is
      Copy(in_.size(), out);
      return;
    }
    if (in_[p] == '>' || in_.substr(p, 2) == "/>") {
      empty = in_[p] == '/';
      break;
    }
  }
  size_t end = p + (empty ? 2 : 1);
  if (memchr(in_.data() + pos_, '\0', end - pos_) != nullptr) {
    out->resize(mark);  // libxml2 ends values at a NUL: leave the tag as is
    Copy(end, out);
    return;
  }
  out->append(in_.data() + p, end - p);
  pos_ = end;
  if (!empty &&
      (EqualsCaseless(name, "script") || EqualsCaseless(name, "style")))
    raw_end_ = "</" + std::string(name);
}

bool HtmlSlimmer::Attribute(size_t* pos, TagState* tag,
                            std::string* out) const {
  size_t p = *pos;
  if (in_[p] == '>' || in_.substr(p, 2) == "/>") return true;
  size_t start = p;
  if (!IsNameStart(in_[p])) {  // libxml2 skips a bogus attribute like this
    while (p < in_.size() && !IsAsciiSpace(in_[p]) && in_[p] != '>' &&
           in_.substr(p, 2) != "/>")
      ++p;
    *pos = p;
    return p < in_.size();
  }
  while (p < in_.size() && IsNameChar(in_[p])) ++p;
  std::string_view name = in_.substr(start, p - start);
  size_t q = p;
  while (q < in_.size() && IsAsciiSpace(in_[q])) ++q;
  std::string_view value;
  if (q < in_.size() && in_[q] == '=') {
    ++q;
    while (q < in_.size() && IsAsciiSpace(in_[q])) ++q;
    if (q >= in_.size()) return false;
    if (in_[q] == '"' || in_[q] == '\'') {
      size_t close = in_.find(in_[q], q + 1);
      if (close == in_.npos) return false;
      value = in_.substr(q + 1, close - q - 1);
      p = close + 1;
    } else {
      size_t v = q;
      while (q < in_.size() && !IsAsciiSpace(in_[q]) && in_[q] != '>') ++q;
      value = in_.substr(v, q - v);
      p = q;
    }
  }
  *pos = p;
  bool is_style = EqualsCaseless(name, "style");
  bool keep = ((name[0] | 0x20) == 'x' && StartsWithCaseless(name, "xmlns") &&
               value.find("inlineXBRL") != value.npos) ||
              // An entity could spell "none"; libxml2 decodes it: keep those.
              (is_style && !tag->style_seen &&
               (value.find('&') != value.npos || StyleValueHides(value)));
  tag->style_seen |= is_style;
  if (keep && tag->kept < kMaxKeptAttributes) {
    out->push_back(' ');
    out->append(in_.data() + start, p - start);
    ++tag->kept;
  }
  return p < in_.size();
}

}  // namespace internal
}  // namespace fidx
