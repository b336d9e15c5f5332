// marketbridge: the engine's single binary. main() only hands over to the CLI; everything else is
// wired in src/app.
#include <exception>
#include <iostream>

#include "app/cli.hpp"

int main(int argc, char** argv) {
  try {
    return mb::app::Main(argc, argv);
  } catch (const std::exception& e) {
    // A bug or a start-up failure: say what it was, exit non-zero.
    std::cerr << "marketbridge: fatal: " << e.what() << "\n";
    return mb::app::kExitFailure;
  }
}
