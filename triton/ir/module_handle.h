#pragma once
// A compiled module as a compile returns it: immutable and shared. The compile cache's memory
// layer and the optimized-module memo keep one module and hand it to every compile that it
// answers, instead of copying it into each result (a ResNet-50 module is about 0.3 MB in a few
// thousand allocations: a copy and its teardown cost a tenth of a cached compile).
//
// Reads look like std::optional<ir::Module>'s (`if (r.module)`, `*r.module`, `r.module->ops`);
// a caller that wants its own mutable module calls Take(), which moves the module out when no
// one else holds it and copies it otherwise.
#include <memory>
#include <optional>
#include <utility>

#include "triton/ir/module.h"

namespace triton::ir {

class ModuleHandle {
 public:
  ModuleHandle() = default;
  ModuleHandle(std::nullopt_t) {}  // NOLINT: reads as the optional it replaces
  ModuleHandle(Module m) : p_(std::make_shared<Module>(std::move(m))) {}  // NOLINT
  // `p` must point to an object that was not created const (Take may move out of it): every
  // holder in the tree makes its modules with make_shared<Module> or inside a non-const struct.
  explicit ModuleHandle(std::shared_ptr<const Module> p) : p_(std::move(p)) {}

  explicit operator bool() const { return p_ != nullptr; }
  bool has_value() const { return p_ != nullptr; }
  const Module& operator*() const { return *p_; }
  const Module* operator->() const { return p_.get(); }
  const std::shared_ptr<const Module>& shared() const { return p_; }

  // The module as the caller's own: moved out when this handle is its only holder, else a copy.
  // Leaves the handle empty.
  Module Take() {
    std::shared_ptr<const Module> p = std::move(p_);
    if (p.use_count() == 1) return std::move(const_cast<Module&>(*p));  // see the constructor
    return *p;
  }

 private:
  std::shared_ptr<const Module> p_;
};

}  // namespace triton::ir
