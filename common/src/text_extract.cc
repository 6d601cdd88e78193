// HTML and XML to text with libxml2's SAX (push) parsers: no DOM is built
// and input is fed in chunks. UTF-8 and Windows-1252 bodies reach libxml2 as
// UTF-8 decoded by fidx itself (see ChooseDecoding), so that a wrong or
// missing <meta charset> cannot garble them; HTML start tags are first
// slimmed of the attributes nobody reads (see HtmlSlimmer). Input libxml2
// cannot take safely goes through a linear tag stripper (StripTags).

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <strings.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fidx/text_extract.h"

namespace fidx {
namespace {

// Bytes handed to libxml2 per push; big enough that per-call overhead
// vanishes, small enough that libxml2's own buffer stays small.
constexpr size_t kChunkBytes = 256 << 10;

// Elements open at once before the HTML is taken by stripping tags instead.
// libxml2's DOM builder stops at 256 (xmlParserMaxDepth) but its SAX path
// has no limit, and some of its end-tag handling scans the open-element
// stack, which would make hostile nesting quadratic.
constexpr int kMaxHtmlDepth = 1024;

// libxml2 2.9 checks each attribute of a tag against all earlier ones, so
// a tag with n attributes costs n^2; above this sum of n^2 over a document
// the parse would take seconds, and the tags are stripped instead. The
// corpus's HTML and XML files stay below 250,000, whole submissions with
// uuencoded parts below 4 million. (HTML in UTF-8 or Windows-1252 is
// slimmed first and never needs this.)
constexpr uint64_t kMaxAttributeWork = 100'000'000;

// Budget for libxml2 HTML errors, each weighted by the open-element depth
// at the time: an unexpected end tag makes libxml2 scan the whole stack of
// open elements, and every error is formatted. The budget is the larger of
// the two figures below; real filings use a small part of it
// (wfc-10-k-2025-02-25.html: 16,776 errors at depth <= 10 in 1.5 MB).
constexpr uint64_t kMinErrorBudget = 200'000;
constexpr uint64_t kErrorBudgetBytesPerUnit = 16;

// Where the charset is looked for (BOM, <?xml encoding>, <meta charset>).
constexpr size_t kSniffBytes = 4096;

void InitLibxml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

// ---------------------------------------------------------------------------
// Output: collapses whitespace, separates blocks, keeps UTF-8 valid.

enum class Break { kNone, kSpace, kNewline };

class TextSink {
 public:
  explicit TextSink(size_t expected_bytes) { out_.reserve(expected_bytes); }

  // Asks for at least `b` between what was written and what comes next.
  void Separate(Break b) { pending_ = std::max(pending_, b); }

  // Appends UTF-8 text, collapsing whitespace runs to one space (a newline
  // when `keep_newlines`, for <pre>).
  void Append(const char* text, size_t n, bool keep_newlines);

  std::string Take();

 private:
  void Flush() {
    if (pending_ != Break::kNone && !out_.empty())
      out_.push_back(pending_ == Break::kNewline ? '\n' : ' ');
    pending_ = Break::kNone;
  }
  void AppendSpecial(const unsigned char* p, size_t length);

