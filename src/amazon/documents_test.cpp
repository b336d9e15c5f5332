#include "amazon/documents.hpp"

#include <gtest/gtest.h>

#include "amazon/gzip_test_support.hpp"
#include "http/curl_http_client.hpp"
#include "http/test_http_server.hpp"

namespace mb::amazon {
namespace {

using testing::Gzip;

TEST(Gunzip, RoundTripsLargeDocuments) {
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "settlement-id\t" + std::to_string(i) + "\n";
  auto out = Gunzip(Gzip(text));
  ASSERT_TRUE(out) << out.error().ToString();
  EXPECT_EQ(*out, text);
}

TEST(Gunzip, RejectsCorruptTruncatedAndOversizedInput) {
  EXPECT_EQ(Gunzip("not gzip at all").error().code, ErrorCode::kMalformedResponse);
  const std::string zipped = Gzip(std::string(10000, 'x') + "tail");
  auto truncated = Gunzip(std::string_view(zipped).substr(0, zipped.size() / 2));
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().code, ErrorCode::kMalformedResponse);
  EXPECT_EQ(Gunzip(zipped, 100).error().code, ErrorCode::kMalformedResponse);
}

TEST(Documents, DownloadsAndGunzipsOverHttp) {
  http::TestHttpServer server;
  const std::string report = "settlement-id\ttotal-amount\n123\t1.234,56\n";
  server.server().Get("/doc.gz", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(Gzip(report), "application/octet-stream");
  });
  server.server().Get("/plain", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(report, "text/plain");
  });
  std::string uploaded;
  std::string uploaded_type;
  server.server().Put("/upload", [&](const httplib::Request& req, httplib::Response& res) {
    uploaded = req.body;
    uploaded_type = req.get_header_value("Content-Type");
    res.status = 200;
  });
  server.Start();
  http::CurlHttpClient curl;
  auto zipped = DownloadDocument(curl, server.Url("/doc.gz"), "GZIP", "report document 1");
  ASSERT_TRUE(zipped) << zipped.error().ToString();
  EXPECT_EQ(*zipped, report);
  auto plain = DownloadDocument(curl, server.Url("/plain"), "", "report document 2");
  ASSERT_TRUE(plain);
  EXPECT_EQ(*plain, report);
  auto missing = DownloadDocument(curl, server.Url("/gone"), "", "report document 3");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("report document 3 returned 404"), std::string::npos);
  ASSERT_TRUE(UploadDocument(curl, server.Url("/upload"), "application/json; charset=UTF-8", "{}"));
  EXPECT_EQ(uploaded, "{}");
  EXPECT_EQ(uploaded_type, "application/json; charset=UTF-8");
}

}  // namespace
}  // namespace mb::amazon
