#include "triton/report/svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace triton::report::svg {

namespace {

constexpr const char* kPalette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759",
                                    "#76b7b2", "#edc948", "#b07aa1", "#9c755f"};
constexpr double kCharWidth = 6.6;  // estimated width of one character at font-size 12

const char* Color(size_t i) { return kPalette[i % std::size(kPalette)]; }

std::string F(double v) {
  if (std::fabs(v) < 0.05) v = 0;  // never "-0.0"
  return fmt::format("{:.1f}", v);
}

double TextWidth(const std::string& s) { return kCharWidth * static_cast<double>(s.size()); }

// A value axis: maps values to pixels and lists its ticks.
struct Axis {
  bool log = false;
  double lo = 0, hi = 1;  // linear: values; log: log10 of values
  std::vector<double> ticks;
  double Pos(double v, double p0, double p1) const {  // p0 at lo, p1 at hi
    double t = log ? (std::log10(v) - lo) / (hi - lo) : (v - lo) / (hi - lo);
    return p0 + t * (p1 - p0);
  }
};

std::string TickLabel(double v, const std::string& suffix) {
  if (v == 0) return "0" + suffix;
  const int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(std::fabs(v)) + 1e-9)));
  std::string s = fmt::format("{:.{}f}", v, decimals);
  // 0.5, 1.5: one decimal is enough; trim zeros a fixed format added.
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s + suffix;
}

// `from` (linear axes only, when finite and below every value): the axis starts there instead
// of at 0.
Axis MakeAxis(const std::vector<double>& values, bool log, double from = NAN) {
  Axis a;
  a.log = log;
  double mn = std::numeric_limits<double>::infinity(), mx = -mn;
  for (double v : values) {
    if (!std::isfinite(v) || (log && v <= 0)) continue;
    mn = std::min(mn, v);
    mx = std::max(mx, v);
  }
  if (log) {
    if (!std::isfinite(mn)) mn = 1, mx = 10;
    a.lo = std::floor(std::log10(mn) + 1e-12);
    a.hi = std::ceil(std::log10(mx) - 1e-12);
    if (a.hi <= a.lo) a.hi = a.lo + 1;
    for (int k = static_cast<int>(a.lo); k <= static_cast<int>(a.hi); ++k) {
      const double p = std::pow(10.0, k);
      a.ticks.push_back(p);
      if (a.hi - a.lo <= 2 && k < static_cast<int>(a.hi)) {
        a.ticks.push_back(2 * p);
        a.ticks.push_back(5 * p);
      }
    }
    return a;
  }
  if (!std::isfinite(mx) || mx <= 0) mx = 1;
  a.lo = std::min(0.0, std::isfinite(mn) ? mn : 0.0);
  if (std::isfinite(from) && from < mx && (!std::isfinite(mn) || from <= mn)) a.lo = from;
  const double raw = (mx - a.lo) / 5;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  const double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  a.lo = std::floor(a.lo / step) * step;
  a.hi = std::ceil(mx / step - 1e-9) * step;
  if (a.hi <= a.lo) a.hi = a.lo + step;
  for (int i = 0;; ++i) {
    const double t = a.lo + i * step;
    if (t > a.hi + step / 2) break;
    a.ticks.push_back(std::fabs(t) < step / 1e6 ? 0 : t);
  }
  return a;
}

struct Frame {
  double x0, x1, y0, y1;  // plot area: x0..x1 left to right, y0 top, y1 bottom
};

// The document head, title and legend (wrapped into rows); returns the y below the legend.
double Head(std::string& out, int width, int height, const std::string& title,
            const std::vector<Series>& series, double left) {
  out += fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{}\" height=\"{}\" "
      "viewBox=\"0 0 {} {}\" font-family=\"sans-serif\" font-size=\"12\">\n",
      width, height, width, height);
  out += fmt::format("<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", width,
                     height);
  out += fmt::format("<text x=\"{}\" y=\"20\" font-size=\"15\" font-weight=\"bold\">{}</text>\n",
                     F(left), Escape(title));
  double x = left, y = 38;
  for (size_t i = 0; i < series.size(); ++i) {
    const double w = 16 + TextWidth(series[i].name) + 14;
    if (x + w > width - 10 && x > left) {
      x = left;
      y += 18;
    }
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/>\n", F(x),
                       F(y - 9), Color(i));
    out +=
        fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", F(x + 14), F(y), Escape(series[i].name));
    x += w;
  }
  return y + 14;
}

