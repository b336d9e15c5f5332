#pragma once
// `marketbridge-sandbox` as a child process of `marketbridge demo`: spawned on ephemeral loopback
// ports, its startup lines (one per service, the sim clock, sandbox-only credentials) parsed into
// what the engine's configuration needs, and stopped (SIGTERM, then SIGKILL) when the demo ends.
// The child also dies with the demo (PR_SET_PDEATHSIG), so a killed demo leaves nothing behind.

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace mb::app {

// What the sandbox printed at startup (docs/sandbox.md "Running it").
struct SandboxEndpoints {
  std::string amazon_url;     // SP-API and LWA (/auth/o2/token)
  std::string scayle_url;     // SCAYLE Admin API base (…/api/admin/v1)
  std::string sqs_queue_url;  // the ORDER_CHANGE queue
  std::string control_url;    // /_sandbox (Amazon's control API)
  TimePoint sim_now;          // the sandbox clock when it printed
  double time_scale = 1;
  std::map<std::string, std::string> credentials;  // lwa-client-id=…, scayle-token=…, …

  // The credential `name`, or an error naming it.
  Result<std::string> Credential(const std::string& name) const;
};

// Parses the startup lines; fails naming the first line it cannot read or what is missing.
Result<SandboxEndpoints> ParseSandboxStartup(const std::vector<std::string>& lines);

class SandboxProcess {
 public:
  SandboxProcess() = default;
  ~SandboxProcess();
  SandboxProcess(const SandboxProcess&) = delete;
  SandboxProcess& operator=(const SandboxProcess&) = delete;

  // Starts `executable` with `args` (no shell); its stderr goes to `log_file`. Waits up to
  // `startup_timeout` for the startup lines.
  Status Start(const std::string& executable, const std::vector<std::string>& args,
               const std::string& log_file, std::chrono::seconds startup_timeout);
  // SIGUSR1: the market stops trading, the emulated services keep answering.
  void StopTrading();
  // SIGTERM (the sandbox writes its report and exits), SIGKILL after `grace`. Returns the exit
  // status as waitpid reports it, or -1 when nothing was running.
  int Stop(std::chrono::seconds grace = std::chrono::seconds(30));
  // True while the child has not exited.
  bool Running();

  // CPU time (user + system) the child used; known once it has exited.
  std::chrono::milliseconds CpuTime() const;
  pid_t pid() const { return pid_; }
  const SandboxEndpoints& endpoints() const { return endpoints_; }

 private:
  Result<std::vector<std::string>> ReadStartupLines(std::chrono::seconds timeout);

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int exit_status_ = -1;
  rusage usage_{};
  SandboxEndpoints endpoints_;
};

}  // namespace mb::app
