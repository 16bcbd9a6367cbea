#include "triton/ir/text_util.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "triton/base/text.h"

namespace triton::ir {

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9') || c == '.'; }

bool IsBareIdent(std::string_view s) {
  if (s.empty() || !IsIdentStart(s[0])) return false;
  for (char c : s) {
    if (!IsIdentChar(c)) return false;
  }
  return true;
}

std::string QuoteString(std::string_view s) {
  std::string out;
  base::AppendQuoted(out, s);
  return out;
}

std::string FormatDouble(double d) {
  if (std::isnan(d)) return std::signbit(d) ? "-nan" : "nan";
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  std::string s(buf, end);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string IdentOrQuoted(std::string_view s) {
  return IsBareIdent(s) ? std::string(s) : QuoteString(s);
}

}  // namespace triton::ir
