#pragma once
#include "triton/ir/module.h"

namespace triton::ir::passes {
// Makes the int8 activations of ternary layers explicit: the f32 input x of every conv2d,
// linear, fused_conv2d and fused_linear whose weight is trit becomes dequantize(quantize_int8(x))
// -- per-tensor absmax int8, exactly what the CPU engine's ternary kernels compute on
// (runtime/cpu/engine.h, DESIGN.md §3). One quantize/dequantize pair per distinct x: layers
// reading the same tensor share it. Not in the -O pipelines (it changes results: the reference
// evaluator of the rewritten module is the oracle the int8 engine is tested against).
bool RunQuantizeActivations(Module& m);
}  // namespace triton::ir::passes
