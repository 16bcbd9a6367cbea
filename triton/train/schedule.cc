#include "triton/train/schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace triton::train {

namespace {

// Cosine interpolation from `from` (t = 0) to `to` (t = 1).
double CosAnneal(double from, double to, double t) {
  return to + (from - to) * (1 + std::cos(std::numbers::pi * t)) / 2;
}

}  // namespace

Status ValidateSchedule(const Schedule& s) {
  if (s.kind != "onecycle" && s.kind != "cosine" && s.kind != "step" && s.kind != "constant") {
    return Status::Error("unknown schedule '" + s.kind +
                         "'; known: onecycle, cosine, step, constant");
  }
  if (!(s.lr > 0) || !std::isfinite(s.lr)) return Status::Error("the learning rate must be > 0");
  if (s.total_steps < 1) return Status::Error("a schedule needs at least one step");
  if (s.warmup_steps < 0 || s.warmup_steps > s.total_steps) {
    return Status::Error("warm-up steps must be in [0, total steps]");
  }
  return Status();
}

double LearningRate(const Schedule& s, int64_t step) {
  const int64_t last = std::max<int64_t>(s.total_steps - 1, 0);
  step = std::clamp<int64_t>(step, 0, last);
  if (s.kind == "onecycle") {
    const double initial = s.lr / 25, final_lr = initial / 1e4;
    // PyTorch's phase end: pct_start * total_steps - 1.
    const double up = s.warmup_steps > 0 ? static_cast<double>(s.warmup_steps) - 1
                                         : 0.3 * static_cast<double>(s.total_steps) - 1;
    const double x = static_cast<double>(step);
    if (up > 0 && x <= up) return CosAnneal(initial, s.lr, x / up);
    const double start = std::max(up, 0.0), span = static_cast<double>(last) - start;
    return CosAnneal(s.lr, final_lr, span > 0 ? (x - start) / span : 1.0);
  }
  if (step < s.warmup_steps) {
    return s.lr * static_cast<double>(step + 1) / static_cast<double>(s.warmup_steps);
  }
  if (s.kind == "cosine") {
    const int64_t span = s.total_steps - s.warmup_steps;
    const double t = span > 0 ? static_cast<double>(step - s.warmup_steps) / span : 1.0;
    return CosAnneal(s.lr, 0, t);
  }
  if (s.kind == "step") {
    const double f = static_cast<double>(step) / static_cast<double>(s.total_steps);
    return s.lr * (f >= 0.75 ? 0.01 : f >= 0.5 ? 0.1 : 1.0);
  }
  return s.lr;
}

}  // namespace triton::train
