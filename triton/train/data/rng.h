#pragma once
// The data pipeline's random numbers: fully specified here (not std::mt19937 + std::shuffle or
// std::uniform_int_distribution, whose algorithms differ between standard libraries), so an
// epoch order or an augmentation is the same on every compiler and machine.
#include <cstdint>

namespace triton::data {

// SplitMix64 (Steele, Lea, Flood 2014; the constants of Vigna's reference splitmix64.c).
inline uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// A stream seeded from any number of words (seed, epoch, sample position ...).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(Mix64(seed)) {}
  Rng(uint64_t a, uint64_t b) : state_(Mix64(Mix64(a) ^ b)) {}
  Rng(uint64_t a, uint64_t b, uint64_t c) : state_(Mix64(Mix64(Mix64(a) ^ b) ^ c)) {}

  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ull;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n >= 1, without bias (Lemire 2019, multiply-shift with rejection).
  uint64_t Below(uint64_t n) {
    unsigned __int128 m = static_cast<unsigned __int128>(Next()) * n;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < n) {
      const uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(Next()) * n;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }
  bool Coin() { return (Next() >> 63) != 0; }

 private:
  uint64_t state_;
};

}  // namespace triton::data
