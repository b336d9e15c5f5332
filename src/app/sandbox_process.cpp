#include "app/sandbox_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

namespace mb::app {

namespace {

constexpr const char* kLastStartupLine = "credentials";

Error StartupError(const std::string& message) {
  return Error{ErrorCode::kInternal, "sandbox: " + message};
}

}  // namespace

Result<std::string> SandboxEndpoints::Credential(const std::string& name) const {
  auto it = credentials.find(name);
  if (it == credentials.end() || it->second.empty()) {
    return tl::unexpected(StartupError("no " + name + " in the credentials line"));
  }
  return it->second;
}

Result<SandboxEndpoints> ParseSandboxStartup(const std::vector<std::string>& lines) {
  SandboxEndpoints out;
  bool clock_seen = false;
  for (const auto& line : lines) {
    std::istringstream in(line);
    std::string name;
    in >> name;
    if (name == "amazon-spapi") {
      in >> out.amazon_url;
    } else if (name == "scayle-admin") {
      in >> out.scayle_url;
    } else if (name == "sqs") {
      std::string url, word;
      in >> url >> word >> out.sqs_queue_url;
    } else if (name == "control") {
      in >> out.control_url;
    } else if (name == "clock") {
      // clock <ISO> epoch-ms <N> scale <F>
      std::string iso, ms_word, scale_word;
      int64_t ms = 0;
      if (!(in >> iso >> ms_word >> ms >> scale_word >> out.time_scale) || ms_word != "epoch-ms" ||
          scale_word != "scale") {
        return tl::unexpected(StartupError("cannot read the clock line: " + line));
      }
      out.sim_now = TimePoint(std::chrono::milliseconds(ms));
      clock_seen = true;
    } else if (name == kLastStartupLine) {
      std::string pair;
      while (in >> pair) {
        auto eq = pair.find('=');
        if (eq != std::string::npos) out.credentials[pair.substr(0, eq)] = pair.substr(eq + 1);
      }
    }
  }
  if (out.amazon_url.empty() || out.scayle_url.empty() || out.sqs_queue_url.empty() ||
      !clock_seen || out.credentials.empty()) {
    return tl::unexpected(StartupError(
        "startup lines lack a service, the clock or the credentials (is marketbridge-sandbox "
        "from the same build?)"));
  }
  return out;
}

SandboxProcess::~SandboxProcess() { Stop(std::chrono::seconds(5)); }

Status SandboxProcess::Start(const std::string& executable, const std::vector<std::string>& args,
                             const std::string& log_file, std::chrono::seconds startup_timeout) {
  if (access(executable.c_str(), X_OK) != 0) {
    return Fail(ErrorCode::kConfigError,
                "sandbox: " + executable +
                    " is not an executable (build the marketbridge-sandbox target, or pass "
                    "--sandbox PATH)");
  }
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  std::vector<std::string> argv_text = {executable};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return Fail(ErrorCode::kInternal, std::string("sandbox: pipe: ") + std::strerror(errno));
  }
  int log_fd = open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    return Fail(ErrorCode::kInternal,
                "sandbox: cannot write " + log_file + ": " + std::strerror(errno));
  }
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    // Dies with the demo; its own process group so a terminal's Ctrl-C reaches only the demo,
    // which then stops the sandbox in order (report first).
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    execv(executable.c_str(), argv.data());
    _exit(127);
  }
  const int fork_errno = errno;
  close(pipe_fds[1]);
  close(log_fd);
  if (pid < 0) {
    close(pipe_fds[0]);
    return Fail(ErrorCode::kInternal, std::string("sandbox: fork: ") + std::strerror(fork_errno));
  }
  pid_ = pid;
  stdout_fd_ = pipe_fds[0];
  auto lines = ReadStartupLines(startup_timeout);
  if (!lines) {
    Stop(std::chrono::seconds(5));
    return Fail(lines.error().code, lines.error().message + " (sandbox log: " + log_file + ")");
  }
  auto parsed = ParseSandboxStartup(*lines);
  if (!parsed) {
    Stop(std::chrono::seconds(5));
    return tl::unexpected(parsed.error());
  }
  endpoints_ = std::move(*parsed);
  return {};
}

Result<std::vector<std::string>> SandboxProcess::ReadStartupLines(std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<std::string> lines;
  std::string pending;
  char buffer[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return tl::unexpected(
          StartupError("no startup lines within " + std::to_string(timeout.count()) + "s"));
    }
    pollfd pfd{stdout_fd_, POLLIN, 0};
    int ready = poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    ssize_t n = read(stdout_fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return tl::unexpected(StartupError("exited during startup"));
    pending.append(buffer, static_cast<size_t>(n));
    for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n')) {
      lines.push_back(pending.substr(0, nl));
      pending.erase(0, nl + 1);
      if (lines.back().rfind(kLastStartupLine, 0) == 0) return lines;
    }
  }
}

std::chrono::milliseconds SandboxProcess::CpuTime() const {
  auto ms = [](const timeval& t) {
    return std::chrono::milliseconds(static_cast<int64_t>(t.tv_sec) * 1000 + t.tv_usec / 1000);
  };
  return ms(usage_.ru_utime) + ms(usage_.ru_stime);
}

void SandboxProcess::StopTrading() {
  if (pid_ > 0) kill(pid_, SIGUSR1);
}

bool SandboxProcess::Running() {
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t done = wait4(pid_, &status, WNOHANG, &usage_);
  if (done == pid_) {
    exit_status_ = status;
    pid_ = -1;
    return false;
  }
  return done == 0;
}

int SandboxProcess::Stop(std::chrono::seconds grace) {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    // A pidfd becomes readable when the child exits: wait on it with the grace period.
    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
    if (pidfd >= 0) {
      pollfd pfd{pidfd, POLLIN, 0};
      const auto deadline = std::chrono::steady_clock::now() + grace;
      for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        int ready = poll(&pfd, 1, static_cast<int>(left.count()));
        if (ready >= 0 || errno != EINTR) break;
      }
      close(pidfd);
    }
    if (Running()) {
      kill(pid_, SIGKILL);
      int status = 0;
      wait4(pid_, &status, 0, &usage_);
      exit_status_ = status;
      pid_ = -1;
    }
  }
  if (stdout_fd_ >= 0) {
    close(stdout_fd_);
    stdout_fd_ = -1;
  }
  return exit_status_;
}

}  // namespace mb::app
