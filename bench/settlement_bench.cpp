#include "settlement_bench.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/settlement/default_rules.hpp"
#include "core/settlement/flat_file_parser.hpp"
#include "core/settlement/journal_compiler.hpp"

namespace mb::bench {

namespace {

namespace fs = std::filesystem;
using settlement::CompileJournal;
using settlement::RuleTable;
using settlement::SettlementStatus;

// Deterministic generator (xorshift64*): the same seed gives byte-identical files.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed ? seed : 1) {}
  uint64_t Next() {
    s_ ^= s_ >> 12;
    s_ ^= s_ << 25;
    s_ ^= s_ >> 27;
    return s_ * 0x2545F4914F6CDD1DULL;
  }
  int64_t Between(int64_t lo, int64_t hi) { return lo + int64_t(Next() % uint64_t(hi - lo + 1)); }
  bool Chance(int percent) { return int(Next() % 100) < percent; }

 private:
  uint64_t s_;
};

struct Market {
  const char* marketplace;
  const char* currency;
  bool comma;
  int tax_percent;
  bool facilitator_tax;  // US states: Amazon collects and withholds the tax
  const char* order_prefix;
};

// Amazon writes thousands separators in large amounts; both styles are exercised.
std::string FormatAmount(int64_t minor, bool comma) {
  const bool negative = minor < 0;
  uint64_t abs = negative ? uint64_t(-minor) : uint64_t(minor);
  std::string units = std::to_string(abs / 100);
  std::string grouped;
  for (size_t i = 0; i < units.size(); ++i) {
    if (i > 0 && (units.size() - i) % 3 == 0) grouped += comma ? '.' : ',';
    grouped += units[i];
  }
  char frac[4];
  std::snprintf(frac, sizeof frac, "%02u", unsigned(abs % 100));
  return (negative ? "-" : "") + grouped + (comma ? ',' : '.') + frac;
}

class Generator {
 public:
  Generator(const Market& m, uint64_t seed, std::string settlement_id)
      : m_(m), rng_(seed), id_(std::move(settlement_id)) {}

  // Writes one settlement of at least `bytes` bytes to `path`.
  Status Write(const fs::path& path, int64_t bytes);

 private:
  void Row(const char* tt, const std::string& order_id, const char* at, const char* ad,
           int64_t minor, const std::string& sku, int quantity, const char* adjustment_id = "",
           const char* promotion_id = "");
  std::string Date(int day, bool with_time) const;
  void Order(bool refund);
  void Other();

