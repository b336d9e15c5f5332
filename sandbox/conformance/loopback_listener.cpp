#include "sandbox/conformance/loopback_listener.hpp"

#include <chrono>
#include <stdexcept>

namespace sandbox::conformance {

int ListenOnLoopback(httplib::Server& server, int port, std::thread& thread,
                     const std::string& what) {
  // Without TCP_NODELAY a keep-alive client waits ~40 ms per response (Nagle vs delayed ACK:
  // httplib writes headers and body separately). Set before bind: accepted sockets inherit it.
  server.set_tcp_nodelay(true);
  int bound = -1;
  if (port == 0) {
    bound = server.bind_to_any_port("127.0.0.1");
  } else if (server.bind_to_port("127.0.0.1", port)) {
    bound = port;
  }
  if (bound <= 0) throw std::runtime_error("sandbox: " + what + " cannot bind 127.0.0.1");
  thread = std::thread([&server] { server.listen_after_bind(); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server.is_running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("sandbox: " + what + " did not start listening");
    }
    std::this_thread::yield();
  }
  return bound;
}

void StopListening(httplib::Server& server, std::thread& thread) {
  server.stop();
  if (thread.joinable()) thread.join();
}

}  // namespace sandbox::conformance