  std::string out_;
  Break pending_ = Break::kNone;
};

// Length of the whitespace character at p (ASCII controls, U+00A0 no-break
// space, U+200B zero-width space that Workiva-made filings put between
// words, U+FEFF), or 0. `left` bytes are readable at p.
inline size_t SpaceLength(const unsigned char* p, size_t left) {
  if (p[0] <= 0x20) return 1;
  if (p[0] == 0xC2) return left >= 2 && p[1] == 0xA0 ? 2 : 0;
  if (p[0] == 0xE2)
    return left >= 3 && p[1] == 0x80 && p[2] == 0x8B ? 3 : 0;
  if (p[0] == 0xEF)
    return left >= 3 && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
  return 0;
}

// True for bytes that need a closer look: whitespace, the lead bytes of the
// characters SpaceLength knows, and 0xC2 which also starts C1 controls.
inline bool IsSpecial(unsigned char c) {
  return c <= 0x20 || c == 0xC2 || c == 0xE2 || c == 0xEF;
}

// Windows-1252 meaning of U+0080-U+009F. Old EDGAR HTML writes curly quotes
// as "&#147;" and "&#148;" (d10k.htm in mwaldstein/edgarWebR's test data),
// which HTML parsers turn into C1 control characters.
constexpr const char* kC1AsCp1252[32] = {
    "\u20AC", "\u0081", "\u201A", "\u0192", "\u201E", "\u2026", "\u2020",
    "\u2021", "\u02C6", "\u2030", "\u0160", "\u2039", "\u0152", "\u008D",
    "\u017D", "\u008F", "\u0090", "\u2018", "\u2019", "\u201C", "\u201D",
    "\u2022", "\u2013", "\u2014", "\u02DC", "\u2122", "\u0161", "\u203A",
    "\u0153", "\u009D", "\u017E", "\u0178",
};

void TextSink::Append(const char* text, size_t n, bool keep_newlines) {
  const auto* p = reinterpret_cast<const unsigned char*>(text);
  const unsigned char* end = p + n;
  while (p < end) {
    const unsigned char* run = p;
    while (p < end && !IsSpecial(*p)) ++p;
    if (p > run) {
      Flush();
      out_.append(reinterpret_cast<const char*>(run), p - run);
    }
    if (p == end) break;
    size_t space = SpaceLength(p, end - p);
    if (space == 0) {
      size_t length = *p == 0xC2 ? 2 : 3;
      // libxml2 hands over whole characters; a cut one is dropped.
      if (length <= static_cast<size_t>(end - p)) AppendSpecial(p, length);
      p += length;
      continue;
    }
    Separate(keep_newlines && *p == '\n' ? Break::kNewline : Break::kSpace);
    p += space;
  }
}

void TextSink::AppendSpecial(const unsigned char* p, size_t length) {
  Flush();
  if (length == 2 && p[1] >= 0x80 && p[1] <= 0x9F) {
    out_.append(kC1AsCp1252[p[1] - 0x80]);
  } else {
    out_.append(reinterpret_cast<const char*>(p), length);
  }
}

std::string TextSink::Take() {
  // Callers keep many documents' text; do not hand them a mostly empty
  // reservation.
  if (out_.capacity() > out_.size() + out_.size() / 2 + 4096)
    out_.shrink_to_fit();
  return std::move(out_);
}

// ---------------------------------------------------------------------------
// Element classes.

enum class ElementKind {
  kInline,  // b, i, span, font, a, ix:nonNumeric ...: no separation
  kCell,    // td, th: a space
  kBlock,   // p, div, br, tr, li ...: a newline
  kDrop,    // script, style, ix:header: content left out
};

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
  };
  auto it = kKinds->find(name);
  return it == kKinds->end() ? ElementKind::kInline : it->second;
}

