// Charset choice for libxml2's input, and the attribute-cost guard.

#include "libxml_input.h"

#include <cctype>
#include <cstring>
#include <mutex>

#include <libxml/parser.h>

#include "markup.h"

namespace fidx {
namespace internal {
namespace {

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

}  // namespace


namespace {

// libxml2's generic error channel prints to stderr ("encoding error : input
// conversion failed ..." for a document with a bad charset). fidx reports a
// file's problems itself, one line per file; these must not reach cron mail.
void IgnoreGenericError(void*, const char*, ...) {}

}  // namespace

void InitLibxml() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    xmlThrDefSetGenericErrorFunc(nullptr, IgnoreGenericError);  // threads to come
  });
  // The handler is per thread in libxml2; set it for this one too.
  thread_local bool silenced = false;
  if (!silenced) {
    xmlSetGenericErrorFunc(nullptr, IgnoreGenericError);
    silenced = true;
  }
}

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

}  // namespace internal
}  // namespace fidx
