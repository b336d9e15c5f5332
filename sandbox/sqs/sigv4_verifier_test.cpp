// SigV4 against AWS's official test vectors (reference/aws/sigv4-test-suite): canonical request,
// string to sign and Authorization header for every vector, and verification of the signed form.
#include "sandbox/sqs/sigv4_verifier.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace sandbox::sqs {
namespace {

const std::string kSuite = std::string(MB_SHARED_DIR) + "/reference/aws/sigv4-test-suite/";
const std::string kKey = "AKIDEXAMPLE";
const std::string kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const std::string kAmzDate = "20150830T123600Z";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "missing vector file " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Parses the suite's raw request files: request line, "Name:value" headers, blank line, body.
SignableRequest ParseRawRequest(const std::string& text) {
  SignableRequest r;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  auto sp1 = line.find(' ');
  auto sp2 = line.rfind(' ');
  r.method = line.substr(0, sp1);
  std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  auto q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) r.query = target.substr(q + 1);
  while (std::getline(in, line) && !line.empty()) {
    auto colon = line.find(':');
    // HTTP allows optional whitespace after the colon (the .sreq files use it).
    auto value = line.find_first_not_of(' ', colon + 1);
    r.headers.emplace_back(line.substr(0, colon),
                           value == std::string::npos ? "" : line.substr(value));
  }
  std::stringstream rest;
  rest << in.rdbuf();
  r.body = rest.str();
  return r;
}

class SigV4Vector : public ::testing::TestWithParam<std::string> {};

TEST_P(SigV4Vector, ReproducesCanonicalRequestStringToSignAndAuthorization) {
  const std::string base = kSuite + GetParam() + "/" + GetParam().substr(GetParam().rfind('/') + 1);
  SignableRequest req = ParseRawRequest(ReadFile(base + ".req"));
  std::vector<std::string> names;
  for (const auto& [n, v] : req.headers) {
    std::string lower = n;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    names.push_back(lower);
  }
  std::sort(names.begin(), names.end());
  const std::string creq = CanonicalRequest(req, names);
  EXPECT_EQ(creq, ReadFile(base + ".creq"));
  const std::string sts =
      StringToSign(kAmzDate, CredentialScope("20150830", "us-east-1", "service"), creq);
  EXPECT_EQ(sts, ReadFile(base + ".sts"));
  EXPECT_EQ(AuthorizationFor(req, kKey, kSecret, "us-east-1", "service", kAmzDate),
            ReadFile(base + ".authz"));
}

TEST_P(SigV4Vector, VerifierAcceptsTheSignedRequest) {
  const std::string base = kSuite + GetParam() + "/" + GetParam().substr(GetParam().rfind('/') + 1);
  SignableRequest signed_req = ParseRawRequest(ReadFile(base + ".sreq"));
  SigV4Verifier verifier({{kKey, kSecret}}, "us-east-1", "service");
  auto rejection = verifier.Verify(signed_req, *ParseAmzDate(kAmzDate));
  EXPECT_FALSE(rejection) << rejection->code << ": " << rejection->message;
}

