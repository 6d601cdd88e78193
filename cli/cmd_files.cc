// fidx files: what the index holds, by source file.

#include <ctime>
#include <iostream>

#include "command.h"
#include "fidx/index_files.h"
#include "fidx/json.h"
#include "output.h"

namespace po = boost::program_options;

namespace fidx {
namespace cli {

namespace {

std::string Utc(int64_t ns) {
  std::time_t t = static_cast<std::time_t>(ns / 1000000000);
  struct tm tm;
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
  return buf;
}

class FilesCommand : public Command {
 public:
  const char* Name() const override { return "files"; }
  const char* Summary() const override { return "list the indexed files (under PATH)"; }
  std::string Usage() const override { return "fidx files [options] [PATH...]"; }
  std::string Epilog() const override {
    return "One line per file: its path, then the filing it holds (accession, or\n"
           "'(no accession)' for a header-less file) and its documents, or why it\n"
           "failed.\n"
           "An archive is listed with its member count, and each member as a file\n"
           "under the archive's path (ARCHIVE/member); an EDGAR index file\n"
           "(master.idx, form.idx ...) as such.\n"
           "Exit status: 0 listed; 1 no file matches; 2 usage; 4 no index.\n";
  }

  int Run() override {
    std::vector<IndexedFile> files;
    if (Status s = ListIndexedFiles(DbPath(), paths_, &files); !s.ok()) return ReportError(s);
    if (json_) {
      std::string out;
      JsonWriter w(&out);
      w.BeginObject();
      w.Key("total"); w.Uint(files.size());
      w.Key("files");
      w.BeginArray();
      for (const IndexedFile& f : files) {
        w.BeginObject();
        w.Key("path"); w.String(f.path);
        w.Key("accession"); w.StringOrNull(f.accession);
        w.Key("documents"); w.Uint(f.documents);
        w.Key("archive"); w.Bool(f.archive);
        w.Key("edgar_index"); w.Bool(f.edgar_index);
        w.Key("failed"); w.Bool(f.failed);
        w.Key("reason"); w.StringOrNull(f.reason);
        w.Key("bytes"); w.Uint(f.size);
        w.Key("indexed_at"); w.String(Utc(f.indexed_at_ns));
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
      std::cout << out << "\n";
    } else {
      for (const IndexedFile& f : files) {
        std::cout << f.path << "  ";
        if (f.failed) {
          std::cout << "failed: " << f.reason;
        } else if (f.edgar_index) {
          std::cout << "EDGAR index file";
        } else if (f.archive) {
          std::cout << "archive  " << f.documents << " " << Plural(f.documents, "member");
        } else {
          std::cout << (f.accession.empty() ? "(no accession)" : f.accession) << "  "
                    << f.documents << " " << Plural(f.documents, "document");
        }
        std::cout << "\n";
      }
    }
    return files.empty() ? kExitPartial : kExitOk;
  }

 protected:
  void AddOptions(po::options_description* opts, po::positional_options_description* pos,
                  po::options_description* hidden) override {
    AddDbOption(opts);
    opts->add_options()("json", po::bool_switch(&json_), "print one JSON object");
    hidden->add_options()("path", po::value<std::vector<std::string>>(&paths_)
                                      ->value_name("PATH"));
    pos->add("path", -1);
  }

 private:
  std::vector<std::string> paths_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeFilesCommand() { return std::make_unique<FilesCommand>(); }

}  // namespace cli
}  // namespace fidx
