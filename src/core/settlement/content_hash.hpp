#pragma once
// A fast 64-bit content hash to recognise a re-downloaded settlement (same id, same content)
// and a re-issue (same id, other content). Not cryptographic: inputs are Amazon's reports, not
// an adversary's, and it must not slow the 100 MB/s parser down (8 bytes per step).

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace mb::settlement {

class ContentHasher {
 public:
  void Update(std::string_view bytes) {
    const char* p = bytes.data();
    size_t n = bytes.size();
    // Four independent lanes per 32 bytes keep the multiplier busy instead of waiting on one chain.
    while (n >= 32) {
      uint64_t w[4];
      std::memcpy(w, p, 32);
      for (int i = 0; i < 4; ++i) {
        lane_[i] = Rotl(lane_[i] ^ (w[i] * 0x87C37B91114253D5ULL), 31) * 0x4CF5AD432745937FULL;
      }
      p += 32;
      n -= 32;
    }
    while (n >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      Mix(w);
      p += 8;
      n -= 8;
    }
    uint64_t tail = 0;
    std::memcpy(&tail, p, n);
    // The length goes in with the tail so "ab" + "c" and "a" + "bc" differ.
    Mix(tail ^ (uint64_t(bytes.size()) << 56) ^ 0x9E3779B97F4A7C15ULL);
  }
  uint64_t Digest() const {
    uint64_t h = h_ ^ (h2_ * 0xC2B2AE3D27D4EB4FULL);
    for (int i = 0; i < 4; ++i) h = Rotl(h ^ (lane_[i] * 0x9FB21C651E98DF25ULL), 27) * 5 + i;
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 33;
    return h;
  }
  std::string HexDigest() const {
    static constexpr char kHex[] = "0123456789abcdef";
    uint64_t d = Digest();
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, d >>= 4) out[size_t(i)] = kHex[d & 0xF];
    return out;
  }

 private:
  static uint64_t Rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
  void Mix(uint64_t w) {
    h_ ^= w * 0x87C37B91114253D5ULL;
    h_ = Rotl(h_, 31) * 0x4CF5AD432745937FULL;
    h2_ += h_;
  }
  uint64_t h_ = 0x6A09E667F3BCC908ULL;
  uint64_t h2_ = 0;
  uint64_t lane_[4] = {1, 2, 3, 4};
};

}  // namespace mb::settlement