void ValueAxis(std::string& out, const Axis& a, const Frame& f, const std::string& label,
               const std::string& suffix) {
  for (double t : a.ticks) {
    const double y = a.Pos(t, f.y1, f.y0);
    out += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#e0e0e0\" stroke-width=\"1\"/>\n",
        F(f.x0), F(y), F(f.x1), F(y));
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", F(f.x0 - 6),
                       F(y + 4), Escape(TickLabel(t, suffix)));
  }
  const double cy = (f.y0 + f.y1) / 2;
  out += fmt::format(
      "<text x=\"14\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {})\">{}</text>\n",
      F(cy), F(cy), Escape(label));
  out += fmt::format(
      "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333333\" stroke-width=\"1\"/>\n",
      F(f.x0), F(f.y0), F(f.x0), F(f.y1));
  out += fmt::format(
      "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333333\" stroke-width=\"1\"/>\n",
      F(f.x0), F(f.y1), F(f.x1), F(f.y1));
}

}  // namespace

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Render(const BarChart& c) {
  std::vector<double> values;
  const size_t n = c.categories.size();
  for (size_t k = 0; k < n; ++k) {
    double stack = 0;
    for (const Series& s : c.series) {
      const double v = k < s.values.size() ? s.values[k] : NAN;
      if (c.stacked) {
        if (std::isfinite(v)) stack += v;
      } else {
        values.push_back(v);
      }
    }
    if (c.stacked) values.push_back(stack);
  }
  for (const RefLine& l : c.lines) values.push_back(l.y);
  const Axis axis = MakeAxis(values, c.log_y && !c.stacked, c.stacked ? NAN : c.y_from);

  size_t longest = 0;
  for (const std::string& s : c.categories) longest = std::max(longest, s.size());
  const double right = 20;
  double left = 70;
  double slot = n ? (c.width - left - right) / static_cast<double>(n) : 1;
  const bool rotate = TextWidth(std::string(longest, 'x')) > slot - 4;
  if (rotate) {
    // A label rotated by 35 degrees reaches 0.82 of its width left of its anchor: widen the left
    // margin so that the first labels stay inside the image.
    for (size_t k = 0; k < n; ++k) {
      const double reach =
          0.82 * TextWidth(c.categories[k]) - slot * (static_cast<double>(k) + 0.5);
      left = std::max(left, std::ceil(reach) + 6);
    }
    slot = (c.width - left - right) / static_cast<double>(n);
  }
  const double bottom = rotate ? 30 + std::min<double>(longest, 40) * kCharWidth * 0.6 : 40;

  std::string out;
  const double top = Head(out, c.width, c.height, c.title, c.series, left);
  const Frame f{left, c.width - right, top, c.height - bottom};
  ValueAxis(out, axis, f, c.y_label, c.value_suffix);

  const double group = (f.x1 - f.x0) / static_cast<double>(std::max<size_t>(n, 1));
  const double ns = static_cast<double>(std::max<size_t>(c.series.size(), 1));
  const double bar = c.stacked ? group * 0.6 : group * 0.8 / ns;
  const double base = axis.log ? std::pow(10.0, axis.lo) : std::max(0.0, axis.lo);
  for (size_t k = 0; k < n; ++k) {
    const double gx = f.x0 + group * static_cast<double>(k);
    double stack = 0;
    for (size_t i = 0; i < c.series.size(); ++i) {
      const double v = k < c.series[i].values.size() ? c.series[i].values[k] : NAN;
      if (!std::isfinite(v) || (axis.log && v <= 0)) continue;
      double x, ytop, ybot;
      if (c.stacked) {
        x = gx + group * 0.2;
        ybot = axis.Pos(stack, f.y1, f.y0);
        stack += v;
        ytop = axis.Pos(stack, f.y1, f.y0);
      } else {
        x = gx + group * 0.1 + bar * static_cast<double>(i);
        ybot = axis.Pos(base, f.y1, f.y0);
        ytop = axis.Pos(v, f.y1, f.y0);
      }
      out += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title>"
          "</rect>\n",
          F(x), F(std::min(ytop, ybot)), F(bar), F(std::fabs(ybot - ytop)), Color(i),
          Escape(c.categories[k] + ", " + c.series[i].name), Escape(fmt::format("{:.4g}", v)));
    }
    const double cx = gx + group / 2, ly = f.y1 + 14;
    if (rotate) {
      out += fmt::format(
          "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" transform=\"rotate(-35 {} {})\">{}</text>\n",
          F(cx), F(ly), F(cx), F(ly), Escape(c.categories[k]));
    } else {
      out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", F(cx),
                         F(ly + 2), Escape(c.categories[k]));
    }
  }
  for (const RefLine& l : c.lines) {
    if (axis.log && l.y <= 0) continue;
    const double y = axis.Pos(l.y, f.y1, f.y0);
    out += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#c00000\" stroke-width=\"1\" "
        "stroke-dasharray=\"5,4\"/>\n",
        F(f.x0), F(y), F(f.x1), F(y));
    out += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#c00000\" stroke=\"#ffffff\" "
        "stroke-width=\"3\" paint-order=\"stroke\">{}</text>\n",
        F(f.x1 - 2), F(y - 4), Escape(l.label));
  }
  out += "</svg>\n";
  return out;
}

