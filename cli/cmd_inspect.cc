// fidx inspect FILE...: what fidx understands of EDGAR files, without an
// index. Human-readable by default, one JSON object per line with --json.
// An archive is inspected member by member, as `fidx add` reads it;
// ARCHIVE/MEMBER names one member.

#include <sys/stat.h>

#include <iostream>
#include <string>
#include <vector>

#include "command.h"
#include "fidx/archive_reader.h"
#include "fidx/file_io.h"
#include "fidx/filing.h"
#include "fidx/filing_json.h"
#include "fidx/json.h"
#include "fidx/parser.h"
#include "fidx/search.h"
#include "fidx/filing_view.h"
#include "fidx/indexer.h"
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
           "An archive (.nc.tar.gz, .tar, .zip ...) is read in place: each member\n"
           "fidx add would index is shown as a file ARCHIVE/MEMBER, and such a\n"
           "path shows that member alone. Needs no index.\n"
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
    std::string archive, member;
    if (path != "-" && SplitArchivePath(path, &archive, &member)) {
      return InspectArchive(archive, member);
    }
    std::string bytes, error;
    bool gzipped = false;
    bool read = path == "-" ? ReadStdin(&bytes, &gzipped, &error)
                            : ReadFileBytes(path, ReadLimits(), &bytes, &gzipped, &error);
    if (!read) {
      Warn(path, error);
      return false;
    }
    Print(path, std::move(bytes), gzipped);
    return true;
  }

  void Print(const std::string& path, std::string bytes, bool gzipped) {
    ParseOptions options;
    if (path != "-") options.path = path;
    Filing filing = ParseFiling(bytes, options);
    filing.gzipped = gzipped;
    std::cout << (json_ ? FilingJson(path, filing, text_) : FilingText(path, filing, text_));
  }

  static bool IsRegularFile(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  }

  // True if `path` is an archive fidx reads in place (*member empty) or a
  // path under one (*member: the rest, as the archive names it).
  static bool SplitArchivePath(const std::string& path, std::string* archive,
                               std::string* member) {
    if (IsArchiveName(path) && IsRegularFile(path)) {
      *archive = path;
      member->clear();
      return true;
    }
    if (IsRegularFile(path)) return false;
    std::string rest;
    *archive = ContainingArchive(path, &rest);
    *member = CleanMemberName(rest);
    // "ARCHIVE/..", "ARCHIVE/.": no member.
    return !archive->empty() && !member->empty();
  }

  // Every member of `archive` that fidx add reads, or the one named
  // `only` (any regular member), as files "ARCHIVE/MEMBER".
  bool InspectArchive(const std::string& archive, const std::string& only) {
    ArchiveReader reader;
    if (!reader.Open(archive)) {
      Warn(archive, reader.error());
      return false;
    }
    bool ok = true, found = false;
    std::string broke_in;  // the member where the data broke off
    ArchiveReader::Member m;
    uint64_t max = ReadLimits().max_bytes;
    while (reader.Next(&m)) {
      std::string name = CleanMemberName(m.name);
      if (!m.regular || name.empty()) continue;
      if (only.empty() ? !IndexedMemberName(name) : name != only) continue;
      found = true;
      std::string path = archive + "/" + name, data, error;
      bool too_large = false;
      if (!reader.ReadData(max, &data, &too_large)) {
        if (too_large) {
          Warn(path, "cannot read: file too large (over " + std::to_string(max >> 20) + " MB)");
          ok = false;
          if (reader.error().empty()) continue;
        }
        broke_in = name;
        break;
      }
      bool gzipped = LooksGzipped(data);
      if (gzipped) {
        std::string plain;
        if (!Gunzip(data, max, &plain, &error)) {
          Warn(path, "cannot read: " + error);
          ok = false;
          continue;
        }
        data.swap(plain);
      }
      Print(path, std::move(data), gzipped);
      if (!only.empty()) break;
    }
    std::cout << std::flush;
    if (!reader.error().empty()) {
      Warn(archive, reader.error() + (broke_in.empty() ? "" : " (in member " + broke_in + ")"));
      return false;
    }
    if (!only.empty() && !found) {
      Warn(archive + "/" + only, "no such member in the archive");
      return false;
    }
    if (!found) Warn(archive, "holds no file that fidx reads");
    return ok;
  }

  bool json_ = false;
  bool text_ = false;
  std::vector<std::string> files_;
};

}  // namespace

std::unique_ptr<Command> MakeInspectCommand() { return std::make_unique<InspectCommand>(); }

}  // namespace cli
}  // namespace fidx
