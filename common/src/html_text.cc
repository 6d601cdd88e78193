// HtmlToText: libxml2's SAX push parser for HTML; no DOM is built and input
// is fed in chunks. UTF-8 and Windows-1252 bodies reach libxml2 as UTF-8
// decoded by fidx itself, with start tags slimmed first (html_slimmer.h).
// Input libxml2 cannot take safely goes through the tag stripper.

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <strings.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fidx/text_extract.h"
#include "html_slimmer.h"
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
using internal::ElementKind;
using internal::FeedChunks;
using internal::FeedSlimHtml;
using internal::InitLibxml;
using internal::InputPlan;
using internal::KindOf;
using internal::kMaxAttributeWork;
using internal::StartsWithCaseless;
using internal::StripToText;
using internal::StyleValueHides;
using internal::TextSink;

// Elements open at once before the HTML is taken by stripping tags instead.
// libxml2's DOM builder stops at 256 (xmlParserMaxDepth) but its SAX path
// has no limit, and some of its end-tag handling scans the open-element
// stack, which would make hostile nesting quadratic.
constexpr int kMaxHtmlDepth = 1024;

// Budget for libxml2 HTML errors, each weighted by the open-element depth
// at the time: an unexpected end tag makes libxml2 scan the whole stack of
// open elements, and every error is formatted. The budget is the larger of
// the two figures below; real filings use a small part of it
// (wfc-10-k-2025-02-25.html: 16,776 errors at depth <= 10 in 1.5 MB).
constexpr uint64_t kMinErrorBudget = 200'000;
constexpr uint64_t kErrorBudgetBytesPerUnit = 16;

// True if a style attribute in `attrs` hides its element.
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

void IgnoreText(void*, const xmlChar*, int) {}

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

}  // namespace fidx
