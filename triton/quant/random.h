#pragma once
// Counter-based random numbers: the value for (seed, index) is a pure function of both, so any
// element can be drawn independently of the others, in any order, on any thread, and the result
// never depends on how work is split. The generator is SplitMix64 (Steele, Lea, Flood 2014,
// "Fast splittable pseudorandom number generators"): SplitMix64Draw(seed, i) is the (i + 1)-th
// output of a SplitMix64 generator whose state starts at `seed`.
#include <cmath>
#include <cstdint>
#include <numbers>

namespace triton::quant {

inline uint64_t SplitMix64Draw(uint64_t seed, uint64_t index) {
  uint64_t z = seed + (index + 1) * 0x9E3779B97F4A7C15ull;  // wraps modulo 2^64 by design
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Uniform in [0, 1): the top 53 bits of the draw, so every value is an exact multiple of 2^-53.
inline double UniformDraw(uint64_t seed, uint64_t index) {
  return static_cast<double>(SplitMix64Draw(seed, index) >> 11) * 0x1.0p-53;
}

// Standard normal N(0, 1) by Box-Muller from the uniforms at 2*index and 2*index + 1. Used to
// make test and table data that is the same on every platform up to libm's last-bit rounding.
inline double NormalDraw(uint64_t seed, uint64_t index) {
  const double u1 = 1.0 - UniformDraw(seed, 2 * index);  // in (0, 1]: log is finite
  const double u2 = UniformDraw(seed, 2 * index + 1);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace triton::quant
