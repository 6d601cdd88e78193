// XmlToText: libxml2's SAX push parser for XML bodies (Form 4, 13F
// information tables ...). Every element boundary separates text; entities
// other than the predefined five are never expanded (no entityDecl or
// getEntity handler), so entity floods cost nothing.

#include <libxml/parser.h>

#include <cctype>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fidx/text_extract.h"
#include "libxml_input.h"
#include "markup.h"
#include "tag_stripper.h"
#include "text_sink.h"

namespace fidx {
namespace {

using internal::AttributeWork;
using internal::Break;
using internal::ChooseDecoding;
using internal::Decoding;
using internal::FeedChunks;
using internal::InitLibxml;
using internal::InputPlan;
using internal::kMaxAttributeWork;
using internal::kSniffBytes;
using internal::MarkupLength;
using internal::StartsMarkup;
using internal::StartsWithCaseless;
using internal::StripToText;
using internal::TextSink;

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
    auto* self = static_cast<XmlCollector*>(ctx);
    self->Flush();
    self->sink_.Separate(Break::kNewline);
  }
  static void OnEnd(void* ctx, const xmlChar*, const xmlChar*,
                    const xmlChar*) {
    auto* self = static_cast<XmlCollector*>(ctx);
    self->Flush();
    self->sink_.Separate(Break::kNewline);
  }
  static void OnText(void* ctx, const xmlChar* text, int length) {
    static_cast<XmlCollector*>(ctx)->pending_.append(
        reinterpret_cast<const char*>(text), length);
  }

  // XBRL text blocks (us-gaap:...TextBlock, ffd:OfferingNote) hold HTML
  // escaped inside the XML: once unescaped it is markup, whose tags and
  // attributes must not become words ("td", "valign", "TEXT-INDENT") nor
  // its entities ("&#x2019;") text (dgunning__edgartools/tests/
  // cassettes-extracted/0001193125-25-066253.txt, EX-FILING FEES).
  void Flush() {
    if (pending_.empty()) return;
    if (HoldsMarkup(pending_)) {
      std::string text = StripToText(pending_, /*html=*/true);
      sink_.Append(text.data(), text.size(), false);
    } else {
      sink_.Append(pending_.data(), pending_.size(), false);
    }
    pending_.clear();
  }

  // HTML tags, not any "<word>": a value may itself say "<raw>" (CDATA).
  static bool HoldsMarkup(const std::string& s) {
    static const char* const kHtmlTags[] = {
        "p", "div", "span", "font", "table", "tr", "td", "th", "br", "b", "i", "u",
        "ul", "ol", "li", "sup", "sub", "a", "strong", "em", "hr", "img", "center"};
    std::string tag;
    for (size_t lt = s.find('<'); lt != std::string::npos; lt = s.find('<', lt + 1)) {
      std::string_view rest = std::string_view(s).substr(lt);
      if (!StartsMarkup(rest)) continue;
      MarkupLength(rest, &tag);
      for (const char* html : kHtmlTags) {
        if (tag == html) return true;
      }
    }
    // "&amp;#8217;" in the XML is "&#8217;" in the text: an entity to decode.
    return s.find("&#") != std::string::npos || s.find("&nbsp;") != std::string::npos;
  }

  TextSink sink_;
  std::string pending_;  // text since the last tag
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
  Flush();
  bool ok = ctxt->wellFormed != 0;
  if (!ok) *error = first_error_.empty() ? "not well-formed" : first_error_;
  if (ctxt->myDoc != nullptr) xmlFreeDoc(ctxt->myDoc);
  xmlFreeParserCtxt(ctxt);
  return ok;
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

}  // namespace

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
