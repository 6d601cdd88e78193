#include <clocale>

#include "command.h"

int main(int argc, char** argv) {
  std::setlocale(LC_ALL, "C");
  return fidx::cli::Main(argc, argv);
}
