#include "triton/report/zoo_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "triton/report/svg.h"

namespace triton::report {

namespace {

std::string Shape(const std::vector<int64_t>& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) out += (i ? "x" : "") + std::to_string(s[i]);
  return out.empty() ? kMissing : out;
}

// The re-measured accuracy of the package at `path` in accuracy.json, or NaN.
double Remeasured(const Results& r, const std::string& path) {
  if (!r.accuracy) return NAN;
  for (const PretrainedResult& p : r.accuracy->pretrained) {
    if (p.path == path) return p.measured;
  }
  return NAN;
}

std::string SizesSvg(const ZooRun& z) {
  svg::BarChart c;
  c.title = "Package size per format (.tnn, measured)";
  c.y_label = "MB (10^6 bytes, log scale)";
  c.log_y = true;
  svg::Series fp32{"FP32", {}}, b2{"ternary 2-bit", {}}, b3{"ternary base-3", {}};
  for (const ZooModel& m : z.models) {
    c.categories.push_back(m.name);
    fp32.values.push_back(static_cast<double>(m.fp32_bytes) / 1e6);
    b2.values.push_back(static_cast<double>(m.bytes_2bit) / 1e6);
    b3.values.push_back(static_cast<double>(m.bytes_base3) / 1e6);
  }
  c.series = {fp32, b2, b3};
  return svg::Render(c);
}

}  // namespace

std::vector<OutputFile> ZooPage(const Results& r) {
  std::vector<OutputFile> files;
  std::string o = "# Model zoo: sizes and pretrained packages\n\n";
  std::vector<std::string> sources;
  if (r.zoo) sources.push_back(r.zoo->file);
  if (r.accuracy) sources.push_back(r.accuracy->file);
  o += GeneratedNote(sources) + "\n";
  if (!r.zoo) {
    o += fmt::format(
        "No `zoo.json` in `{}`: run `triton bench all --out {} --steps zoo` (or `triton zoo list "
        "--json > {}/zoo.json`) and regenerate.\n",
        kResultsDir, kResultsDir, kResultsDir);
    files.push_back({"model_zoo.md", o});
    return files;
  }
  const ZooRun& z = *r.zoo;
  if (z.machine) {
    o += fmt::format("- Measured on: {}; {}.\n", MachineText(*z.machine),
                     z.machine->date.empty() ? "date not recorded" : z.machine->date);
  }
  o += fmt::format("- Command: {}.\n",
                   z.command.empty()
                       ? Code(fmt::format("triton zoo list --json > {}/{}", kResultsDir, z.file)) +
                             " (the file records no command line)"
                       : Code(z.command));
  o += "- Sizes are measured, not estimated: each package is built in memory as `triton compile "
       "FILE --model NAME -o m.tnn` and `triton quantize m.tnn --format 2bit|base3` would build "
       "it, and serialized; a package's size depends on its tensors' shapes, encodings and scales, "
       "not on "
       "the weight values or the machine. MB = 10^6 bytes; ratio = FP32 / ternary (the whole "
       "file: the FP32 layers, stem and classifier, stay FP32).\n"
       "- MACs: multiply-accumulates per sample at -O2 (`triton compile --emit=summary`).\n\n";

  Table t({"model", "data set", "input", "parameters", "ternary share", "MACs", "FP32 MB",
           "2-bit MB (ratio)", "base-3 MB (ratio)", "pretrained top-1"},
          "lllrrrrrrl");
  for (const ZooModel& m : z.models) {
    std::string pre = kMissing;
    if (!m.pretrained.empty()) {
      double best = NAN;
      for (const ZooPretrained& p : m.pretrained) {
        if (std::isfinite(p.accuracy) && !(p.accuracy <= best)) best = p.accuracy;
      }
      pre = std::isfinite(best) ? Percent(best) : "yes";
      if (m.pretrained.size() > 1) pre += fmt::format(" (+{} more)", m.pretrained.size() - 1);
    }
    const double fp32 = static_cast<double>(m.fp32_bytes);
    t.Row({m.name, m.dataset, Shape(m.input_shape), Commas(m.params),
           Percent(Div(static_cast<double>(m.ternary_params), static_cast<double>(m.params)), 1),
           Si(static_cast<double>(m.macs)), Mb(fp32, 2),
           fmt::format("{} ({})", Mb(static_cast<double>(m.bytes_2bit), 2),
                       Times(Div(fp32, static_cast<double>(m.bytes_2bit)))),
           fmt::format("{} ({})", Mb(static_cast<double>(m.bytes_base3), 2),
                       Times(Div(fp32, static_cast<double>(m.bytes_base3)))),
           pre});
  }
  o += t.Render() + "\n![Package size per model and format](sizes.svg)\n\n";
  files.push_back({"sizes.svg", SizesSvg(z)});

  o += "## Architectures\n\n";
  Table a({"model", "source", "architecture", "ternary layers' method", "write the packages"},
          "lllll");
  for (const ZooModel& m : z.models) {
    a.Row({m.name, Code(m.file + " --model " + m.name), m.description,
           m.quantization.empty() ? "none" : m.quantization, Code(m.sizes_command)});
  }
  o += a.Render() + "\n";

  o += "## Pretrained packages\n\n";
  Table p({"package", "model", "data set", "quantization", "top-1 at export", "re-measured",
           "train", "re-measure"},
          "llllrrll");
  size_t n = 0;
  for (const ZooModel& m : z.models) {
    for (const ZooPretrained& pp : m.pretrained) {
      ++n;
      p.Row({Code(pp.path), m.name, pp.dataset.empty() ? kMissing : pp.dataset,
             pp.quantization.empty() ? "FP32" : pp.quantization, Percent(pp.accuracy),
             Percent(Remeasured(r, pp.path)), Code(pp.train_command), Code(pp.eval_command)});
    }
  }
  if (n == 0) {
    o += "None yet (models/pretrained holds no package of a zoo model).\n";
  } else {
    o += p.Render();
    o += "\n*Re-measured*: the full test split through the runtime (`triton bench accuracy`, as "
         "`triton eval` does; see [quantization_accuracy.md](quantization_accuracy.md)).\n";
  }
  files.insert(files.begin(), {"model_zoo.md", o});
  return files;
}

}  // namespace triton::report
