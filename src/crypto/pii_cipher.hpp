#pragma once
// AES-256-GCM for personal data at rest (buyer and address of Amazon orders). The key comes from
// the environment through a secret config key (32 bytes, base64 or hex); it never touches the
// database or the logs. Each value gets a fresh random 96-bit nonce; the order id is bound as
// additional authenticated data so a ciphertext cannot be moved to another order's row.

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "ports/order_store.hpp"

namespace mb::crypto {

class AesGcmCipher final : public PiiCipher {
 public:
  // `key_text`: 32 bytes as base64 (44 chars) or hex (64 chars). kConfigError otherwise.
  static Result<AesGcmCipher> FromKeyText(std::string_view key_text);

  // "v1:" + base64(nonce | ciphertext | tag).
  Result<std::string> Encrypt(std::string_view plaintext, std::string_view context) const override;
  // kInvalidInput when the text was tampered with, belongs to another context, or the key differs.
  Result<std::string> Decrypt(std::string_view sealed, std::string_view context) const override;

 private:
  explicit AesGcmCipher(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

// Helpers shared with tests and key generation.
std::string Base64Encode(std::string_view bytes);
Result<std::string> Base64Decode(std::string_view text);
// 32 random bytes, base64: `marketbridge order new-pii-key`.
Result<std::string> NewKeyText();

}  // namespace mb::crypto
