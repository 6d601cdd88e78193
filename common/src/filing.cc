#include "fidx/filing.h"

#include <algorithm>

namespace fidx {

const char* FormatName(Format format) {
  switch (format) {
    case Format::kFullSubmission: return "full-submission";
    case Format::kImsSubmission: return "ims-submission";
    case Format::kDissemination: return "dissemination";
    case Format::kHeaderOnly: return "header-only";
    case Format::kBareDocuments: return "bare-documents";
    case Format::kHtml: return "html";
    case Format::kText: return "text";
    case Format::kXml: return "xml";
    case Format::kUnknown: break;
  }
  return "unknown";
}

const char* DocumentKindName(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::kHtml: return "html";
    case DocumentKind::kText: return "text";
    case DocumentKind::kXml: return "xml";
    case DocumentKind::kGenerated: return "generated";
    case DocumentKind::kBinary: break;
  }
  return "binary";
}

std::vector<uint64_t> Filing::Ciks() const {
  std::vector<uint64_t> out;
  for (const Party& p : parties) {
    if (p.cik != 0 && std::find(out.begin(), out.end(), p.cik) == out.end()) {
      out.push_back(p.cik);
    }
  }
  return out;
}

std::vector<int> Filing::Sics() const {
  std::vector<int> out;
  for (const Party& p : parties) {
    if (p.sic != 0 && std::find(out.begin(), out.end(), p.sic) == out.end()) {
      out.push_back(p.sic);
    }
  }
  return out;
}

const Party* Filing::PrimaryParty() const {
  for (const Party& p : parties) {
    if (!p.name.empty()) return &p;
  }
  return nullptr;
}

}  // namespace fidx
