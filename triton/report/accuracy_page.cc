#include "triton/report/accuracy_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "triton/report/svg.h"

namespace triton::report {

namespace {

std::string Points(double p) { return std::isfinite(p) ? Fixed(p, 2) + " points" : kMissing; }

std::string Seconds(double s) { return std::isfinite(s) ? Fixed(s, 1) + " s" : kMissing; }

std::string FileName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The best ternary accuracy the runtime measured for `model` on CIFAR-10, in runs and packages.
AccuracyTarget CifarTarget(const AccuracyRun* a, const std::string& model, double target) {
  AccuracyTarget t{fmt::format("{} ≥ {} ternary on CIFAR-10 (the runtime, int8 activations)", model,
                               Percent(target, 1)),
                   kMissing, "no ternary CIFAR-10 run or package of " + model, "not measured"};
  if (!a) return t;
  double best = NAN;
  for (const TrainRun& r : a->runs) {
    if (r.model != model || r.dataset != "cifar10" || r.kind != "ternary") continue;
    if (std::isfinite(r.accuracy) && !(r.accuracy <= best)) {
      best = r.accuracy;
      t.source = fmt::format("run {} ({} epochs, {})", Code(r.file), r.epochs, r.device);
    }
  }
  for (const PretrainedResult& p : a->pretrained) {
    if (p.model != model || p.dataset != "cifar10" || p.kind != "ternary") continue;
    if (std::isfinite(p.measured) && !(p.measured <= best)) {
      best = p.measured;
      t.source = "package " + Code(p.path);
    }
  }
  t.measured = Percent(best);
  t.verdict = Verdict(best, target, true);
  return t;
}

std::string AccuracySvg(const AccuracyRun& a) {
  svg::BarChart c;
  c.title = "Top-1 test accuracy: the runtime against libtorch";
  c.y_label = "top-1 accuracy (%)";
  c.value_suffix = " %";
  svg::Series rt{"the runtime (int8 activations)", {}}, torch{"libtorch (the QAT model)", {}};
  for (const PretrainedResult& p : a.pretrained) {
    c.categories.push_back(FileName(p.path));
    rt.values.push_back(100 * p.measured);
    torch.values.push_back(100 * p.recorded_torch);
  }
  for (const TrainRun& r : a.runs) {
    c.categories.push_back(fmt::format("{} {} {}", r.model, r.dataset, r.MethodLabel()));
    rt.values.push_back(100 * r.accuracy);
    torch.values.push_back(100 * r.torch_acc);
  }
  c.series = {rt, torch};
  // Zoom in: the axis starts at the tens below the lowest accuracy, less 10 (so differences of a
  // point show), never below 0.
  double lowest = 100;
  for (const svg::Series& s : c.series) {
    for (double v : s.values) {
      if (std::isfinite(v)) lowest = std::min(lowest, v);
    }
  }
  c.y_from = std::max(0.0, std::floor(lowest / 10) * 10 - 10);
  c.width = std::max(760, 70 + 60 * static_cast<int>(c.categories.size()));
  return svg::Render(c);
}

}  // namespace

const TrainRun* BaselineOf(const AccuracyRun& a, const TrainRun& run) {
  const TrainRun* first = nullptr;
  for (const TrainRun& r : a.runs) {
    if (r.kind != "fp32" || r.model != run.model || r.dataset != run.dataset) continue;
    if (r.planned_epochs == run.planned_epochs) return &r;
    if (!first) first = &r;
  }
  return first;
}

std::vector<AccuracyTarget> AccuracyTargets(const AccuracyRun* a) {
  std::vector<AccuracyTarget> out;
  const std::string fashion =
      fmt::format("Fashion-MNIST: ternary within {} points of FP32 (same model and epochs)",
                  Fixed(kFashionGapPoints, 1));
  bool any = false;
  if (a) {
    for (const TrainRun& r : a->runs) {
      if (r.dataset != "fashion-mnist" || r.kind != "ternary") continue;
      const TrainRun* base = BaselineOf(*a, r);
      if (!base) continue;
      const double gap = 100 * (base->accuracy - r.accuracy);
      any = true;
      out.push_back(
          {fashion + ", " + r.model + " " + r.MethodLabel(),
           fmt::format("{} vs FP32 {}: {}", Percent(r.accuracy), Percent(base->accuracy),
                       Points(gap)),
           "runs " + Code(r.file) + " and " + Code(base->file),
           std::isfinite(gap) ? (gap <= kFashionGapPoints ? "met" : "missed") : "not measured"});
    }
  }
  if (!any) {
    out.push_back({fashion, kMissing, "no Fashion-MNIST FP32 and ternary runs in accuracy.json",
                   "not measured"});
  }
  out.push_back(CifarTarget(a, "resnet20_cifar", kResnet20Target));
  out.push_back(CifarTarget(a, "resnet18_cifar", kResnet18Target));
  return out;
}

std::vector<OutputFile> AccuracyPage(const Results& r) {
  std::vector<OutputFile> files;
  std::string o = "# Quantization accuracy\n\n";
  o += GeneratedNote(r.accuracy ? std::vector<std::string>{r.accuracy->file}
                                : std::vector<std::string>{}) +
       "\n";
  if (!r.accuracy) {
    o += fmt::format(
        "No `accuracy.json` in `{}`: run `triton bench accuracy --json {}/accuracy.json` and "
        "regenerate.\n",
        kResultsDir, kResultsDir);
    files.push_back({"quantization_accuracy.md", o});
    return files;
  }
  const AccuracyRun& a = *r.accuracy;
  o += fmt::format("- Machine: {}.\n- Date: {}.\n- Command: {}.\n", MachineText(a.machine),
                   a.machine.date.empty() ? "not recorded" : a.machine.date, Code(a.command));
  o += "- Accuracy is top-1 on the data set's full test split as the runtime computes it "
       "(`driver::Evaluate`, what `triton eval` prints: the optimized CPU engine, int8 "
       "activations into the ternary layers), unless the column says libtorch (the QAT model in "
       "eval mode, FP32 activations).\n\n";

  o += "## Targets\n\n";
  Table t({"target", "measured", "source", ""}, "llll");
  for (const AccuracyTarget& x : AccuracyTargets(&a)) {
    t.Row({x.target, x.measured, x.source, x.verdict});
  }
  o += t.Render() + "\n";

  o += "## Pretrained packages, re-measured\n\n";
  if (a.pretrained.empty()) {
    o += "None (no package in " + Code(a.pretrained_dir) + ").\n\n";
  } else {
    Table p({"package", "model", "data set", "quantization", "top-1 at export", "re-measured",
             "top-5", "test samples", "libtorch (QAT model)", "size MB", "trained"},
            "llllrrrrrrl");
    for (const PretrainedResult& x : a.pretrained) {
      std::string trained;
      if (!x.epochs.empty()) trained += x.epochs + " epochs";
      if (!x.train_seconds.empty())
        trained += (trained.empty() ? "" : ", ") + x.train_seconds + " s";
      if (!x.train_device.empty()) trained += (trained.empty() ? "" : ", ") + x.train_device;
      p.Row({Code(x.path), x.model, x.dataset.empty() ? kMissing : x.dataset,
             x.quantization.empty() ? "FP32" : x.quantization, Percent(x.recorded),
             x.error.empty() ? Percent(x.measured) : "error: " + x.error, Percent(x.measured_top5),
             x.samples > 0 ? Commas(x.samples) : kMissing, Percent(x.recorded_torch),
             Mb(static_cast<double>(x.file_bytes), 2), trained.empty() ? kMissing : trained});
    }
    o += p.Render() + "\n";
    for (const PretrainedResult& x : a.pretrained) {
      o += fmt::format("- {}: recipe {}; trained by {}; re-measure with {}.\n", Code(x.path),
                       x.recipe.empty() ? "not recorded" : x.recipe, Code(x.train_command),
                       Code(x.eval_command));
    }
    o += "\n";
  }

  o += "## Training runs per quantization method\n\n";
  if (a.runs.empty()) {
    o += fmt::format(
        "No training runs in `{}/{}`: `triton bench accuracy --runs DIR` lists the `triton train "
        "--json > train.json` results found below DIR (an FP32 baseline is a run with `--method "
        "none`).\n\n",
        kResultsDir, a.file);
  } else {
    o += "One row per training run. *Accuracy* is the runtime's on the package the run exported "
         "(the ternary package; the FP32 package for `--method none`); *gap* is the FP32 "
         "baseline's accuracy (the `--method none` run of the same model and data set, with the "
         "same epochs when there are several) minus this run's, in points.\n\n";
    Table t2({"model", "data set", "method", "weights", "accuracy", "libtorch", "FP32 baseline",
              "gap", "epochs", "time", "device", "run"},
             "llllrrrrrrll");
    for (const TrainRun& x : a.runs) {
      const TrainRun* base = x.kind == "fp32" ? nullptr : BaselineOf(a, x);
      std::string epochs = std::to_string(x.epochs);
      if (x.planned_epochs > 0 && x.planned_epochs != x.epochs) {
        epochs += fmt::format(" of {}", x.planned_epochs);
      }
      if (x.interrupted) epochs += " (interrupted)";
      t2.Row({x.model, x.dataset.empty() ? kMissing : x.dataset, x.MethodLabel(),
              x.kind == "fp32" ? "FP32" : "ternary", Percent(x.accuracy), Percent(x.torch_acc),
              x.kind == "fp32" ? "(this run)"
              : base           ? Percent(base->accuracy)
                               : kMissing,
              base ? Points(100 * (base->accuracy - x.accuracy)) : kMissing, epochs,
              Seconds(x.seconds), x.device, Code(x.file)});
    }
    o += t2.Render() + "\nCommands:\n\n";
    for (const TrainRun& x : a.runs) o += fmt::format("- {}: {}\n", Code(x.file), Code(x.command));
    o += "\n";
  }
  o += "![Top-1 accuracy per package and run](accuracy.svg)\n\n";
  files.push_back({"accuracy.svg", AccuracySvg(a)});
  if (!a.skipped.empty()) {
    o += "Files skipped while gathering the results:\n\n";
    for (const Skipped& s : a.skipped) o += fmt::format("- {}: {}\n", Code(s.file), s.reason);
    o += "\n";
  }
  o += "## Reproduce\n\n```sh\n" +
       (a.command.empty() ? std::string("triton bench accuracy --json bench/results/accuracy.json")
                          : a.command) +
       "\n" + kReportCommand + "\n```\n";
  files.insert(files.begin(), {"quantization_accuracy.md", o});
  return files;
}

}  // namespace triton::report
