#pragma once
// Runs an httplib::Server on 127.0.0.1 in a background thread. Returns only once the accept loop
// runs: httplib's stop() is a no-op before that, so an early Stop() would otherwise hang.

#include <httplib.h>

#include <string>
#include <thread>

namespace sandbox::conformance {

// Binds `port` (0 = ephemeral) and returns the bound port; throws when it cannot (startup).
int ListenOnLoopback(httplib::Server& server, int port, std::thread& thread,
                     const std::string& what);
void StopListening(httplib::Server& server, std::thread& thread);

}  // namespace sandbox::conformance