// True if `s` starts with `prefix`, ignoring ASCII case.
bool StartsWithCaseless(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

// Position of `needle` (lower case) in `s` ignoring ASCII case, or npos.
size_t FindCaseless(std::string_view s, std::string_view needle,
                    size_t from = 0) {
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

bool StyleHidesElement(const xmlChar** attrs) {
  for (; attrs != nullptr && attrs[0] != nullptr; attrs += 2) {
    if (attrs[1] != nullptr &&
        strcasecmp(reinterpret_cast<const char*>(attrs[0]), "style") == 0 &&
        StyleValueHides(reinterpret_cast<const char*>(attrs[1])))
      return true;
  }
  return false;
}

// <html xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"> marks inline XBRL.
bool DeclaresInlineXbrl(const xmlChar** attrs) {
  for (; attrs != nullptr && attrs[0] != nullptr; attrs += 2) {
    std::string_view value =
        attrs[1] ? reinterpret_cast<const char*>(attrs[1]) : "";
    if (StartsWithCaseless(reinterpret_cast<const char*>(attrs[0]),
                           "xmlns:") &&
        value.find("inlineXBRL") != value.npos)
      return true;
  }
  return false;
}

// Sum over the tags of `s` of (attributes in the tag)^2, counting a name
// start after whitespace outside quotes as an attribute. Text between tags
// is skipped with memchr, so this costs little next to parsing.
uint64_t AttributeWork(std::string_view s) {
  uint64_t work = 0;
  const char* p = s.data();
  const char* end = p + s.size();
  while ((p = static_cast<const char*>(memchr(p, '<', end - p))) != nullptr) {
    uint64_t attributes = 0;
    bool after_space = false;
    for (++p; p < end && *p != '>' && *p != '<'; ++p) {
      char c = *p;
      if (c == '"' || c == '\'') {  // values are skipped whole
        const void* close = memchr(p + 1, c, end - p - 1);
        p = close ? static_cast<const char*>(close) : end - 1;
      } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
        after_space = true;
        continue;
      } else if (after_space && (isalpha(static_cast<unsigned char>(c)) ||
                                 c == '_' || c == ':')) {
        ++attributes;
      }
      after_space = false;
    }
    work += attributes * attributes;
    if (p == end) break;
  }
  return work;
}

// ---------------------------------------------------------------------------
// Decoding: how bytes become the UTF-8 libxml2 is given.

enum class Decoding {
  kUtf8,     // valid UTF-8, passed through
  kCp1252,   // decoded by fidx as Windows-1252
  kLibxml,   // a charset fidx does not decode (UTF-16, Shift_JIS ...)
};

struct InputPlan {
  Decoding decoding = Decoding::kUtf8;
  // For kLibxml: UTF-16 named by a byte-order mark; NONE for a declared
  // charset, which libxml2 reads from the document itself.
  xmlCharEncoding bom_encoding = XML_CHAR_ENCODING_NONE;
  size_t bom = 0;  // bytes of byte-order mark to skip
};

// The value after "charset=" or "encoding=" at `at`, lower-cased.
std::string ReadCharsetValue(std::string_view head, size_t at) {
  while (at < head.size() && (head[at] == ' ' || head[at] == '=' ||
                              head[at] == '"' || head[at] == '\''))
    ++at;
  std::string value;
  for (; at < head.size() && value.size() < 40; ++at) {
    char c = head[at];
    if (!isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' &&
        c != ':' && c != '.')
      break;
    value.push_back(static_cast<char>(tolower(static_cast<unsigned char>(c))));
  }
  return value;
}

// Charset declared in the first kSniffBytes: <?xml ... encoding="...">,
// <meta charset="..."> or <meta content="text/html; charset=...">.
std::string DeclaredCharset(std::string_view bytes) {
  std::string_view head = bytes.substr(0, kSniffBytes);
  size_t decl = FindCaseless(head, "<?xml");
  if (decl != head.npos) {
    size_t close = head.find("?>", decl);
    size_t enc = FindCaseless(head.substr(0, close), "encoding", decl);
    if (enc != head.npos) return ReadCharsetValue(head, enc + 8);
  }
  size_t at = FindCaseless(head, "charset");
  return at == head.npos ? "" : ReadCharsetValue(head, at + 7);
}

// Charsets whose real-world EDGAR use is UTF-8 or Windows-1252 bytes.
bool IsUtf8OrLatinName(const std::string& name) {
  static constexpr std::string_view kNames[] = {
      "",           "utf-8",        "utf8",       "us-ascii",
      "ascii",      "iso-8859-1",   "iso8859-1",  "iso_8859-1",
      "latin1",     "latin-1",      "l1",         "windows-1252",
      "cp1252",     "x-cp1252",     "ansi_x3.4-1968",
  };
  return std::find(std::begin(kNames), std::end(kNames), name) !=
         std::end(kNames);
}

bool LibxmlKnowsCharset(const std::string& name) {
  xmlCharEncodingHandlerPtr handler =
      xmlFindCharEncodingHandler(name.c_str());
  if (handler == nullptr) return false;
  xmlCharEncCloseFunc(handler);  // frees iconv-backed handlers
  return true;
}

// UTF-8 when the bytes are valid UTF-8 (whatever the page declares: EDGAR
// pages declaring ISO-8859-1 often hold UTF-8), Windows-1252 when they are
// not (browsers read ISO-8859-1 and ASCII labels that way), and libxml2's
// own decoder only for the rare other charsets and UTF-16.
InputPlan ChooseDecoding(std::string_view bytes) {
  InputPlan plan;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    plan.bom = 3;
  } else if (bytes.substr(0, 2) == "\xFF\xFE" ||
             bytes.substr(0, 2) == "\xFE\xFF") {
    plan.decoding = Decoding::kLibxml;
    plan.bom_encoding = bytes[0] == '\xFF' ? XML_CHAR_ENCODING_UTF16LE
                                           : XML_CHAR_ENCODING_UTF16BE;
    plan.bom = 2;
    return plan;
  }
  std::string declared = DeclaredCharset(bytes);
  // A page that declares UTF-16 yet has no NUL bytes (so no BOM-less UTF-16
  // either) was saved as something else; its declaration was copied along.
  bool false_utf16 = (declared.rfind("utf-16", 0) == 0 ||
                      declared.rfind("utf16", 0) == 0) &&
                     bytes.substr(0, kSniffBytes).find('\0') == bytes.npos;
  if (!IsUtf8OrLatinName(declared) && !false_utf16 &&
      LibxmlKnowsCharset(declared)) {
    plan.decoding = Decoding::kLibxml;
    return plan;
  }
  plan.decoding = IsValidUtf8(bytes.substr(plan.bom)) ? Decoding::kUtf8
                                                       : Decoding::kCp1252;
  return plan;
}

