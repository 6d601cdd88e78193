// Skipping a test so that CTest reports it as skipped, not passed: Catch2 2
// has no skip, so the test's process exits with kSkipReturnCode, which
// CMakeLists.txt declares as every test's SKIP_RETURN_CODE (CTest runs
// each test case in its own process).

#ifndef FIDX_TESTS_SKIP_H_
#define FIDX_TESTS_SKIP_H_

#include <sys/stat.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "test_paths.h"

namespace fidx_test {

inline constexpr int kSkipReturnCode = 77;

// Ends the test process as skipped, saying why on stdout.
[[noreturn]] inline void SkipTest(const std::string& why) {
  std::cout << "skipped: " << why << std::endl;
  std::exit(kSkipReturnCode);
}

// True if ../shared/corpus is present. FIDX_TESTS_WITHOUT_SHARED=1 makes
// the tests behave as if it were not (to check the skipping itself).
inline bool SharedCorpusPresent() {
  const char* without = std::getenv("FIDX_TESTS_WITHOUT_SHARED");
  if (without && *without && std::string(without) != "0") return false;
  struct stat st;
  return ::stat(kSharedCorpus, &st) == 0 && S_ISDIR(st.st_mode);
}

// Skips the running test unless ../shared/corpus is present.
inline void SkipWithoutSharedCorpus() {
  if (!SharedCorpusPresent()) SkipTest(std::string(kSharedCorpus) + " is not present");
}

}  // namespace fidx_test

#endif  // FIDX_TESTS_SKIP_H_