  const Market& m_;
  Rng rng_;
  std::string id_;
  std::string body_;
  int64_t total_ = 0;
  int day_ = 1;
  uint64_t order_no_ = 0;
};

std::string Generator::Date(int day, bool with_time) const {
  char buf[40];
  if (m_.comma) {
    std::snprintf(buf, sizeof buf, with_time ? "%02d.08.2026 %02d:%02d:%02d UTC" : "%02d.08.2026",
                  day, (day * 7) % 24, (day * 13) % 60, (day * 17) % 60);
  } else {
    std::snprintf(buf, sizeof buf, with_time ? "2026-08-%02d %02d:%02d:%02d UTC" : "2026-08-%02d",
                  day, (day * 7) % 24, (day * 13) % 60, (day * 17) % 60);
  }
  return buf;
}

void Generator::Row(const char* tt, const std::string& order_id, const char* at, const char* ad,
                    int64_t minor, const std::string& sku, int quantity, const char* adjustment_id,
                    const char* promotion_id) {
  total_ += minor;
  const bool order_line = order_id.size() == 19;
  body_ += id_;
  body_ += "\t\t\t\t\t\t";
  body_ += tt;
  body_ += '\t';
  body_ += order_id;
  body_ += "\t\t";
  body_ += adjustment_id;
  body_ += '\t';
  if (order_line) body_ += "DmL" + std::to_string(order_no_ % 9000000 + 1000000) + "VN";
  body_ += '\t';
  if (order_line) body_ += m_.marketplace;
  body_ += '\t';
  body_ += at;
  body_ += '\t';
  body_ += ad;
  body_ += '\t';
  body_ += FormatAmount(minor, m_.comma);
  body_ += '\t';
  if (order_line) body_ += "AFN";
  body_ += '\t';
  body_ += Date(day_, false);
  body_ += '\t';
  body_ += Date(day_, true);
  body_ += '\t';
  if (order_line) body_ += std::to_string(50000000000000ULL + order_no_ * 3);
  body_ += "\t\t\t";
  body_ += sku;
  body_ += '\t';
  if (quantity) body_ += std::to_string(quantity);
  body_ += '\t';
  body_ += promotion_id;
  body_ += '\n';
}

void Generator::Order(bool refund) {
  ++order_no_;
  char order_id[24];
  std::snprintf(order_id, sizeof order_id, "%s-%07llu-%07llu", m_.order_prefix,
                (unsigned long long)(order_no_ % 10000000),
                (unsigned long long)(rng_.Next() % 10000000));
  const std::string oid = order_id;
  const int items = rng_.Chance(20) ? 2 : 1;
  const char* tt = refund ? "Refund" : "Order";
  const int64_t sign = refund ? -1 : 1;
  for (int i = 0; i < items; ++i) {
    std::string sku =
        "SKU-" + std::to_string(100000 + rng_.Between(0, 4999)) + "-" + "SMLX"[rng_.Between(0, 3)];
    int quantity = rng_.Chance(10) ? 2 : 1;
    int64_t principal = rng_.Chance(3) ? rng_.Between(100000, 350000) : rng_.Between(499, 19999);
    int64_t tax = principal * m_.tax_percent / 100;
    const char* adj = refund ? "amzn1.adj.bench" : "";
    Row(tt, oid, "ItemPrice", "Principal", sign * principal, sku, quantity, adj);
    Row(tt, oid, "ItemPrice", "Tax", sign * tax, sku, quantity, adj);
    if (m_.facilitator_tax) {
      Row(tt, oid, "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", -sign * tax, sku,
          quantity, adj);
    }
    if (!refund && rng_.Chance(30)) {
      int64_t shipping = rng_.Between(299, 999);
      Row(tt, oid, "ItemPrice", "Shipping", shipping, sku, quantity);
      Row(tt, oid, "ItemPrice", "ShippingTax", shipping * m_.tax_percent / 100, sku, quantity);
    }
    if (rng_.Chance(10)) {
      Row(tt, oid, "Promotion", "Principal", -sign * rng_.Between(100, 1000), sku, quantity, adj,
          "PROMO-BENCH-1");
    }
    Row(tt, oid, "ItemFees", "Commission", -sign * principal * 15 / 100, sku, quantity, adj);
    if (refund) {
      Row(tt, oid, "ItemFees", "RefundCommission", -principal * 3 / 100, sku, quantity, adj);
    } else {
      Row(tt, oid, "ItemFees", "FBAPerUnitFulfillmentFee", -rng_.Between(250, 900), sku, quantity);
    }
  }
}

void Generator::Other() {
  switch (rng_.Between(0, 7)) {
    case 0:
      Row("other-transaction", "", "other-transaction", "Storage Fee", -rng_.Between(100, 90000),
          "", 0);
      break;
    case 1:
      Row("ServiceFee", "", "Cost of Advertising", "TransactionTotalAmount",
          -rng_.Between(1000, 50000), "", 0);
      break;
    case 2:
      Row("AmazonFees", "", "Coupon Performance Based Fee", "Base fee", -60, "", 0);
      break;
    case 3:
      Row("other-transaction", "", "FBA Inventory Reimbursement", "WAREHOUSE_DAMAGE",
          rng_.Between(500, 5000), "SKU-100042-M", 1);
      break;
    case 4:
      Row("FBAFees", "FBA19CD9HGQ8", "Inbound Defect Fee", "Base fee", -1200, "", 0);
      break;
    case 5:
      Row("Order_Retrocharge", "", "ItemPrice", "Tax", -rng_.Between(1, 500), "", 0);
      break;
    case 6:
      Row("other-transaction", "", "other-transaction", "FBA Inbound Placement Service Fee",
          -rng_.Between(1000, 9000), "", 0);
      break;
    default:
      Row("other-transaction", "", "other-transaction", "Subscription Fee", -3999, "", 0);
  }
}

Status Generator::Write(const fs::path& path, int64_t bytes) {
  body_.reserve(size_t(bytes) + 4096);
  Row("other-transaction", "", "other-transaction", "Previous Reserve Amount Balance",
      rng_.Between(100000, 900000), "", 0);
  while (int64_t(body_.size()) < bytes) {
    day_ = 1 + int(int64_t(body_.size()) * 14 / bytes);
    if (rng_.Chance(1)) {
      Other();
    } else {
      Order(rng_.Chance(5));
    }
  }
  Row("other-transaction", "", "other-transaction", "Current Reserve Amount",
      -rng_.Between(100000, 900000), "", 0);
  std::ofstream out(path, std::ios::binary);
  out << "settlement-id\tsettlement-start-date\tsettlement-end-date\tdeposit-date\ttotal-amount\t"
         "currency\ttransaction-type\torder-id\tmerchant-order-id\tadjustment-id\tshipment-id\t"
         "marketplace-name\tamount-type\tamount-description\tamount\tfulfillment-id\tposted-date\t"
         "posted-date-time\torder-item-code\tmerchant-order-item-id\tmerchant-adjustment-item-id\t"
         "sku\tquantity-purchased\tpromotion-id\n";
  out << id_ << '\t' << Date(1, true) << '\t' << Date(15, true) << '\t' << Date(17, true) << '\t'
      << FormatAmount(total_, m_.comma) << '\t' << m_.currency
      << "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\n";
  out << body_;
  out.close();
  if (!out) return Fail(ErrorCode::kInternal, "bench: cannot write " + path.string());
  std::string().swap(body_);
  return {};
}

// A read-only mapping of a file, unmapped when the last report using it goes away. This is how
// an import should read a 100 MB file: no copy, and pages come straight from the page cache.
struct MappedFile {
  void* data = MAP_FAILED;
  size_t size = 0;
  ~MappedFile() {
    if (data != MAP_FAILED) munmap(data, size);
  }
};

Result<std::shared_ptr<MappedFile>> MapFile(const fs::path& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(ErrorCode::kNotFound, "bench: cannot open " + path.string());
  struct stat st {};
  fstat(fd, &st);
  auto file = std::make_shared<MappedFile>();
  file->size = size_t(st.st_size);
  file->data = mmap(nullptr, file->size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  close(fd);
  if (file->data == MAP_FAILED)
    return Fail(ErrorCode::kInternal, "bench: cannot map " + path.string());
  return file;
}

// User + system CPU time of this thread.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

double PeakRssMb(int who) {
  rusage usage{};
  getrusage(who, &usage);
  return double(usage.ru_maxrss) * 1024.0 / 1e6;  // ru_maxrss is in KiB on Linux
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

Result<SettlementBenchReport> RunSettlementBench(const SettlementBenchOptions& options) {
  SettlementBenchReport report;
  fs::path dir = options.work_dir;
  if (dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    dir = fs::path(tmp ? tmp : "/tmp") / "marketbridge-settlement-bench";
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Fail(ErrorCode::kInternal, "bench: cannot create " + dir.string());

  static const Market kUs{"Amazon.com", "USD", false, 8, true, "111"};
  static const Market kDe{"Amazon.de", "EUR", true, 19, false, "302"};
  const std::vector<std::pair<const Market*, fs::path>> files = {
      {&kUs, dir / "settlement-us-dot.tsv"}, {&kDe, dir / "settlement-de-comma.tsv"}};
  uint64_t seed = options.seed;
  for (const auto& [market, path] : files) {
    ++seed;
    Generator gen(*market, seed, std::to_string(20000000000 + seed % 1000000));
    if (auto st = gen.Write(path, options.target_bytes / int64_t(files.size())); !st) {
      return tl::unexpected(st.error());
    }
    report.bytes += int64_t(fs::file_size(path));
  }
  report.files = int(files.size());

  auto rules = RuleTable::Parse(settlement::DefaultRuleTableCsv(), "default rule table");
  if (!rules) return tl::unexpected(rules.error());

  // Timed: read + decode + parse + compile, per file, best of N runs.
  std::map<std::string, int64_t> sums;
  report.all_postable = true;
  report.best_seconds = 1e300;
  for (int run = 0; run < std::max(1, options.runs); ++run) {
    const double cpu_start = CpuSeconds();
    auto start = std::chrono::steady_clock::now();
    int64_t rows = 0;
    for (const auto& [market, path] : files) {
      auto file = MapFile(path);
      if (!file) return tl::unexpected(file.error());
      std::string_view bytes(static_cast<const char*>((*file)->data), (*file)->size);
      auto parsed = settlement::ParseSettlementBuffer(*file, bytes, path.filename().string());
      if (!parsed) return tl::unexpected(parsed.error());
      auto journal = CompileJournal(*parsed, *rules);
      rows += int64_t(parsed->rows.size());
      if (run == 0) {
        // Untimed in effect (first run is rarely the best): sums per key for the baseline check.
        report.all_postable = report.all_postable && journal.status == SettlementStatus::kPostable;
        std::vector<int64_t> by_combination(parsed->combinations.size(), 0);
        for (const auto& row : parsed->rows) by_combination[row.combination] += row.amount_minor;
        for (size_t i = 0; i < by_combination.size(); ++i) {
          const auto& c = parsed->combinations[i];
          sums[c.transaction_type + "\t" + c.amount_type + "\t" + c.amount_description] +=
              by_combination[i];
        }
      }
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpu = CpuSeconds() - cpu_start;
    if (run == 0) report.cold_mb_per_s = double(report.bytes) / 1e6 / seconds;
    if (seconds < report.best_seconds) {
      report.best_seconds = seconds;
      report.cpu_seconds = cpu;
    }
    report.rows = rows;
    ++report.runs;
  }
  report.mb_per_s = double(report.bytes) / 1e6 / report.best_seconds;
  report.cpu_mb_per_s = double(report.bytes) / 1e6 / report.cpu_seconds;
  report.peak_rss_mb = PeakRssMb(RUSAGE_SELF);

  if (!options.run_baseline) {
    if (!options.keep_files) {
      for (const auto& [market, path] : files) fs::remove(path, ec);
    }
    return report;
  }
  std::string script = options.baseline_script;
  if (script.empty()) script = std::string(MB_SOURCE_DIR) + "/bench/settlement_baseline.py";
  std::string cmd = Quote(options.python) + " " + Quote(script) + " --runs " +
                    std::to_string(std::max(1, options.baseline_runs));
  for (const auto& [market, path] : files) cmd += " " + Quote(path.string());
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return Fail(ErrorCode::kInternal, "bench: cannot run " + cmd);
  std::string output;
  char buf[65536];
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) output.append(buf, n);
  int status = pclose(pipe);
  if (status != 0) {
    return Fail(ErrorCode::kInternal,
                "bench: baseline failed (exit " + std::to_string(status) + "): " + cmd);
  }
  auto json = nlohmann::json::parse(output, nullptr, false);
  if (json.is_discarded() || !json.contains("seconds")) {
    return Fail(ErrorCode::kInternal,
                "bench: baseline printed no report: " + output.substr(0, 200));
  }
  report.baseline_seconds = json["seconds"].get<double>();
  // Reported by the script itself: RUSAGE_CHILDREN would include this process's pages that the
  // fork behind popen shared before exec.
  report.baseline_peak_rss_mb = json.value("peak_rss_mb", 0.0);
  report.baseline_mb_per_s = double(report.bytes) / 1e6 / report.baseline_seconds;
  report.ratio = report.mb_per_s / report.baseline_mb_per_s;
  report.baseline_cpu_seconds = json.value("cpu_seconds", 0.0);
  if (report.baseline_cpu_seconds > 0) {
    report.baseline_cpu_mb_per_s = double(report.bytes) / 1e6 / report.baseline_cpu_seconds;
    report.cpu_ratio = report.cpu_mb_per_s / report.baseline_cpu_mb_per_s;
  }
  std::map<std::string, int64_t> baseline_sums;
  for (const auto& [key, value] : json["sums"].items()) baseline_sums[key] = value.get<int64_t>();
  report.baseline_matches = baseline_sums == sums && json["rows"].get<int64_t>() == report.rows;

  if (!options.keep_files) {
    for (const auto& [market, path] : files) fs::remove(path, ec);
  }
  return report;
}

std::string SettlementBenchReport::ToJson() const {
  nlohmann::ordered_json j;
  j["benchmark"] = "settlement";
  j["mb_per_s"] = mb_per_s;
  j["baseline_mb_per_s"] = baseline_mb_per_s;
  j["ratio"] = ratio;
  j["peak_rss_mb"] = peak_rss_mb;
  j["cold_mb_per_s"] = cold_mb_per_s;
  j["cpu_mb_per_s"] = cpu_mb_per_s;
  j["baseline_cpu_mb_per_s"] = baseline_cpu_mb_per_s;
  j["cpu_ratio"] = cpu_ratio;
  j["baseline_peak_rss_mb"] = baseline_peak_rss_mb;
  j["bytes"] = bytes;
  j["rows"] = rows;
  j["files"] = files;
  j["runs"] = runs;
  j["best_seconds"] = best_seconds;
  j["cpu_seconds"] = cpu_seconds;
  j["baseline_seconds"] = baseline_seconds;
  j["baseline_cpu_seconds"] = baseline_cpu_seconds;
  j["baseline_matches"] = baseline_matches;
  j["all_postable"] = all_postable;
  j["targets"] = {{"mb_per_s", 100}, {"ratio", 10}};
  j["pass"] = mb_per_s >= 100 && ratio >= 10 && baseline_matches && all_postable;
  return j.dump(2) + "\n";
}

std::string SettlementBenchReport::ToText() const {
  std::ostringstream o;
  o.precision(1);
  o << std::fixed;
  o << "settlement bench: " << double(bytes) / 1e6 << " MB in " << files << " files, " << rows
    << " rows\n"
    << "  marketbridge   " << mb_per_s << " MB/s wall (best of " << runs << "; first run "
    << cold_mb_per_s << "), " << cpu_mb_per_s << " MB/s CPU, peak RSS " << peak_rss_mb << " MB\n"
    << "  python csv     " << baseline_mb_per_s << " MB/s wall, " << baseline_cpu_mb_per_s
    << " MB/s CPU, peak RSS " << baseline_peak_rss_mb << " MB\n"
    << "  ratio          " << ratio << "x wall, " << cpu_ratio
    << "x CPU   sums match: " << (baseline_matches ? "yes" : "NO")
    << "   all postable: " << (all_postable ? "yes" : "NO") << "\n";
  return o.str();
}

}  // namespace mb::bench