// Calls push(data, size) with successive chunks of `bytes` as UTF-8 (or raw
// for kLibxml). UTF-8 chunks end on character boundaries.
template <typename Push>
void FeedChunks(std::string_view bytes, Decoding decoding, Push push) {
  std::string converted;
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t end = std::min(bytes.size(), pos + kChunkBytes);
    if (decoding == Decoding::kUtf8) {
      while (end < bytes.size() && end > pos &&
             (static_cast<unsigned char>(bytes[end]) & 0xC0) == 0x80)
        --end;
    }
    std::string_view chunk = bytes.substr(pos, end - pos);
    if (decoding == Decoding::kCp1252) {
      converted.clear();
      AppendWindows1252AsUtf8(chunk, &converted);
      chunk = converted;
    }
    if (!push(chunk.data(), static_cast<int>(chunk.size()))) return;
    pos = end;
  }
}

// ---------------------------------------------------------------------------
// HtmlSlimmer: drops the attributes HtmlCollector never reads before
// libxml2 sees them. Inline XBRL filings are mostly style attributes
// (Apple.10-K.html: 1.9 MB of HTML for 0.2 MB of text), and libxml2 copies
// each attribute value a character at a time; without them HtmlToText
// runs over the corpus about 1.8 times as fast (73 -> 131 MB/s). Kept: an
// xmlns:* naming inline XBRL, and the first style attribute when it may
// hide its element. Only start tags are rewritten. Where markup begins and
// ends follows libxml2 2.9's push parser (a tag starts at '<' and a letter,
// quoted values may hold '>', "</" without a name is text, comments may
// end at "--!>"), and all else, <script>/<style> bodies included, is copied
// byte for byte, so libxml2 sees the same text as without slimming:
// checked on the corpus and on thousands of randomly damaged filings.

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

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

class HtmlSlimmer {
 public:
  explicit HtmlSlimmer(std::string_view html) : in_(html) {}

  bool done() const { return pos_ >= in_.size(); }

  // Appends the next part of the slimmed document to *out: whole tags, and
  // text cut on a UTF-8 boundary, until about `budget` input bytes are used.
  void Next(size_t budget, std::string* out);

 private:
  void Copy(size_t end, std::string* out) {
    out->append(in_.data() + pos_, end - pos_);
    pos_ = end;
  }
  size_t Find(std::string_view what, size_t from) const {
    size_t at = in_.find(what, from);
    return at == in_.npos ? in_.size() : at;
  }
  void Markup(std::string* out);
  void StartTag(std::string* out);
  struct TagState {
    int kept = 0;             // attributes written out
    bool style_seen = false;  // libxml2 ignores all but the first style
  };
  // Parses one attribute at *p; appends it to *out if it is kept. Returns
  // false if the tag is cut off by the end of input.
  bool Attribute(size_t* p, TagState* tag, std::string* out) const;

