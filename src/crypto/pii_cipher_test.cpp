#include "crypto/pii_cipher.hpp"

#include <gtest/gtest.h>

namespace mb::crypto {
namespace {

const std::string kKeyHex(64, 'a');

TEST(PiiCipherTest, RoundTripsAndHidesThePlaintext) {
  auto cipher = AesGcmCipher::FromKeyText(kKeyHex);
  ASSERT_TRUE(cipher);
  std::string pii = R"({"name":"Erika Mustermann","street":"Heidestr. 17"})";
  auto sealed = cipher->Encrypt(pii, "302-1");
  ASSERT_TRUE(sealed);
  EXPECT_EQ(sealed->rfind("v1:", 0), 0u);
  EXPECT_EQ(sealed->find("Mustermann"), std::string::npos);
  // A fresh nonce each time: equal plaintexts do not give equal ciphertexts.
  EXPECT_NE(*sealed, *cipher->Encrypt(pii, "302-1"));
  auto opened = cipher->Decrypt(*sealed, "302-1");
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, pii);
}

TEST(PiiCipherTest, RejectsTamperingAnotherContextAndAnotherKey) {
  auto cipher = AesGcmCipher::FromKeyText(kKeyHex);
  auto sealed = *cipher->Encrypt("secret", "302-1");
  EXPECT_FALSE(cipher->Decrypt(sealed, "302-2"));
  std::string tampered = sealed;
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(cipher->Decrypt(tampered, "302-1"));
  auto other = AesGcmCipher::FromKeyText(std::string(64, 'b'));
  auto wrong = other->Decrypt(sealed, "302-1");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidInput);
}

TEST(PiiCipherTest, KeyMustBe32Bytes) {
  EXPECT_FALSE(AesGcmCipher::FromKeyText("c2hvcnQ="));
  EXPECT_FALSE(AesGcmCipher::FromKeyText(std::string(64, 'z')));
  auto generated = NewKeyText();
  ASSERT_TRUE(generated);
  EXPECT_EQ(generated->size(), 44u);
  EXPECT_TRUE(AesGcmCipher::FromKeyText(*generated));
}

}  // namespace
}  // namespace mb::crypto
