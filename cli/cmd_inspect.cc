// fidx inspect FILE...: what fidx understands of EDGAR files, without an
// index. Human-readable by default, one JSON object per line with --json.

#include <iostream>
#include <string>
#include <vector>

#include "command.h"
#include "fidx/file_io.h"
#include "fidx/filing.h"
#include "fidx/filing_json.h"
#include "fidx/json.h"
#include "fidx/parser.h"
#include "fidx/search.h"
#include "fidx/filing_view.h"
#include "output.h"

namespace po = boost::program_options;

namespace fidx {
namespace cli {
namespace {

uint64_t FirstCik(const Filing& f) {
  for (const Party& p : f.parties) {
    if (p.cik) return p.cik;
  }
  return 0;
}

std::vector<DocumentView> Views(const Filing& f) {
  std::vector<DocumentView> docs;
  for (const Document& d : f.documents) {
    DocumentView v;
    v.sequence = d.sequence;
    v.type = d.type;
    v.filename = d.filename;
    v.description = d.description;
    v.kind = DocumentKindName(d.kind);
    v.raw_bytes = static_cast<int64_t>(d.raw_bytes);
    v.text_bytes = d.text.size();
    v.url = SecUrl(FirstCik(f), f.accession, d.filename);
    docs.push_back(v);
  }
  return docs;
}

// The shape `fidx show --json` prints too (filing_view.h), plus with --text
// a "texts" array: each document's extracted text, in document order.
std::string FilingJson(const std::string& path, const Filing& f, bool with_text) {
  std::string head;
  JsonWriter w(&head);
  WriteFilingJson(f, path, false, &w);
  std::vector<std::string> texts;
  if (with_text) {
    for (const Document& d : f.documents) texts.push_back(d.text);
  }
  return FilingViewJson(head, f.items, FilingIndexUrl(FirstCik(f), f.accession), Views(f),
                        &f.warnings, with_text ? &texts : nullptr) +
         "\n";
}

std::string FilingText(const std::string& path, const Filing& f, bool with_text) {
  std::string s = path + "\n" +
                  HeaderTextView(DescribeFilingHeader(f), FilingIndexUrl(FirstCik(f), f.accession));
  s += "  documents:   " + std::to_string(f.documents.size()) + "\n";
  for (const Document& d : f.documents) {
    s += DescribeDocument(d);
    if (with_text && !d.text.empty()) s += d.text + "\n";
  }
  s += "  warnings:    " + std::to_string(f.warnings.size()) + "\n";
  for (const std::string& w : f.warnings) s += "    " + w + "\n";
  return s + "\n";
}

class InspectCommand : public Command {
 public:
  const char* Name() const override { return "inspect"; }
  const char* Summary() const override {
    return "show how fidx reads EDGAR files (header, parties, documents)";
  }
  std::string Usage() const override { return "fidx inspect [options] FILE... (- for stdin)"; }
  std::string Epilog() const override {
    return "Reads each FILE (gzipped or not; - is standard input) and prints its\n"
           "format, header fields, parties, documents and any problems found.\n"
           "Needs no index.\n"
           "Exit status: 0 if every file could be read, 1 if some could not.\n";
  }

  int Run() override {
    bool failed = false;
    for (const std::string& path : files_) {
      if (!InspectOne(path)) failed = true;
    }
    std::cout << std::flush;
    return failed ? kExitPartial : kExitOk;
  }

 protected:
  void AddOptions(po::options_description* opts, po::positional_options_description* pos,
                  po::options_description* hidden) override {
    opts->add_options()
        ("json", po::bool_switch(&json_), "one JSON object per file and line")
        ("text", po::bool_switch(&text_),
         "also print each document's extracted text (with --json: a \"texts\" array)");
    hidden->add_options()("file", po::value<std::vector<std::string>>(&files_)
                              ->value_name("FILE"));
    pos->add("file", -1);
  }

  void Validate(const po::variables_map& vm) override {
    if (files_.empty()) throw UsageError("no FILE given");
  }

 private:
  // "-" is standard input (`curl ... | fidx inspect -`), gzipped or not.
  static bool ReadStdin(std::string* bytes, bool* gzipped, std::string* error) {
    std::string raw;
    char buf[65536];
    uint64_t max = ReadLimits().max_bytes;
    while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
      raw.append(buf, static_cast<size_t>(std::cin.gcount()));
      if (raw.size() > max) {
        *error = "larger than " + std::to_string(max >> 20) + " MB";
        return false;
      }
    }
    if (std::cin.bad()) {
      *error = "cannot read standard input";
      return false;
    }
    *gzipped = LooksGzipped(raw);
    if (!*gzipped) {
      *bytes = std::move(raw);
      return true;
    }
    return Gunzip(raw, max, bytes, error);
  }

  bool InspectOne(const std::string& path) {
    std::string bytes, error;
    bool gzipped = false;
    bool read = path == "-" ? ReadStdin(&bytes, &gzipped, &error)
                            : ReadFileBytes(path, ReadLimits(), &bytes, &gzipped, &error);
    if (!read) {
      Warn(path, error);
      return false;
    }
    ParseOptions options;
    if (path != "-") options.path = path;
    Filing filing = ParseFiling(bytes, options);
    filing.gzipped = gzipped;
    std::cout << (json_ ? FilingJson(path, filing, text_) : FilingText(path, filing, text_));
    return true;
  }

  bool json_ = false;
  bool text_ = false;
  std::vector<std::string> files_;
};

}  // namespace

std::unique_ptr<Command> MakeInspectCommand() { return std::make_unique<InspectCommand>(); }

}  // namespace cli
}  // namespace fidx