  std::string_view in_;
  size_t pos_ = 0;
  std::string raw_end_;  // "</script" while inside a script body, else ""
};

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
    while (p < in_.size() && IsBlank(in_[p])) ++p;
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
    while (p < in_.size() && !IsBlank(in_[p]) && in_[p] != '>' &&
           in_.substr(p, 2) != "/>")
      ++p;
    *pos = p;
    return p < in_.size();
  }
  while (p < in_.size() && IsNameChar(in_[p])) ++p;
  std::string_view name = in_.substr(start, p - start);
  size_t q = p;
  while (q < in_.size() && IsBlank(in_[q])) ++q;
  std::string_view value;
  if (q < in_.size() && in_[q] == '=') {
    ++q;
    while (q < in_.size() && IsBlank(in_[q])) ++q;
    if (q >= in_.size()) return false;
    if (in_[q] == '"' || in_[q] == '\'') {
      size_t close = in_.find(in_[q], q + 1);
      if (close == in_.npos) return false;
      value = in_.substr(q + 1, close - q - 1);
      p = close + 1;
    } else {
      size_t v = q;
      while (q < in_.size() && !IsBlank(in_[q]) && in_[q] != '>') ++q;
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

// Feeds HTML to push(data, size) slimmed and as UTF-8 (see FeedChunks).
template <typename Push>
void FeedSlimHtml(std::string_view html, Decoding decoding, Push push) {
  HtmlSlimmer slimmer(html);
  std::string piece;
  std::string converted;
  while (!slimmer.done()) {
    piece.clear();
    slimmer.Next(kChunkBytes, &piece);
    std::string_view chunk = piece;
    if (decoding == Decoding::kCp1252) {
      converted.clear();
      AppendWindows1252AsUtf8(piece, &converted);
      chunk = converted;
    }
    if (!push(chunk.data(), static_cast<int>(chunk.size()))) return;
  }
}

void IgnoreText(void*, const xmlChar*, int) {}

// ---------------------------------------------------------------------------
// HTML: SAX callbacks.

class HtmlCollector {
 public:
  explicit HtmlCollector(size_t input_bytes)
      : sink_(input_bytes / 8),  // text is 5-30% of a filing's HTML
        error_budget_(std::max<uint64_t>(
            kMinErrorBudget, input_bytes / kErrorBudgetBytesPerUnit)) {}

  void Parse(std::string_view html, const InputPlan& plan);
  // Why the parse was abandoned ("" if it was not).
  const std::string& abandoned() const { return abandoned_; }
  std::string Take() { return sink_.Take(); }

 private:
  static HtmlCollector* Self(void* ctx) {
    return static_cast<HtmlCollector*>(ctx);
  }
  static void OnStart(void* ctx, const xmlChar* name, const xmlChar** attrs);
  static void OnEnd(void* ctx, const xmlChar* name);
  static void OnText(void* ctx, const xmlChar* text, int length);
  static void OnError(void* ctx, xmlErrorPtr error);

  void Abandon(std::string why);
  ElementKind CachedKindOf(const xmlChar* name);
  void Start(const xmlChar* name, const xmlChar** attrs);
  void End(const xmlChar* name);

  htmlParserCtxtPtr ctxt_ = nullptr;
  TextSink sink_;
  int depth_ = 0;
  int drop_depth_ = 0;  // depth of the outermost dropped element, 0 if none
  int pre_depth_ = 0;   // likewise for <pre>
  bool inline_xbrl_ = false;
  uint64_t error_budget_;
  // libxml2 interns element names, so a name's pointer nearly always
  // identifies it.
  struct KindCacheEntry {
    const xmlChar* name = nullptr;
    char copy[16] = "";
    ElementKind kind = ElementKind::kInline;
  };
  KindCacheEntry kind_cache_[64];
  std::string abandoned_;
};

void HtmlCollector::Abandon(std::string why) {
  if (!abandoned_.empty()) return;
  abandoned_ = std::move(why);
  xmlStopParser(ctxt_);
}

ElementKind HtmlCollector::CachedKindOf(const xmlChar* name) {
  KindCacheEntry& entry =
      kind_cache_[(reinterpret_cast<uintptr_t>(name) >> 3) % 64];
  const char* chars = reinterpret_cast<const char*>(name);
  // Comparing the copy keeps this right even if libxml2 reused the memory
  // of a name it did not intern.
  if (entry.name == name && strcmp(chars, entry.copy) == 0) return entry.kind;
  ElementKind kind = KindOf(chars);
  if (strlen(chars) < sizeof(entry.copy)) {
    entry.name = name;
    strcpy(entry.copy, chars);
    entry.kind = kind;
  }
  return kind;
}

void HtmlCollector::OnError(void* ctx, xmlErrorPtr) {
  HtmlCollector* self = Self(ctx);
  uint64_t cost = 1 + self->ctxt_->nameNr / 16;
  if (cost <= self->error_budget_) {
    self->error_budget_ -= cost;
  } else {
    self->Abandon("HTML too broken (too many parse errors)");
  }
}

void HtmlCollector::OnStart(void* ctx, const xmlChar* name,
                            const xmlChar** attrs) {
  Self(ctx)->Start(name, attrs);
}

void HtmlCollector::OnEnd(void* ctx, const xmlChar* name) {
  Self(ctx)->End(name);
}

void HtmlCollector::OnText(void* ctx, const xmlChar* text, int length) {
  HtmlCollector* self = Self(ctx);
  if (self->drop_depth_ == 0) {
    self->sink_.Append(reinterpret_cast<const char*>(text), length,
                       self->pre_depth_ != 0);
  }
}

void HtmlCollector::Start(const xmlChar* name_chars, const xmlChar** attrs) {
  std::string_view name(reinterpret_cast<const char*>(name_chars));
  if (++depth_ > kMaxHtmlDepth) {
    Abandon("HTML nested more than " + std::to_string(kMaxHtmlDepth) +
            " elements deep");
  }
  if (drop_depth_ != 0) return;
  if (name == "html" && DeclaresInlineXbrl(attrs)) inline_xbrl_ = true;
  if (name.substr(0, 3) == "ix:") inline_xbrl_ = true;
  ElementKind kind = CachedKindOf(name_chars);
  if (kind == ElementKind::kDrop ||
      (inline_xbrl_ && attrs != nullptr && StyleHidesElement(attrs))) {
    drop_depth_ = depth_;
    return;
  }
  if (name == "pre" && pre_depth_ == 0) pre_depth_ = depth_;
  if (kind == ElementKind::kBlock) sink_.Separate(Break::kNewline);
  if (kind == ElementKind::kCell) sink_.Separate(Break::kSpace);
}

void HtmlCollector::End(const xmlChar* name) {
  if (depth_ == drop_depth_) drop_depth_ = 0;
  if (depth_ == pre_depth_) pre_depth_ = 0;
  --depth_;
  if (drop_depth_ != 0) return;
  ElementKind kind = CachedKindOf(name);
  if (kind == ElementKind::kBlock) sink_.Separate(Break::kNewline);
  if (kind == ElementKind::kCell) sink_.Separate(Break::kSpace);
}

void HtmlCollector::Parse(std::string_view html, const InputPlan& plan) {
  htmlSAXHandler sax;
  std::memset(&sax, 0, sizeof(sax));
  sax.initialized = XML_SAX2_MAGIC;  // so that serror is used
  sax.startElement = OnStart;
  sax.endElement = OnEnd;
  sax.characters = OnText;
  // libxml2 reports some whitespace between tags as "ignorable"; it still
  // separates words ("<b>a</b> <b>b</b>").
  sax.ignorableWhitespace = OnText;
  sax.cdataBlock = IgnoreText;  // the bodies of <script> and <style>
  sax.serror = OnError;  // called with the context's user data: this
  // Charsets fidx does not decode: UTF-16 is named from its BOM, others are
  // left to libxml2's reading of <meta charset>.
  xmlCharEncoding encoding = plan.decoding == Decoding::kLibxml
                                 ? plan.bom_encoding
                                 : XML_CHAR_ENCODING_UTF8;
  ctxt_ = htmlCreatePushParserCtxt(&sax, this, nullptr, 0, nullptr, encoding);
  if (ctxt_ == nullptr) return;
  int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                HTML_PARSE_NOWARNING | HTML_PARSE_NONET;
  // The bytes are already UTF-8: a <meta charset> must not re-decode them.
  if (plan.decoding != Decoding::kLibxml) options |= HTML_PARSE_IGNORE_ENC;
  htmlCtxtUseOptions(ctxt_, options);
  auto push = [&](const char* p, int n) {
    htmlParseChunk(ctxt_, p, n, 0);
    return abandoned_.empty();
  };
  if (plan.decoding == Decoding::kLibxml) {
    FeedChunks(html.substr(plan.bom), plan.decoding, push);
  } else {
    FeedSlimHtml(html.substr(plan.bom), plan.decoding, push);
  }
  if (abandoned_.empty()) htmlParseChunk(ctxt_, nullptr, 0, 1);
  if (ctxt_->myDoc != nullptr) xmlFreeDoc(ctxt_->myDoc);
  htmlFreeParserCtxt(ctxt_);
  ctxt_ = nullptr;
}

// ---------------------------------------------------------------------------
// XML: SAX callbacks. Every element boundary separates text; entities other
// than the predefined five are never expanded (no entityDecl/getEntity
// handler), so entity floods cost nothing.

class XmlCollector {
 public:
  explicit XmlCollector(size_t input_bytes) : sink_(input_bytes / 2) {}

  // Returns false if the document is not well-formed (*error says why).
  bool Parse(std::string_view xml, const InputPlan& plan, std::string* error);
  std::string Take() { return sink_.Take(); }

 private:
  // Keeps the first fatal error; later ones are mostly its echoes.
  static void OnError(void* ctx, xmlErrorPtr error) {
    auto* self = static_cast<XmlCollector*>(ctx);
    if (error == nullptr || error->level < XML_ERR_FATAL ||
        !self->first_error_.empty())
      return;
    std::string message = error->message ? error->message : "error";
    while (!message.empty() && message.back() == '\n') message.pop_back();
    self->first_error_ = "line " + std::to_string(error->line) + ": " + message;
  }
  static void OnStart(void* ctx, const xmlChar*, const xmlChar*,
                      const xmlChar*, int, const xmlChar**, int, int,
                      const xmlChar**) {
    static_cast<XmlCollector*>(ctx)->sink_.Separate(Break::kNewline);
  }
  static void OnEnd(void* ctx, const xmlChar*, const xmlChar*,
                    const xmlChar*) {
    static_cast<XmlCollector*>(ctx)->sink_.Separate(Break::kNewline);
  }
  static void OnText(void* ctx, const xmlChar* text, int length) {
    static_cast<XmlCollector*>(ctx)->sink_.Append(
        reinterpret_cast<const char*>(text), length, false);
  }

  TextSink sink_;
  std::string first_error_;
};

bool XmlCollector::Parse(std::string_view xml, const InputPlan& plan,
                         std::string* error) {
  xmlSAXHandler sax;
  std::memset(&sax, 0, sizeof(sax));
  sax.initialized = XML_SAX2_MAGIC;
  sax.startElementNs = OnStart;
  sax.endElementNs = OnEnd;
  sax.characters = OnText;
  sax.cdataBlock = OnText;
  sax.serror = OnError;  // called with the context's user data: this
  xmlParserCtxtPtr ctxt =
      xmlCreatePushParserCtxt(&sax, this, nullptr, 0, nullptr);
  if (ctxt == nullptr) {
    *error = "out of memory";
    return false;
  }
  // Declared charsets fidx does not decode are left to libxml2, which reads
  // the BOM and the XML declaration itself.
  bool ours = plan.decoding != Decoding::kLibxml;
  xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR |
                              XML_PARSE_NOWARNING |
                              (ours ? XML_PARSE_IGNORE_ENC : 0));
  FeedChunks(ours ? xml.substr(plan.bom) : xml, plan.decoding,
             [&](const char* p, int n) {
               return xmlParseChunk(ctxt, p, n, 0) == 0 && ctxt->wellFormed;
             });
  if (ctxt->wellFormed) xmlParseChunk(ctxt, nullptr, 0, 1);
  bool ok = ctxt->wellFormed != 0;
  if (!ok) *error = first_error_.empty() ? "not well-formed" : first_error_;
  if (ctxt->myDoc != nullptr) xmlFreeDoc(ctxt->myDoc);
  xmlFreeParserCtxt(ctxt);
  return ok;
}

// ---------------------------------------------------------------------------
// Fallback: a linear tag stripper for input libxml2 could not take (XML that
// is not well-formed, HTML nested too deeply). Knows comments, CDATA,
// <!DOCTYPE [...]>, processing instructions, entities and, for HTML, the
// element classes above (dropped elements are skipped to their end tag).

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes the reference at s[0] == '&' ("&amp;", "&#147;", "&#x2019;") into
// *out; returns its length, or 0 if it is none (the '&' is then text).
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

// Length of the markup construct at s[0] == '<' that holds no text
// (comment, declaration, processing instruction, tag), and its tag name.
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

// EDGAR <XML> bodies often start with a newline before "<?xml", which makes
// the declaration illegal; a body may also still carry the <XML> wrapper.
std::string_view TrimXmlBody(std::string_view xml) {
  auto skip_space = [&] {
    while (!xml.empty() && isspace(static_cast<unsigned char>(xml[0])))
      xml.remove_prefix(1);
  };
  skip_space();
  if (StartsWithCaseless(xml, "<XML>")) {
    xml.remove_prefix(5);
    skip_space();
    size_t close = xml.rfind("</");
    if (close != xml.npos && StartsWithCaseless(xml.substr(close), "</XML>"))
      xml = xml.substr(0, close);
  }
  return xml;
}

// True if the root element (after prolog, comments, doctype) is <html>:
// XHTML and inline XBRL sometimes arrive with an XML declaration.
bool RootIsHtml(std::string_view xml) {
  size_t pos = 0;
  std::string tag;
  while ((pos = xml.find('<', pos)) != xml.npos && pos < kSniffBytes) {
    std::string_view rest = xml.substr(pos);
    if (!StartsMarkup(rest)) return false;
    size_t length = MarkupLength(rest, &tag);
    // "html" or a prefixed "x:html"
    if (!tag.empty()) return tag.substr(tag.find(':') + 1) == "html";
    pos += length;
  }
  return false;
}

std::string StripToText(std::string_view bytes, bool html) {
  std::string utf8 = ToUtf8(bytes);
  TextSink sink(utf8.size() / 2);
  StripTags(utf8, html, &sink);
  return sink.Take();
}

// Drops a leading <!DOCTYPE ...> up to its first '>'. It holds nothing
// visible, and a malformed one swallows the page: ALLTEL's CORRESP
// 0000065873-05-000060 opens with <!DOCTYPE HTML PUBLIC'-//W3C//DTD HTML
// 3.2//EN"> (quotes that do not pair), and libxml2 then reads the whole
// document as the doctype's public id, leaving no text at all.
std::string_view SkipDoctype(std::string_view html) {
  size_t start = 0;
  while (start < html.size() && start < 1024 &&
         std::isspace(static_cast<unsigned char>(html[start])))
    ++start;
  if (!StartsWithCaseless(html.substr(start), "<!doctype")) return html;
  size_t end = html.find('>', start);
  return end == std::string_view::npos ? html : html.substr(end + 1);
}

}  // namespace

