// marketbridge-sandbox: the simulated Amazon SP-API, SCAYLE Admin API and market (docs/sandbox.md).
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    std::puts(
        "usage: marketbridge-sandbox [--help]\nThe simulated Amazon SP-API, SCAYLE Admin API and "
        "market.");
    return 0;
  }
  std::fputs("marketbridge-sandbox: no emulated service is built in yet (see docs/sandbox.md)\n",
             stderr);
  return 1;
}
