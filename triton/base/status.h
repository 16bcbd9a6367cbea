#pragma once
// Status and Result<T>: the error channel for operations on files and user input that are not
// compiler diagnostics (reading a file, parsing a number). Errors carry a full human message.
#include <string>
#include <utility>
#include <variant>

#include "triton/base/check.h"

namespace triton {

class Status {
 public:
  Status() = default;
  static Status Error(std::string message) { return Status(std::move(message)); }
  bool ok() const { return !failed_; }
  const std::string& message() const { return message_; }

 private:
  explicit Status(std::string m) : failed_(true), message_(std::move(m)) {}
  bool failed_ = false;
  std::string message_;
};

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Status error) : v_(std::move(error)) {  // NOLINT
    TRITON_CHECK_MSG(!std::get<Status>(v_).ok(), "Result built from an ok Status");
  }
  bool ok() const { return v_.index() == 0; }
  const T& value() const& {
    TRITON_CHECK(ok());
    return std::get<0>(v_);
  }
  T& value() & {
    TRITON_CHECK(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    TRITON_CHECK(ok());
    return std::get<0>(std::move(v_));
  }
  const Status& status() const {
    TRITON_CHECK(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Status> v_;
};

}  // namespace triton
