#pragma once
// Escaping for the printable forms every stage emits (token dumps, AST dumps, IR text):
// `"` `\` newline, carriage return and tab as \" \\ \n \r \t; other bytes below 0x20 or from
// 0x7f up as \xHH (so UTF-8 text round-trips byte for byte through the IR parser).
#include <string>
#include <string_view>

namespace triton::base {

void AppendEscaped(std::string& out, std::string_view s);
// `"` + escaped + `"`.
void AppendQuoted(std::string& out, std::string_view s);

}  // namespace triton::base
