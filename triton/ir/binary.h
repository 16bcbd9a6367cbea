#pragma once
// The binary form of a module: what the compile cache stores (driver/cached_compile.cc). Every
// field of Module, exactly (floats by bit pattern, strings as bytes), so Decode(Encode(m)) == m
// and prints the same text. Decoding costs about a module copy; parsing the IR text costs tens of
// times that (ResNet-50: a 34 KB text), and a disk hit was mostly that parse.
//
// Layout (base/bytes.h: little-endian u8/u16/u32/i32/i64, f64 as its IEEE-754 bits; str = u64
// length + bytes; list<T> = u64 count + items):
//   u32 kModuleBinaryVersion, str name,
//   list<value>   value = u8 kind, type, str name, i32 def
//   list<i32>     inputs
//   list<param>   param = i32 value, u8 trainable, u8 ternary, str quant.method,
//                         f64 quant.threshold, u8 quant.per_channel, str init, attrs init_args
//   list<const>   const = i32 value, list<f64> data
//   list<op>      op = u16 kind, list<i32> operands, attrs, i32 result, str scope
//   list<i32>     outputs
//   type  = u8 dtype, list<dim>, dim = i64 size, str symbol
//   attrs = list<(str name, u8 variant index, value)>, value by index: i64 | f64 | u8 bool |
//           str | list<i64> | list<f64>
// Nothing is trusted: DecodeModule checks every count against the bytes left, every kind and
// dtype, every id and index and their cross-references (a value's def names an entry that names
// it back; an op's operands are values defined before it, the inputs and outputs values of the
// right kind), attribute names in strictly ascending order, and that no byte is left over.
// What it returns is structurally sound (printable, indexable); types are taken as stored, so a
// caller that did not write the bytes runs Verify() on it, as after ParseModule.
#include <cstdint>
#include <string>
#include <string_view>

#include "triton/base/status.h"
#include "triton/ir/module.h"

namespace triton::ir {

inline constexpr uint32_t kModuleBinaryVersion = 1;

std::string EncodeModule(const Module& m);
// Errors: "module binary: <what is wrong> at byte N".
Result<Module> DecodeModule(std::string_view bytes);

}  // namespace triton::ir
