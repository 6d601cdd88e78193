// bench_parse DIR [N]: parses every file under DIR N times (default 5) with
// extract_text=false (layout, header, document splitting, kind sniffing)
// and prints the throughput. Files are read (and gunzipped) once, before
// timing.

#include <dirent.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fidx/file_io.h"
#include "fidx/parser.h"

namespace {

void ListFiles(const std::string& dir, std::vector<std::string>* out) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = dir + "/" + name;
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      ListFiles(path, out);
    } else if (S_ISREG(st.st_mode)) {
      out->push_back(path);
    }
  }
  ::closedir(d);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_parse DIR [N]\n");
    return 2;
  }
  int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  std::vector<std::string> paths;
  ListFiles(argv[1], &paths);
  std::vector<std::string> contents;
  uint64_t total = 0;
  for (const std::string& p : paths) {
    std::string bytes, error;
    bool gz = false;
    if (!fidx::ReadFileBytes(p, fidx::ReadLimits(), &bytes, &gz, &error)) continue;
    total += bytes.size();
    contents.push_back(std::move(bytes));
  }
  fidx::ParseOptions options;
  options.extract_text = false;
  size_t documents = 0, parties = 0;
  auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r) {
    for (const std::string& c : contents) {
      fidx::Filing f = fidx::ParseFiling(c, options);
      documents += f.documents.size();
      parties += f.parties.size();
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double mb = static_cast<double>(total) * rounds / (1024.0 * 1024.0);
  std::printf("%zu files, %.1f MiB x %d rounds in %.3f s: %.0f MiB/s (%zu documents, %zu parties per round)\n",
              contents.size(), static_cast<double>(total) / (1024.0 * 1024.0), rounds, secs,
              secs > 0 ? mb / secs : 0.0, documents / (rounds ? rounds : 1),
              parties / (rounds ? rounds : 1));
  return 0;
}
