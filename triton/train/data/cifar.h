#pragma once
// CIFAR-10 and CIFAR-100 in their official binary layout (Krizhevsky, 2009,
// https://www.cs.toronto.edu/~kriz/cifar.html, "Binary version").
//
// CIFAR-10: cifar-10-batches-bin/{data_batch_1..5,test_batch}.bin, 10,000 records each of
// 3073 bytes: the label (0..9), then 3072 pixels: 1024 red, 1024 green, 1024 blue, each plane
// 32 x 32 row-major (so CHW already). batches.meta.txt names the classes, one per line.
// CIFAR-100: cifar-100-binary/{train,test}.bin, records of 3074 bytes: coarse label (0..19),
// fine label (0..99), then the same 3072 pixels; {fine,coarse}_label_names.txt name the classes.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "triton/base/status.h"
#include "triton/train/data/dataset.h"
#include "triton/train/data/idx.h"  // Split

namespace triton::data {

enum class CifarLayout {
  kCifar10,         // 3073-byte records
  kCifar100Fine,    // 3074-byte records, the fine label (100 classes)
  kCifar100Coarse,  // 3074-byte records, the coarse label (20 superclasses)
};

// Appends the records of one binary batch file to `pixels`/`labels`. The size must be a whole
// number of records and every label < num_classes; errors name `file` and the record.
Status ParseCifarBinary(std::span<const uint8_t> bytes, const std::string& file, CifarLayout layout,
                        int num_classes, std::vector<uint8_t>& pixels,
                        std::vector<int64_t>& labels);

// `dir` is the folder holding the .bin files (cifar-10-batches-bin/ or cifar-100-binary/).
// Class names come from the meta .txt file when present, else the published CIFAR-10 names
// (CIFAR-100: "class0".."class99", "superclass0".."superclass19").
Result<InMemoryDataset> LoadCifar10Binary(const std::string& dir, Split split);
Result<InMemoryDataset> LoadCifar100Binary(const std::string& dir, Split split,
                                           bool coarse = false);

std::vector<std::string> Cifar10Classes();  // airplane automobile bird cat deer dog frog ...

}  // namespace triton::data