std::string HtmlToText(std::string_view html,
                       std::vector<std::string>* warnings) {
  InitLibxml();
  html = SkipDoctype(html);
  InputPlan plan = ChooseDecoding(html);
  std::string abandoned = "HTML tags with too many attributes";
  // Slimmed HTML (UTF-8 and Windows-1252) keeps few attributes per tag.
  if (plan.decoding != Decoding::kLibxml ||
      AttributeWork(html) <= kMaxAttributeWork) {
    HtmlCollector collector(html.size());
    collector.Parse(html, plan);
    if (collector.abandoned().empty()) return collector.Take();
    abandoned = collector.abandoned();
  }
  if (warnings != nullptr)
    warnings->push_back(abandoned + "; text taken by stripping tags");
  return StripToText(html, /*html=*/true);
}

std::string XmlToText(std::string_view xml,
                      std::vector<std::string>* warnings) {
  InitLibxml();
  xml = TrimXmlBody(xml);
  if (RootIsHtml(xml)) return HtmlToText(xml, warnings);
  std::string error = "XML tags with too many attributes";
  if (AttributeWork(xml) <= kMaxAttributeWork) {
    XmlCollector collector(xml.size());
    if (collector.Parse(xml, ChooseDecoding(xml), &error))
      return collector.Take();
    error = "XML not well-formed (" + error + ")";
  }
  if (warnings != nullptr)
    warnings->push_back(error + "; text taken by stripping tags");
  return StripToText(xml, /*html=*/false);
}

}  // namespace fidx
