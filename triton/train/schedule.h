#pragma once
// Learning-rate schedules of the training loop, per optimizer step (no libtorch, so they are unit
// tested and reused anywhere).
//
//  - onecycle (Smith & Topin 2019, PyTorch's OneCycleLR with anneal_strategy='cos'): from lr/25 up
//    to lr over the warm-up (30 % of the steps unless warmup_steps is set), then down to
//    lr/25/1e4 at the last step, both halves cosine-shaped;
//  - cosine (Loshchilov & Hutter 2017, no restarts): linear warm-up from 0 to lr, then
//    lr * (1 + cos(pi * t)) / 2 with t going from 0 to 1 over the remaining steps;
//  - step: linear warm-up, then lr times 0.1 after 50 % and again after 75 % of the steps;
//  - constant: linear warm-up, then lr.
#include <cstdint>
#include <string>

#include "triton/base/status.h"

namespace triton::train {

struct Schedule {
  std::string kind = "onecycle";  // onecycle | cosine | step | constant
  double lr = 0.1;                // the peak learning rate
  int64_t total_steps = 1;        // optimizer steps of the whole run (>= 1)
  int64_t warmup_steps = 0;       // onecycle: 0 = 30 % of total_steps
};

// "unknown schedule 'x'; known: onecycle, cosine, step, constant", or a bad lr / step count.
Status ValidateSchedule(const Schedule& s);
// The learning rate of step `step` (0-based; steps past the end get the last step's rate).
double LearningRate(const Schedule& s, int64_t step);

}  // namespace triton::train
