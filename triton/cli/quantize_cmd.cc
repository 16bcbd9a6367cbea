// `triton quantize in.tnn -o out.tnn --method twn|threshold|stochastic|learned|absmean
//  [--per-channel|--per-tensor] [--sparsity S] [--format 2bit|base3] [--seed N] [--json]`.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "triton/cli/common.h"
#include "triton/cli/subcommands.h"
#include "triton/driver/weights.h"
#include "triton/format/package.h"

namespace triton::cli {

namespace {
struct QuantizeArgs {
  std::string in, out, method, format = "2bit";
  bool per_channel = false, per_tensor = false, json = false;
  double sparsity = -1;
  uint64_t seed = 0;
};

int Run(const QuantizeArgs& a) {
  Result<format::Package> p = format::ReadPackage(a.in);
  if (!p.ok()) {
    std::fprintf(stderr, "triton: error: %s\n", p.status().message().c_str());
    return kUserError;
  }
  driver::QuantizeOptions o;
  o.method = a.method;
  o.per_channel_set = a.per_channel || a.per_tensor;
  o.per_channel = !a.per_tensor;
  o.sparsity = a.sparsity;
  o.base3 = a.format == "base3";
  o.seed = a.seed;
  nlohmann::json report = nlohmann::json::array();
  Status st = driver::QuantizePackage(p.value(), o, &report);
  if (!st.ok()) {
    std::fprintf(stderr, "triton: error: %s: %s\n", a.in.c_str(), st.message().c_str());
    return kUserError;
  }
  st = format::WritePackage(a.out, p.value());
  if (!st.ok()) {
    std::fprintf(stderr, "triton: error: %s\n", st.message().c_str());
    return kUserError;
  }
  if (a.json) {
    std::fputs((report.dump(2) + "\n").c_str(), stdout);
  } else {
    double sp = 0, err = 0;
    for (const auto& r : report) {
      sp += r["sparsity"].get<double>();
      err += r["relative_error"].get<double>();
    }
    size_t n = report.size();
    std::fprintf(
        stdout,
        "quantized %zu tensors (%s): mean sparsity %.1f%%, mean relative error %.4f -> %s\n", n,
        p.value().meta.quantization.c_str(), n ? 100 * sp / n : 0.0, n ? err / n : 0.0,
        a.out.c_str());
  }
  return kOk;
}
}  // namespace

void AddQuantize(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<QuantizeArgs>();
  auto* cmd = app.add_subcommand("quantize", "Ternarize the ternary layers of a .tnn package");
  cmd->add_option("in", a->in, "input package (.tnn)")->required();
  cmd->add_option("-o,--output", a->out, "output package (.tnn)")->required();
  cmd->add_option("--method", a->method,
                  "twn, threshold, stochastic, learned or absmean (default: each layer's own)")
      ->check(CLI::IsMember({"twn", "threshold", "stochastic", "learned", "absmean"}));
  auto* pc = cmd->add_flag("--per-channel", a->per_channel, "one scale per output channel");
  cmd->add_flag("--per-tensor", a->per_tensor, "one scale per tensor")->excludes(pc);
  cmd->add_option("--sparsity", a->sparsity, "target fraction of zero weights, in (0, 1)")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            // Both ends excluded: 0 and 1 are no sparsity target (all or no weights zero).
            char* end = nullptr;
            const double v = std::strtod(text.c_str(), &end);
            if (end == text.c_str() || *end != '\0' || !(v > 0.0 && v < 1.0)) {
              return "--sparsity must be a number strictly between 0 and 1, got '" + text + "'";
            }
            return std::string();
          },
          "in (0, 1)"));
  cmd->add_option("--format", a->format, "storage: 2bit (2 bits/weight) or base3 (1.6 bits/weight)")
      ->check(CLI::IsMember({"2bit", "base3"}));
  cmd->add_option("--seed", a->seed, "seed for stochastic ternarization");
  cmd->add_flag("--json", a->json, "print per-tensor reports as JSON");
  cmd->callback([a, &exit_code] { exit_code = Run(*a); });
}

}  // namespace triton::cli
