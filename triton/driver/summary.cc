#include "triton/driver/summary.h"

#include <fmt/format.h>

namespace triton::driver {

namespace {
std::string WithCommas(int64_t v) {
  std::string s = std::to_string(v < 0 ? -v : v), out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return v < 0 ? "-" + out : out;
}

std::string ShapeOf(const ir::TensorType& t) {
  std::string s = "[";
  for (size_t i = 0; i < t.dims.size(); ++i) s += (i ? ", " : "") + t.dims[i].ToString();
  return s + "]";
}
}  // namespace

std::vector<LayerRow> SummaryRows(const ir::Module& m) {
  std::vector<LayerRow> rows;
  std::vector<bool> counted(m.values.size(), false);
  for (size_t i = 0; i < m.ops.size(); ++i) {
    const ir::Op& op = m.ops[i];
    LayerRow row;
    row.name = op.scope.empty() ? "%" + std::to_string(i) : op.scope;
    row.op = ir::OpMnemonic(op.kind);
    row.output_shape = ShapeOf(m.type(op.result));
    std::vector<ir::TensorType> operand_types;
    for (ir::ValueId v : op.operands) {
      const ir::Value& val = m.value(v);
      operand_types.push_back(val.type);
      if (val.kind != ir::ValueKind::kParam) continue;
      const ir::Param& p = m.params[static_cast<size_t>(val.def)];
      row.ternary = row.ternary || p.ternary;
      if (p.trainable && !counted[static_cast<size_t>(v)]) {
        counted[static_cast<size_t>(v)] = true;
        row.parameters += val.type.num_elements();
      }
    }
    row.macs = ir::CountMacs(op.kind, operand_types, m.type(op.result), op.attrs);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string SummaryText(const ir::Module& m) {
  std::vector<LayerRow> rows = SummaryRows(m);
  size_t wn = 5, wo = 2, ws = 12;
  for (const LayerRow& r : rows) {
    wn = std::max(wn, r.name.size());
    wo = std::max(wo, r.op.size());
    ws = std::max(ws, r.output_shape.size());
  }
  std::string out = fmt::format("model {}\n", m.name);
  out += fmt::format("{:<{}}  {:<{}}  {:<{}}  {:>12}  {:>7}  {:>15}\n", "layer", wn, "op", wo,
                     "output shape", ws, "parameters", "ternary", "MACs");
  out += std::string(wn + wo + ws + 12 + 7 + 15 + 10, '-') + "\n";
  for (const LayerRow& r : rows) {
    out += fmt::format("{:<{}}  {:<{}}  {:<{}}  {:>12}  {:>7}  {:>15}\n", r.name, wn, r.op, wo,
                       r.output_shape, ws, r.parameters ? WithCommas(r.parameters) : "",
                       r.ternary ? "yes" : "", r.macs ? WithCommas(r.macs) : "");
  }
  int64_t params = m.ParameterCount(), tern = m.TernaryParameterCount();
  out += std::string(wn + wo + ws + 12 + 7 + 15 + 10, '-') + "\n";
  out +=
      fmt::format("parameters: {} ({} ternary, {:.1f}%)\n", WithCommas(params), WithCommas(tern),
                  params ? 100.0 * static_cast<double>(tern) / static_cast<double>(params) : 0.0);
  out += fmt::format("MACs per sample: {}\n", WithCommas(m.MacCount()));
  std::string ins, outs;
  for (ir::ValueId v : m.inputs)
    ins += (ins.empty() ? "" : ", ") + m.value(v).name + ": " + m.type(v).ToString();
  for (ir::ValueId v : m.outputs) outs += (outs.empty() ? "" : ", ") + m.type(v).ToString();
  out += "inputs: " + ins + "\noutputs: " + outs + "\n";
  return out;
}

nlohmann::json SummaryJson(const ir::Module& m) {
  nlohmann::json j;
  j["model"] = m.name;
  j["parameters"] = m.ParameterCount();
  j["ternary_parameters"] = m.TernaryParameterCount();
  j["macs"] = m.MacCount();
  int64_t buffers = 0;
  for (const ir::Param& p : m.params) {
    if (!p.trainable) buffers += m.type(p.value).num_elements();
  }
  j["buffer_elements"] = buffers;
  nlohmann::json ins = nlohmann::json::array(), outs = nlohmann::json::array();
  for (ir::ValueId v : m.inputs)
    ins.push_back({{"name", m.value(v).name}, {"type", m.type(v).ToString()}});
  for (ir::ValueId v : m.outputs) outs.push_back({{"type", m.type(v).ToString()}});
  j["inputs"] = ins;
  j["outputs"] = outs;
  nlohmann::json layers = nlohmann::json::array();
  for (const LayerRow& r : SummaryRows(m)) {
    layers.push_back({{"name", r.name},
                      {"op", r.op},
                      {"output_shape", r.output_shape},
                      {"parameters", r.parameters},
                      {"ternary", r.ternary},
                      {"macs", r.macs}});
  }
  j["layers"] = layers;
  return j;
}

}  // namespace triton::driver
