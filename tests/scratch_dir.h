// A temporary folder for unit tests, removed with everything in it at scope
// exit. (The end-to-end tests have fidx_test::TempDir in cli_runner.h.)

#ifndef FIDX_TESTS_SCRATCH_DIR_H_
#define FIDX_TESTS_SCRATCH_DIR_H_

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

namespace fidx_test {

struct ScratchDir {
  std::string path;
  ScratchDir() {
    std::string tmpl = std::filesystem::temp_directory_path().string() + "/fidx-unit-XXXXXX";
    REQUIRE(::mkdtemp(&tmpl[0]) != nullptr);
    path = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
};

}  // namespace fidx_test

#endif  // FIDX_TESTS_SCRATCH_DIR_H_
