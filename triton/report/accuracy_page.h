#pragma once
// quantization_accuracy.md: the pretrained packages re-measured by the runtime, the training runs
// per quantization method (FP32 baseline against ternary, with the gap), and the accuracy targets
// met or missed, from accuracy.json (`triton bench accuracy --json`). Also writes accuracy.svg.
#include <vector>

#include "triton/report/format.h"
#include "triton/report/results.h"

namespace triton::report {

inline constexpr double kFashionGapPoints = 1.5;  // Fashion-MNIST ternary within 1.5 points of FP32
inline constexpr double kResnet20Target = 0.88;   // resnet20_cifar ternary on CIFAR-10
inline constexpr double kResnet18Target = 0.922;  // resnet18_cifar ternary on CIFAR-10

// A target of the accuracy page, evaluated (also shown in README.md's headline table).
struct AccuracyTarget {
  std::string target;    // "resnet20_cifar ≥ 88 % ternary on CIFAR-10"
  std::string measured;  // "87.72 %" or kMissing
  std::string source;    // which run or package
  std::string verdict;   // met / missed / not measured
};
std::vector<AccuracyTarget> AccuracyTargets(const AccuracyRun* a);

// The FP32 baseline of `run`: the FP32 run of the same model and data set (the one with the same
// planned epochs when there are several, else the first), or nullptr.
const TrainRun* BaselineOf(const AccuracyRun& a, const TrainRun& run);

std::vector<OutputFile> AccuracyPage(const Results& r);

}  // namespace triton::report
