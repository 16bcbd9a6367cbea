#pragma once
// Lexical helpers shared by the IR printer, the text parser and TensorType::ToString, so that
// what the printer writes bare is exactly what the lexer reads back as one identifier.
#include <string>
#include <string_view>

namespace triton::ir {

// Identifier characters of the IR text form: [A-Za-z_][A-Za-z0-9_.]*.
bool IsIdentStart(char c);
bool IsIdentChar(char c);
// True when `s` is a non-empty identifier and may be written without quotes.
bool IsBareIdent(std::string_view s);
// `s` in double quotes with \" \\ \n \t \r and \xHH escapes for other control and non-ASCII bytes.
std::string QuoteString(std::string_view s);
// A double that reads back to the same bits (shortest std::to_chars form) and always looks like a
// float: "2.0", "0.7", "1e-05", "inf", "-inf", "nan".
std::string FormatDouble(double d);
// `s` bare if IsBareIdent, else quoted.
std::string IdentOrQuoted(std::string_view s);

}  // namespace triton::ir