std::string Render(const LineChart& c) {
  std::vector<double> values;
  for (const Series& s : c.series) values.insert(values.end(), s.values.begin(), s.values.end());
  const Axis axis = MakeAxis(values, c.log_y);
  const double left = 70, right = 24, bottom = 46;
  std::string out;
  const double top = Head(out, c.width, c.height, c.title, c.series, left);
  const Frame f{left, c.width - right, top, c.height - bottom};
  ValueAxis(out, axis, f, c.y_label, c.value_suffix);

  // x positions: proportional to x (or log10 x), padded by 6 % on each side.
  auto tx = [&](double v) { return c.log_x && v > 0 ? std::log10(v) : v; };
  double xmin = 0, xmax = 1;
  if (!c.x.empty()) {
    xmin = tx(c.x.front());
    xmax = tx(c.x.back());
  }
  const double pad = (f.x1 - f.x0) * 0.06;
  auto px = [&](double v) {
    if (xmax <= xmin) return (f.x0 + f.x1) / 2;
    return f.x0 + pad + (tx(v) - xmin) / (xmax - xmin) * (f.x1 - f.x0 - 2 * pad);
  };
  for (double x : c.x) {
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", F(px(x)),
                       F(f.y1 + 16), Escape(TickLabel(x, "")));
  }
  out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                     F((f.x0 + f.x1) / 2), F(f.y1 + 36), Escape(c.x_label));
  for (size_t i = 0; i < c.series.size(); ++i) {
    const Series& s = c.series[i];
    std::string path;
    for (size_t k = 0; k < c.x.size(); ++k) {
      const double v = k < s.values.size() ? s.values[k] : NAN;
      if (!std::isfinite(v) || (axis.log && v <= 0)) {
        if (!path.empty()) {
          out += fmt::format(
              "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n", path,
              Color(i));
          path.clear();
        }
        continue;
      }
      path += (path.empty() ? "" : " ") + F(px(c.x[k])) + "," + F(axis.Pos(v, f.y1, f.y0));
    }
    if (!path.empty()) {
      out +=
          fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n",
                      path, Color(i));
    }
    for (size_t k = 0; k < c.x.size(); ++k) {
      const double v = k < s.values.size() ? s.values[k] : NAN;
      if (!std::isfinite(v) || (axis.log && v <= 0)) continue;
      out += fmt::format(
          "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{}\"><title>{}: {}</title></circle>\n",
          F(px(c.x[k])), F(axis.Pos(v, f.y1, f.y0)), Color(i),
          Escape(s.name + " at " + TickLabel(c.x[k], "")), Escape(fmt::format("{:.4g}", v)));
    }
  }
  out += "</svg>\n";
  return out;
}

}  // namespace triton::report::svg
