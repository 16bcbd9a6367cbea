#pragma once
// Hand-written SVG charts for the benchmark pages: grouped or stacked bar charts and line charts,
// with axes, ticks, labels and a legend. Output contract: a standalone SVG 1.1 document (one
// <svg> root with xmlns and a viewBox), well-formed XML (text escaped), and byte-deterministic for
// the same input: coordinates are printed with one decimal, tick labels by the caller's format.
// Tick values are chosen from 1, 2, 5 x 10^k (linear) or powers of ten (log; with 2 and 5 when
// the range spans at most two decades). Missing values (NaN) draw nothing (a bar is left out, a
// line is broken there).
#include <cmath>
#include <string>
#include <vector>

namespace triton::report::svg {

struct Series {
  std::string name;            // legend entry
  std::vector<double> values;  // one per category (bar chart) or per x (line chart)
};

// A dashed horizontal line across the plot, labelled at its right end ("target 3x").
struct RefLine {
  double y = 0;
  std::string label;
};

struct BarChart {
  std::string title, y_label;
  std::vector<std::string> categories;  // x axis, in order
  std::vector<Series> series;           // side by side per category, or stacked
  bool stacked = false;
  bool log_y = false;        // log10 axis (values <= 0 are not drawn)
  double y_from = NAN;       // linear, not stacked: the axis (and the bars) start here, not at 0
  std::string value_suffix;  // appended to tick labels ("x", " %")
  std::vector<RefLine> lines;
  int width = 760, height = 420;
};

struct LineChart {
  std::string title, x_label, y_label;
  std::vector<double> x;  // increasing; ticks are drawn at these values
  std::vector<Series> series;
  bool log_x = false, log_y = false;
  std::string value_suffix;
  int width = 560, height = 380;
};

std::string Render(const BarChart& chart);
std::string Render(const LineChart& chart);

// `text` with & < > " ' escaped for XML text and attribute values.
std::string Escape(const std::string& text);

}  // namespace triton::report::svg
