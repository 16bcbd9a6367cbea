#pragma once
// The teacher of knowledge distillation (`triton train --teacher PKG.tnn`, issue 6): any package
// of a module the QAT lowering takes (language ops only, as `triton train` exports them), run in
// FP32 and eval mode next to the student. A ternary package's codes x scales are its weights, so
// a trained ternary model can teach too. Loss: mix.h's DistillationLoss.
#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "triton/base/status.h"
#include "triton/format/package.h"
#include "triton/ir/module.h"
#include "triton/train/data/dataset.h"
#include "triton/train/qat_model.h"

namespace triton::train {

// A package given to training (`--teacher`, `--init`): parsed, with the content hash of its file's
// bytes (16 hex digits; it joins the options a resume checks) and its IR. `flag` starts every
// error ("--init out/model_fp32.tnn: ..."). When its metadata names a data set, it must be
// `dataset` (the inputs are normalized per data set).
struct InputPackage {
  format::Package package;
  ir::Module module;
  std::string content_hash;
};
Result<InputPackage> ReadInputPackage(const std::string& flag, const std::string& path,
                                      const std::string& dataset);

struct Teacher {
  std::unique_ptr<QatModel> model;  // FP32 (set_quantize(false)), used in eval mode only
  std::string content_hash;         // of the package file's bytes (16 hex digits)
};

// Reads `path` and checks that it can teach `student` on `dataset` (images of `shape`, fed to the
// student as `dims` per sample): its IR parses and lowers, it was made for the same data set when
// its metadata says so (the inputs are normalized the same way), it takes the same input shape and
// gives as many logits as the student. Errors name the file and what differs.
Result<Teacher> LoadTeacher(const std::string& path, const ir::Module& student,
                            const std::string& dataset, data::ImageShape shape,
                            const std::vector<int64_t>& dims, torch::Device device);

}  // namespace triton::train
