#pragma once
// IDX files: the format of MNIST and Fashion-MNIST (LeCun et al.,
// http://yann.lecun.com/exdb/mnist/, "THE IDX FILE FORMAT"), raw or gzip-compressed.
//
// Layout, big-endian: two zero bytes, a type byte (0x08 = unsigned byte; 0x09 int8, 0x0B int16,
// 0x0C int32, 0x0D float32, 0x0E float64 exist but are not used by these data sets and are
// rejected), a byte with the number of dimensions d, then d uint32 sizes, then the elements in
// row-major order. Image files have magic 0x00000803 ([N, rows, cols]), label files 0x00000801
// ([N]).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "triton/base/status.h"
#include "triton/train/data/dataset.h"

namespace triton::data {

struct IdxArray {
  std::vector<uint32_t> dims;
  std::vector<uint8_t> data;  // product(dims) bytes
};

// Parses an uncompressed IDX file of unsigned bytes. `expected_dims` (1 or 3; 0 accepts 1..4)
// fixes the magic. The data must be exactly product(dims) bytes. Errors start with "FILE: " and
// say what is wrong with the numbers ("truncated: the header declares 47040000 bytes of pixel
// data, the file has 1000").
Result<IdxArray> ParseIdx(std::span<const uint8_t> bytes, const std::string& file,
                          int expected_dims = 0);

// Reads an IDX image file and its label file (each raw or .gz) into a data set of shape
// 1 x rows x cols. The counts must agree and every label must be < classes.size().
Result<InMemoryDataset> LoadIdx(const std::string& images_path, const std::string& labels_path,
                                std::vector<std::string> classes, const std::string& name);

enum class Split { kTrain, kTest };

// MNIST-layout directories: {train,t10k}-{images-idx3,labels-idx1}-ubyte, each with or without
// .gz (also the "train-images.idx3-ubyte" spelling). A missing file gives an error that lists
// the names tried.
inline constexpr const char* kDefaultFashionMnistDir = "/usr/share/datasets/fashion-mnist";
Result<InMemoryDataset> LoadFashionMnist(const std::string& dir, Split split);
Result<InMemoryDataset> LoadMnist(const std::string& dir, Split split);

// Class names (label order).
std::vector<std::string> FashionMnistClasses();  // "T-shirt/top", "Trouser", ... "Ankle boot"
std::vector<std::string> MnistClasses();         // "0" ... "9"

}  // namespace triton::data
