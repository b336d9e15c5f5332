#include "config/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace mb::config {
namespace {

using namespace std::chrono_literals;

std::optional<std::string> TestEnv(const std::string& name) {
  if (name == "MB_TEST_SECRET") return "s3cr3t-value";
  if (name == "MB_EMPTY") return "";
  return std::nullopt;
}

Result<Config> Load(std::string_view text) { return LoadConfigString(text, "mb.toml", TestEnv); }

std::string ErrorOf(std::string_view text) {
  auto c = Load(text);
  EXPECT_FALSE(c.has_value()) << text;
  return c ? "" : c.error().message;
}

TEST(Config, DefaultsApplyWithoutAFile) {
  Config c = DefaultConfig();
  EXPECT_EQ(c.GetInt("server.port"), 8080);
  EXPECT_EQ(c.GetString("store.sqlite_path"), "marketbridge.db");
  EXPECT_EQ(c.GetDuration("http.request_timeout"), 30s);
  EXPECT_EQ(c.GetList("amazon.marketplace_ids"), std::vector<std::string>{"A1PA6795UKMFR9"});
  EXPECT_FALSE(c.GetSecret("amazon.lwa_client_secret").has_value());
  EXPECT_FALSE(c.IsSet("server.port"));
}

TEST(Config, ReadsEveryType) {
  auto c = Load(R"(
[server]
port = 9090
listen_address = "0.0.0.0"
[log]
format = "json"
[http]
backoff_base = "250ms"
request_timeout = "1m30s"
[amazon]
marketplace_ids = ["A1F83G8C2ARO7P", "A1PA6795UKMFR9"]
lwa_client_secret = "env:MB_TEST_SECRET"
)");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->GetInt("server.port"), 9090);
  EXPECT_TRUE(c->IsSet("server.port"));
  EXPECT_EQ(c->GetString("server.listen_address"), "0.0.0.0");
  EXPECT_EQ(c->GetString("log.format"), "json");
  EXPECT_EQ(c->GetDuration("http.backoff_base"), 250ms);
  EXPECT_EQ(c->GetDuration("http.request_timeout"), 90s);
  EXPECT_EQ(c->GetList("amazon.marketplace_ids").size(), 2u);
  ASSERT_TRUE(c->GetSecret("amazon.lwa_client_secret"));
  EXPECT_EQ(c->GetSecret("amazon.lwa_client_secret")->Reveal(), "s3cr3t-value");
  EXPECT_EQ(c->GetSecret("amazon.lwa_client_secret")->source(), "env:MB_TEST_SECRET");
  EXPECT_EQ(c->GetInt("server.threads"), 4) << "unset keys keep their default";
}

TEST(Config, DottedKeysWork) {
  auto c = Load("server.port = 1234\n");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->GetInt("server.port"), 1234);
}

TEST(Config, UnknownKeyHasPositionAndSuggestion) {
  EXPECT_EQ(ErrorOf("[server]\nprot = 80\n"),
            "mb.toml:2:1: unknown key 'server.prot' (did you mean 'server.port'?)");
  EXPECT_EQ(ErrorOf("\n\n  colour = 1\n"), "mb.toml:3:3: unknown key 'colour'");
  EXPECT_EQ(ErrorOf("[nosuchsection]\nx = 1\n"), "mb.toml:1:2: unknown key 'nosuchsection'");
}

