#include "crypto/pii_cipher.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <vector>

namespace mb::crypto {

namespace {

constexpr size_t kKeyBytes = 32;
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;
constexpr std::string_view kPrefix = "v1:";

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

Result<std::string> HexDecode(std::string_view text) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i + 1 < text.size(); i += 2) {
    int hi = nibble(text[i]), lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0) return Fail(ErrorCode::kParseError, "not hex");
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

Error Broken(std::string_view what) {
  return Error{ErrorCode::kInvalidInput, "personal data could not be decrypted (" +
                                             std::string(what) +
                                             "): wrong orders.pii_key or a damaged row"};
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), Bytes(bytes),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0)
    return Fail(ErrorCode::kParseError, "base64 length is not a multiple of 4");
  std::string out(3 * text.size() / 4 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), Bytes(text),
                          static_cast<int>(text.size()));
  if (n < 0) return Fail(ErrorCode::kParseError, "not base64");
  size_t pad = 0;
  if (!text.empty() && text.back() == '=') ++pad;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

Result<std::string> NewKeyText() {
  std::string key(kKeyBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), kKeyBytes) != 1)
    return Fail(ErrorCode::kInternal, "the system random source failed");
  return Base64Encode(key);
}

Result<AesGcmCipher> AesGcmCipher::FromKeyText(std::string_view key_text) {
  Result<std::string> key = key_text.size() == 64 ? HexDecode(key_text) : Base64Decode(key_text);
  if (!key || key->size() != kKeyBytes)
    return Fail(ErrorCode::kConfigError,
                "orders.pii_key must be 32 bytes as base64 (44 characters) or hex (64); generate "
                "one with `marketbridge order new-pii-key`");
  return AesGcmCipher(std::move(*key));
}

Result<std::string> AesGcmCipher::Encrypt(std::string_view plaintext,
                                          std::string_view context) const {
  unsigned char nonce[kNonceBytes];
  if (RAND_bytes(nonce, kNonceBytes) != 1)
    return Fail(ErrorCode::kInternal, "the system random source failed");
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  std::copy(nonce, nonce + kNonceBytes, o);
  int len = 0;
  bool ok = ctx &&
            EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key_), nonce) == 1 &&
            EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(context),
                              static_cast<int>(context.size())) == 1 &&
            EVP_EncryptUpdate(ctx.get(), o + kNonceBytes, &len, Bytes(plaintext),
                              static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx.get(), o + kNonceBytes + len, &len) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                                o + kNonceBytes + plaintext.size()) == 1;
  if (!ok) return Fail(ErrorCode::kInternal, "AES-256-GCM encryption failed");
  return std::string(kPrefix) + Base64Encode(out);
}

Result<std::string> AesGcmCipher::Decrypt(std::string_view sealed, std::string_view context) const {
  if (sealed.substr(0, kPrefix.size()) != kPrefix) return tl::unexpected(Broken("unknown format"));
  auto raw = Base64Decode(sealed.substr(kPrefix.size()));
  if (!raw || raw->size() < kNonceBytes + kTagBytes) return tl::unexpected(Broken("truncated"));
  const auto* in = Bytes(*raw);
  size_t body = raw->size() - kNonceBytes - kTagBytes;
  std::string out(body, '\0');
  std::vector<unsigned char> tag(in + kNonceBytes + body, in + raw->size());
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  bool ok =
      ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key_), in) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(context),
                        static_cast<int>(context.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                        in + kNonceBytes, static_cast<int>(body)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &len) == 1;
  if (!ok) return tl::unexpected(Broken("authentication failed"));
  return out;
}

}  // namespace mb::crypto
