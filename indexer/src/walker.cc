#include "walker.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <utility>

#include "fidx/archive_reader.h"
#include "fidx/edgar_index.h"

namespace fidx {

namespace {

// Extensions of files that never hold filing text. EDGAR mirrors keep images,
// PDFs and spreadsheets beside the .txt submissions, and index files (.idx)
// and metadata (.csv, .tsv, .json) beside those.
bool SkippedExtension(const std::string& name) {
  static const char* const kSkip[] = {
      ".pdf", ".jpg", ".jpeg", ".gif", ".png", ".bmp", ".zip", ".xlsx", ".xls",
      ".csv", ".idx", ".json", ".js",  ".css", ".xsd", ".md",  ".tar", ".tmp",
      ".lock", ".py", ".sh", ".tsv"};
  std::string lower = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.size() > 3 && lower.compare(lower.size() - 3, 3, ".gz") == 0) {
    lower.resize(lower.size() - 3);
  }
  for (const char* ext : kSkip) {
    size_t n = std::strlen(ext);
    if (lower.size() > n && lower.compare(lower.size() - n, n, ext) == 0) return true;
  }
  return false;
}

int64_t Nanos(const struct timespec& ts) {
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}


class Walker {
 public:
  Walker(const WalkWarning& warn, WalkResult* result) : warn_(warn), result_(result) {}

  void WalkDir(const std::string& dir, const struct stat& st) {
    if (!visited_.insert({st.st_dev, st.st_ino}).second) return;  // loop
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
      int saved = errno;
      if (saved != ENOENT) result_->unreadable.push_back(dir);
      Fail(dir, std::string("cannot read directory: ") + std::strerror(saved));
      return;
    }
    std::vector<std::string> names;
    while (struct dirent* e = ::readdir(d)) {
      if (e->d_name[0] == '.') continue;  // ., .., and hidden files
      names.emplace_back(e->d_name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) Visit(dir + "/" + name, name);
  }

  void Visit(const std::string& path, const std::string& name) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      int saved = errno;
      struct stat link;
      if (saved == ENOENT && ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
        result_->broken_links.push_back(MakeFileInfo(path, link));
        return;
      }
      if (saved != ENOENT) result_->unreadable.push_back(path);
      Fail(path, saved == ENOENT ? "vanished while being listed"
                                 : std::string("cannot stat: ") + std::strerror(saved));
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      WalkDir(path, st);
    } else if (S_ISREG(st.st_mode)) {
      if (IsEdgarIndexName(name)) {
        result_->edgar_indexes.push_back(MakeFileInfo(path, st));
      } else if (IsArchiveName(name)) {
        result_->archives.push_back(MakeFileInfo(path, st));
      } else if (!SkippedExtension(name)) {
        result_->files.push_back(MakeFileInfo(path, st));
      }
    }
  }

  // Never enter `dir`, by whatever path it is reached.
  void Skip(const std::string& dir) {
    struct stat st;
    if (::stat(dir.c_str(), &st) == 0) visited_.insert({st.st_dev, st.st_ino});
  }

  void Fail(const std::string& path, const std::string& message) {
    ++result_->failures;
    warn_(path, message);
  }

 private:
  const WalkWarning& warn_;
  WalkResult* result_;
  std::set<std::pair<dev_t, ino_t>> visited_;
};

}  // namespace

bool SkippedName(const std::string& name) {
  return name.empty() || name[0] == '.' || SkippedExtension(name);
}

std::string AbsolutePath(const std::string& path) {
  std::string abs = path;
  if (abs.empty() || abs[0] != '/') {
    char cwd[PATH_MAX];
    if (::getcwd(cwd, sizeof cwd) != nullptr) abs = std::string(cwd) + "/" + path;
  }
  // Lexically normalise "a/./b", "a//b" and trailing slashes; ".." is kept
  // resolved by realpath only for the root itself.
  char resolved[PATH_MAX];
  if (::realpath(abs.c_str(), resolved) != nullptr) return resolved;
  while (abs.size() > 1 && abs.back() == '/') abs.pop_back();
  return abs;
}

FileInfo MakeFileInfo(const std::string& path, const struct stat& st) {
  FileInfo f;
  f.path = path;
  f.size = static_cast<uint64_t>(st.st_size);
  f.mtime_ns = Nanos(st.st_mtim);
  f.ctime_ns = Nanos(st.st_ctim);
  f.inode = static_cast<uint64_t>(st.st_ino);
  return f;
}

bool PathUnder(const std::string& path, const std::string& root) {
  if (path.size() < root.size() || path.compare(0, root.size(), root) != 0) return false;
  return path.size() == root.size() || root == "/" || path[root.size()] == '/';
}

WalkResult Walk(const std::vector<std::string>& roots, const WalkWarning& warn,
                const std::vector<std::string>& skip) {
  WalkResult result;
  Walker walker(warn, &result);
  for (const std::string& dir : skip) walker.Skip(dir);
  for (const std::string& root : roots) {
    std::string abs = AbsolutePath(root);
    struct stat st;
    if (::stat(abs.c_str(), &st) != 0) {
      walker.Fail(root, std::string("cannot index: ") + std::strerror(errno));
      continue;
    }
    result.roots.push_back(abs);
    if (S_ISDIR(st.st_mode)) {
      walker.WalkDir(abs, st);
    } else if (S_ISREG(st.st_mode) && IsEdgarIndexName(abs.substr(abs.rfind('/') + 1))) {
      result.edgar_indexes.push_back(MakeFileInfo(abs, st));
    } else if (S_ISREG(st.st_mode) && IsArchiveName(abs)) {
      result.archives.push_back(MakeFileInfo(abs, st));
    } else if (S_ISREG(st.st_mode)) {
      // A file named explicitly is indexed whatever its extension.
      result.files.push_back(MakeFileInfo(abs, st));
    } else {
      walker.Fail(root, "not a regular file or directory");
    }
  }
  for (std::vector<FileInfo>* list : {&result.files, &result.archives}) {
    std::sort(list->begin(), list->end(),
              [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
    list->erase(std::unique(list->begin(), list->end(),
                            [](const FileInfo& a, const FileInfo& b) { return a.path == b.path; }),
                list->end());
  }
  return result;
}

}  // namespace fidx