TEST(Config, BadValuesHavePositionAndReason) {
  EXPECT_EQ(ErrorOf("[server]\nport = \"80\"\n"), "mb.toml:2:8: 'server.port' must be a integer");
  EXPECT_EQ(ErrorOf("[server]\nport = 70000\n"),
            "mb.toml:2:8: 'server.port' = 70000 is out of range [0, 65535]");
  EXPECT_EQ(ErrorOf("[log]\nformat = \"xml\"\n"),
            "mb.toml:2:10: 'log.format' must be a one of \"text\", \"json\"");
  EXPECT_NE(ErrorOf("[http]\nrequest_timeout = 30\n").find("must be a duration with a unit"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[http]\nrequest_timeout = \"30 seconds\"\n").find("mb.toml:2:19"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[amazon]\nmarketplace_ids = [\"A\", 2]\n").find("list of strings"),
            std::string::npos);
}

TEST(Config, AllErrorsAreReportedAtOnce) {
  auto msg = ErrorOf("[server]\nport = -1\nthreads = 0\nbogus = 1\n");
  EXPECT_EQ(std::count(msg.begin(), msg.end(), '\n'), 2) << msg;
}

TEST(Config, SyntaxErrorHasPosition) {
  auto msg = ErrorOf("[server\nport = 1\n");
  EXPECT_TRUE(msg.starts_with("mb.toml:1:")) << msg;
}

TEST(Config, SecretsNeverInTheFileAndNeverPrinted) {
  auto literal = ErrorOf("[amazon]\nlwa_client_secret = \"amzn-secret-xyz\"\n");
  EXPECT_NE(literal.find("secrets are never written in the config file"), std::string::npos);
  EXPECT_EQ(literal.find("amzn-secret-xyz"), std::string::npos)
      << "the error must not echo the secret";
  EXPECT_NE(
      ErrorOf("[amazon]\nlwa_client_secret = \"env:MB_MISSING\"\n").find("MB_MISSING is not set"),
      std::string::npos);
  EXPECT_NE(ErrorOf("[amazon]\nlwa_client_secret = \"env:MB_EMPTY\"\n").find("MB_EMPTY is not set"),
            std::string::npos);

  std::stringstream printed;
  printed << *Load("[amazon]\nlwa_client_secret = \"env:MB_TEST_SECRET\"\n")
                  ->GetSecret("amazon.lwa_client_secret");
  EXPECT_EQ(printed.str(), "***");
}

TEST(Config, SecretFromFileDropsTrailingNewline) {
  auto path = std::filesystem::temp_directory_path() / "mb-config-secret-test";
  std::ofstream(path) << "from-file\n";
  auto c = Load("[scayle]\naccess_token = \"file:" + path.string() + "\"\n");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->GetSecret("scayle.access_token")->Reveal(), "from-file");
  std::filesystem::remove(path);
  EXPECT_NE(
      ErrorOf("[scayle]\naccess_token = \"file:/nonexistent/secret\"\n").find("cannot be read"),
      std::string::npos);
}

TEST(Config, MissingFileIsAClearError) {
  auto c = LoadConfigFile("/nonexistent/marketbridge.toml", TestEnv);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, "/nonexistent/marketbridge.toml: cannot read the config file");
}

TEST(Config, UndeclaredOrMistypedAccessIsABug) {
  Config c = DefaultConfig();
  EXPECT_THROW(c.GetInt("server.nope"), std::logic_error);
  EXPECT_THROW(c.GetInt("server.listen_address"), std::logic_error);
}

TEST(Duration, Parses) {
  EXPECT_EQ(*ParseDuration("500ms"), 500ms);
  EXPECT_EQ(*ParseDuration("2h"), 2h);
  EXPECT_EQ(*ParseDuration("7d"), 168h);
  EXPECT_EQ(*ParseDuration("1h30m15s"), 5415s);
  for (const char* bad : {"", "5", "s", "5x", "-5s", "1.5s", "5 s", "99999999999999999999s"}) {
    EXPECT_FALSE(ParseDuration(bad)) << bad;
  }
}

TEST(ConfigKeys, DeclarationsAreValid) {
  std::set<std::string_view> names;
  for (const auto& spec : AllKeys()) {
    EXPECT_TRUE(names.insert(spec.name).second) << "declared twice: " << spec.name;
    EXPECT_FALSE(spec.description.empty()) << spec.name;
    EXPECT_NE(spec.name.find('.'), std::string_view::npos) << spec.name << " must be in a section";
  }
  // Every default must itself be valid: DefaultConfig() parses them all.
  EXPECT_NO_THROW(DefaultConfig());
}

// docs/config.md is generated from the key table; this fails when someone adds a key and forgets
// to regenerate it (`marketbridge config-reference > docs/config.md`).
TEST(ConfigKeys, DocsAreCurrent) {
  std::ifstream in(std::string(MB_SOURCE_DIR) + "/docs/config.md");
  ASSERT_TRUE(in) << "docs/config.md missing";
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), RenderReference())
      << "regenerate with: marketbridge config-reference > docs/config.md";
}

}  // namespace
}  // namespace mb::config
