#pragma once
// The IR text form, and its parser: Print(Parse(Print(m))) == Print(m) for every valid module.
//
//   module resnet18 {
//     input %x: f32[N, 3, 224, 224]
//     param %conv1.weight: f32[64, 3, 7, 7] init=kaiming_normal {mode="fan_out"}
//     param %layer1.0.conv1.weight: trit[64, 64, 3, 3] ternary(twn, 0.7, per_channel)
//     init=kaiming_normal buffer %bn1.running_mean: f32[64] init=zeros const %c0: f32[] = [2.0] %0
//     = conv2d(%x, %conv1.weight) {dilation=[1, 1], groups=1, padding=[3, 3], stride=[2, 2]} :
//     f32[N, 64, 112, 112] @conv1
//     ...
//     return %42
//   }
#include <string>

#include "triton/base/status.h"
#include "triton/ir/module.h"

namespace triton::ir {

std::string Print(const Module& m);
// Parses the text form; errors name the line and column: "<ir>:12:5: expected '='".
// It checks syntax and names only (every %ref defined earlier, op results numbered in order,
// unique names); types are taken as written, so run Verify() on the result. The full grammar is
// in printer.cc.
Result<Module> ParseModule(std::string_view text, const std::string& filename = "<ir>");

}  // namespace triton::ir