INSTANTIATE_TEST_SUITE_P(AwsSuite, SigV4Vector,
                         ::testing::Values("get-vanilla", "get-vanilla-query-order-key-case",
                                           "post-header-key-sort", "post-vanilla",
                                           "post-x-www-form-urlencoded",
                                           "post-sts-token/post-sts-header-before",
                                           "post-sts-token/post-sts-header-after"),
                         [](const auto& info) {
                           std::string name = info.param.substr(info.param.rfind('/') + 1);
                           for (auto& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

// The worked SQS example in SQS_SIGV4.md §4 (eu-west-1, service sqs).
TEST(SigV4, ReproducesTheDocumentedSqsReceiveMessageSignature) {
  SignableRequest req;
  req.method = "POST";
  req.body =
      R"({"QueueUrl":"https://sqs.eu-west-1.amazonaws.com/123456789012/spapi-notifications",)"
      R"("MaxNumberOfMessages":10,"WaitTimeSeconds":20,)"
      R"("MessageSystemAttributeNames":["ApproximateReceiveCount"]})";
  req.headers = {{"Content-Type", "application/x-amz-json-1.0"},
                 {"Host", "sqs.eu-west-1.amazonaws.com"},
                 {"X-Amz-Date", kAmzDate},
                 {"X-Amz-Target", "AmazonSQS.ReceiveMessage"}};
  EXPECT_EQ(AuthorizationFor(req, kKey, kSecret, "eu-west-1", "sqs", kAmzDate),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/sqs/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
            "Signature=c33ebfe02cba8cabcc24ffc84c0d34eb139522b585bddb562c5367cda215dddf");
}

class SigV4Rejections : public ::testing::Test {
 protected:
  SignableRequest Signed() {
    SignableRequest req = ParseRawRequest(ReadFile(kSuite + "post-vanilla/post-vanilla.sreq"));
    return req;
  }
  void SetHeader(SignableRequest& req, const std::string& name, const std::string& value) {
    for (auto& [n, v] : req.headers) {
      if (n == name) v = value;
    }
  }
  SimTime now_ = *ParseAmzDate(kAmzDate);
  SigV4Verifier verifier_{{{kKey, kSecret}}, "us-east-1", "service"};
};

TEST_F(SigV4Rejections, WrongSecretIsSignatureDoesNotMatch) {
  SigV4Verifier other({{kKey, "another-secret"}}, "us-east-1", "service");
  auto r = other.Verify(Signed(), now_);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->http_status, 403);
  EXPECT_EQ(r->code, "SignatureDoesNotMatch");
}

TEST_F(SigV4Rejections, TamperedBodyOrHeaderIsSignatureDoesNotMatch) {
  auto req = Signed();
  req.body = "x";
  EXPECT_EQ(verifier_.Verify(req, now_)->code, "SignatureDoesNotMatch");
  req = Signed();
  SetHeader(req, "Host", "evil.example.com");
  EXPECT_EQ(verifier_.Verify(req, now_)->code, "SignatureDoesNotMatch");
}

TEST_F(SigV4Rejections, ClockSkewBeyondFifteenMinutesIsRejected) {
  EXPECT_FALSE(verifier_.Verify(Signed(), now_ + std::chrono::minutes(15)));
  auto late = verifier_.Verify(Signed(), now_ + std::chrono::minutes(16));
  ASSERT_TRUE(late);
  EXPECT_EQ(late->code, "SignatureDoesNotMatch");
  EXPECT_EQ(late->message,
            "Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z "
            "(20150830T125200Z - 15 min.)");
  auto early = verifier_.Verify(Signed(), now_ - std::chrono::minutes(16));
  ASSERT_TRUE(early);
  EXPECT_NE(early->message.find("Signature not yet current"), std::string::npos);
}

TEST_F(SigV4Rejections, MalformedOrMissingAuthorization) {
  auto req = Signed();
  SetHeader(req, "Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1");
  EXPECT_EQ(verifier_.Verify(req, now_)->code, "IncompleteSignature");
  req.headers.erase(std::remove_if(req.headers.begin(), req.headers.end(),
                                   [](const auto& h) { return h.first == "Authorization"; }),
                    req.headers.end());
  EXPECT_EQ(verifier_.Verify(req, now_)->code, "MissingAuthenticationToken");
}

TEST_F(SigV4Rejections, UnknownAccessKeyAndWrongScope) {
  SigV4Verifier unknown({{"AKIDOTHER", kSecret}}, "us-east-1", "service");
  EXPECT_EQ(unknown.Verify(Signed(), now_)->code, "InvalidClientTokenId");
  SigV4Verifier other_region({{kKey, kSecret}}, "eu-west-1", "service");
  EXPECT_EQ(other_region.Verify(Signed(), now_)->code, "SignatureDoesNotMatch");
}

}  // namespace
}  // namespace sandbox::sqs
