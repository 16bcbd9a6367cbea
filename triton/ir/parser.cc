// Parser of the IR text form (grammar in printer.cc). It checks syntax and names only: every %ref
// must be defined by an earlier statement, op results are numbered in order, names are unique.
// Types are taken as written; Verify() checks them. The first error ends the parse and is
// reported as "FILE:LINE:COL: message"; no input makes it crash.
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <map>
#include <optional>

#include "triton/ir/printer.h"
#include "triton/ir/text_util.h"

namespace triton::ir {
namespace {

enum class Tok { kEof, kError, kIdent, kInt, kFloat, kString, kRef, kScope, kPunct };

struct Token {
  Tok kind = Tok::kEof;
  std::string text;     // identifier/number spelling, decoded string, ref/scope body, punctuation
  bool quoted = false;  // kRef/kScope written in quotes
  uint32_t line = 1, col = 1;
};

std::string Printable(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string(1, c);
  return fmt::format("\\x{:02x}", u);
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : s_(text) {}

  // The whole token list; a lexical error becomes a final kError token carrying the message.
  std::vector<Token> Run() {
    std::vector<Token> out;
    out.reserve(s_.size() / 4 + 16);  // IR text averages well over 4 bytes a token
    while (true) {
      Token t = Next();
      const bool stop = t.kind == Tok::kEof || t.kind == Tok::kError;
      out.push_back(std::move(t));
      if (stop) return out;
    }
  }

 private:
  bool AtEnd() const { return i_ >= s_.size(); }
  char Peek(size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
  void Advance() {
    if (s_[i_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    ++i_;
  }
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }
  // Consumes identifier characters (never a newline, so the column just advances).
  std::string IdentRun() {
    const size_t start = i_;
    while (i_ < s_.size() && IsIdentChar(s_[i_])) ++i_;
    col_ += static_cast<uint32_t>(i_ - start);
    return std::string(s_.substr(start, i_ - start));
  }

  Token Error(const Token& at, std::string message) {
    Token t = at;
    t.kind = Tok::kError;
    t.text = std::move(message);
    return t;
  }

  Token Next() {
    // Whitespace and `#` comments to the end of the line.
    while (!AtEnd()) {
      const char c = Peek();
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        Advance();
      } else if (c == '#') {
        while (!AtEnd() && Peek() != '\n') Advance();
      } else {
        break;
      }
    }
    Token t;
    t.line = line_;
    t.col = col_;
    if (AtEnd()) return t;
    const char c = Peek();
    if (IsIdentStart(c)) {
      t.kind = Tok::kIdent;
      t.text = IdentRun();
      return t;
    }
    if (IsDigit(c) || (c == '-' && (IsDigit(Peek(1)) || IsIdentStart(Peek(1))))) return Number(t);
    if (c == '"') {
      std::string s;
      if (!String(&s, &t)) return Error(t, t.text);
      t.kind = Tok::kString;
      t.text = std::move(s);
      return t;
    }
    if (c == '%' || c == '@') {
      Advance();
      t.kind = c == '%' ? Tok::kRef : Tok::kScope;
      if (Peek() == '"' && !AtEnd()) {
        std::string s;
        if (!String(&s, &t)) return Error(t, t.text);
        t.quoted = true;
        t.text = std::move(s);
        return t;
      }
      t.text = IdentRun();
      if (t.text.empty()) {
        return Error(t,
                     fmt::format("expected a {} after '{}'", c == '%' ? "value name" : "scope", c));
      }
      return t;
    }
    if (std::string_view("{}()[],:=?").find(c) != std::string_view::npos) {
      t.kind = Tok::kPunct;
      t.text = std::string(1, c);
      Advance();
      return t;
    }
    return Error(t, fmt::format("unexpected character '{}'", Printable(c)));
  }

  // -?digits[.digits][e[+-]digits], or -inf / -nan.
  Token Number(Token t) {
    if (Peek() == '-') t.text += '-', Advance();
    if (IsIdentStart(Peek())) {
      const std::string word = IdentRun();
      if (word != "inf" && word != "nan") return Error(t, "expected a number after '-'");
      t.kind = Tok::kFloat;
      t.text += word;
      return t;
    }
    t.kind = Tok::kInt;
    while (IsDigit(Peek())) t.text += Peek(), Advance();
    if (Peek() == '.' && IsDigit(Peek(1))) {
      t.kind = Tok::kFloat;
      t.text += '.', Advance();
      while (IsDigit(Peek())) t.text += Peek(), Advance();
    }
    if (Peek() == 'e' || Peek() == 'E') {
      t.kind = Tok::kFloat;
      t.text += Peek(), Advance();
      if (Peek() == '+' || Peek() == '-') t.text += Peek(), Advance();
      if (!IsDigit(Peek())) return Error(t, "malformed number: expected digits in the exponent");
      while (IsDigit(Peek())) t.text += Peek(), Advance();
    }
    if (IsIdentChar(Peek())) {
      return Error(t, fmt::format("malformed number: unexpected '{}'", Printable(Peek())));
    }
    return t;
  }

  // A quoted string at the cursor; on error false with the message in at->text.
  bool String(std::string* out, Token* at) {
    Advance();  // opening quote
    while (true) {
      if (AtEnd() || Peek() == '\n') {
        at->text = "unterminated string";
        return false;
      }
      const char c = Peek();
      Advance();
      if (c == '"') return true;
      if (c != '\\') {
        *out += c;
        continue;
      }
      const char e = AtEnd() ? '\0' : Peek();
      if (!AtEnd()) Advance();
      switch (e) {
        case '"':
          *out += '"';
          break;
        case '\\':
          *out += '\\';
          break;
        case 'n':
          *out += '\n';
          break;
        case 't':
          *out += '\t';
          break;
        case 'r':
          *out += '\r';
          break;
        case 'x': {
          int v = 0;
          for (int k = 0; k < 2; ++k) {
            const char h = Peek();
            int d = -1;
            if (h >= '0' && h <= '9') d = h - '0';
            if (h >= 'a' && h <= 'f') d = h - 'a' + 10;
            if (h >= 'A' && h <= 'F') d = h - 'A' + 10;
            if (d < 0 || AtEnd()) {
              at->text = "invalid \\x escape: expected two hex digits";
              return false;
            }
            v = v * 16 + d;
            Advance();
          }
          *out += static_cast<char>(v);
          break;
        }
        default:
          at->text = fmt::format("invalid escape '\\{}' in string", Printable(e));
          return false;
      }
    }
  }

  std::string_view s_;
  size_t i_ = 0;
  uint32_t line_ = 1, col_ = 1;
};

class Parser {
 public:
  Parser(std::vector<Token> toks, std::string filename)
      : toks_(std::move(toks)), filename_(std::move(filename)) {}

  Result<Module> Run() {
    if (!ParseModuleText()) return Status::Error(error_);
    return std::move(m_);
  }

 private:
  const Token& Cur() const { return toks_[pos_]; }
  void Bump() {
    if (pos_ + 1 < toks_.size()) ++pos_;
  }
  bool IsPunct(char c) const { return Cur().kind == Tok::kPunct && Cur().text[0] == c; }
  bool IsKeyword(std::string_view w) const { return Cur().kind == Tok::kIdent && Cur().text == w; }

  // Records the error at `t` (a lexical error token reports its own message) and returns false.
  bool Fail(const Token& t, const std::string& message) {
    const std::string& msg = t.kind == Tok::kError ? t.text : message;
    error_ = fmt::format("{}:{}:{}: {}", filename_, t.line, t.col, msg);
    return false;
  }
  bool Fail(const std::string& message) { return Fail(Cur(), message); }

  static std::string Describe(const Token& t) {
    switch (t.kind) {
      case Tok::kEof:
        return "end of input";
      case Tok::kError:
        return "an invalid token";
      case Tok::kIdent:
        return "'" + t.text + "'";
      case Tok::kInt:
      case Tok::kFloat:
        return "number " + t.text;
      case Tok::kString:
        return "a string";
      case Tok::kRef:
        return "%" + (t.quoted ? QuoteString(t.text) : t.text);
      case Tok::kScope:
        return "@" + (t.quoted ? QuoteString(t.text) : t.text);
      case Tok::kPunct:
        return "'" + t.text + "'";
    }
    return "a token";
  }

  bool Expect(char c) {
    if (!IsPunct(c)) return Fail(fmt::format("expected '{}', found {}", c, Describe(Cur())));
    Bump();
    return true;
  }
  bool ExpectKeyword(std::string_view w) {
    if (!IsKeyword(w)) return Fail(fmt::format("expected '{}', found {}", w, Describe(Cur())));
    Bump();
    return true;
  }

  // IDENT or STRING.
  bool Name(std::string* out, std::string_view what) {
    if (Cur().kind != Tok::kIdent && Cur().kind != Tok::kString) {
      return Fail(fmt::format("expected {}, found {}", what, Describe(Cur())));
    }
    *out = Cur().text;
    Bump();
    return true;
  }

  bool Int(int64_t* out) {
    if (Cur().kind != Tok::kInt)
      return Fail(fmt::format("expected an integer, found {}", Describe(Cur())));
    const std::string& s = Cur().text;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    if (ec != std::errc() || p != s.data() + s.size()) return Fail("integer out of range");
    Bump();
    return true;
  }

  // Any number (int or float token, or the words inf / nan) as a double.
  bool Number(double* out) {
    const Token& t = Cur();
    if (t.kind == Tok::kIdent && (t.text == "inf" || t.text == "nan")) {
      *out = t.text == "inf" ? HUGE_VAL : std::nan("");
      Bump();
      return true;
    }
    if (t.kind != Tok::kInt && t.kind != Tok::kFloat) {
      return Fail(fmt::format("expected a number, found {}", Describe(t)));
    }
    auto [p, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), *out);
    if (ec != std::errc() || p != t.text.data() + t.text.size()) return Fail("number out of range");
    Bump();
    return true;
  }

  bool ParseType(TensorType* t) {
    if (Cur().kind != Tok::kIdent)
      return Fail(fmt::format("expected a type, found {}", Describe(Cur())));
    const std::optional<DType> dtype = ParseDTypeShortName(Cur().text);
    if (!dtype) return Fail(fmt::format("unknown element type '{}'", Cur().text));
    t->dtype = *dtype;
    t->dims.clear();
    Bump();
    if (!Expect('[')) return false;
    while (!IsPunct(']')) {
      if (!t->dims.empty() && !Expect(',')) return false;
      const Token& d = Cur();
      if (d.kind == Tok::kInt) {
        int64_t n = 0;
        if (!Int(&n)) return false;
        if (n < 0) return Fail(d, "dimension sizes must be non-negative");
        t->dims.push_back(Dim::Static(n));
      } else if (d.kind == Tok::kIdent || d.kind == Tok::kString) {
        if (d.text.empty()) return Fail(d, "empty dimension name");
        t->dims.push_back(Dim::Symbol(d.text));
        Bump();
      } else if (IsPunct('?')) {
        t->dims.push_back(Dim::Unknown());
        Bump();
      } else {
        return Fail(fmt::format("expected a dimension, found {}", Describe(d)));
      }
    }
    Bump();
    return true;
  }

  bool AttrValueText(AttrValue* v) {
    const Token& t = Cur();
    if (t.kind == Tok::kInt) {
      int64_t i = 0;
      if (!Int(&i)) return false;
      *v = i;
    } else if (t.kind == Tok::kFloat ||
               (t.kind == Tok::kIdent && (t.text == "inf" || t.text == "nan"))) {
      double d = 0;
      if (!Number(&d)) return false;
      *v = d;
    } else if (t.kind == Tok::kIdent && (t.text == "true" || t.text == "false")) {
      *v = t.text == "true";
      Bump();
    } else if (t.kind == Tok::kString) {
      *v = t.text;
      Bump();
    } else if (t.kind == Tok::kIdent && t.text == "float") {
      Bump();
      if (!Expect('[') || !Expect(']')) return false;
      *v = std::vector<double>{};
    } else if (IsPunct('[')) {
      // An int list unless some element is a float.
      Bump();
      std::vector<int64_t> ints;
      std::vector<double> floats;
      bool is_float = false;
      while (!IsPunct(']')) {
        if ((!ints.empty() || !floats.empty()) && !Expect(',')) return false;
        if (Cur().kind == Tok::kInt && !is_float) {
          int64_t i = 0;
          if (!Int(&i)) return false;
          ints.push_back(i);
          floats.push_back(static_cast<double>(i));
        } else {
          double d = 0;
          if (!Number(&d)) return false;
          if (!is_float) ints.clear();
          is_float = true;
          floats.push_back(d);
        }
      }
      Bump();
      if (is_float) {
        *v = std::move(floats);
      } else {
        *v = std::move(ints);
      }
    } else {
      return Fail(fmt::format("expected an attribute value, found {}", Describe(t)));
    }
    return true;
  }

  bool AttrDict(Attrs* attrs) {
    if (!Expect('{')) return false;
    std::vector<std::string> seen;
    while (!IsPunct('}')) {
      if (!seen.empty() && !Expect(',')) return false;
      const Token name_tok = Cur();
      std::string name;
      if (!Name(&name, "an attribute name")) return false;
      if (attrs->Find(name) != nullptr)
        return Fail(name_tok, fmt::format("duplicate attribute '{}'", name));
      AttrValue v;
      if (!Expect('=') || !AttrValueText(&v)) return false;
      attrs->Set(name, std::move(v));
      seen.push_back(std::move(name));
    }
    Bump();
    return true;
  }

  // A defining %NAME for an input or param.
  bool DefineName(const Token& t, ValueKind kind, TensorType type) {
    if (t.kind != Tok::kRef) return Fail(t, fmt::format("expected a %name, found {}", Describe(t)));
    if (!t.quoted && RefIndex(t.text, nullptr) != RefForm::kName) {
      return Fail(t, fmt::format("%{} is a numbered name; inputs and params need a name", t.text));
    }
    if (names_.count(t.text) != 0) return Fail(t, fmt::format("redefinition of {}", Describe(t)));
    const auto id = static_cast<ValueId>(m_.values.size());
    const int32_t def =
        static_cast<int32_t>(kind == ValueKind::kInput ? m_.inputs.size() : m_.params.size());
    m_.values.push_back(Value{kind, std::move(type), t.text, def});
    names_[t.text] = id;
    return true;
  }

  enum class RefForm { kName, kOp, kConst, kBad };
  // Classifies an unquoted ref body: digits (op result), c + digits (const), else a name.
  static RefForm RefIndex(const std::string& s, int64_t* index) {
    size_t start = 0;
    RefForm form = RefForm::kOp;
    if (s.size() >= 2 && s[0] == 'c') start = 1, form = RefForm::kConst;
    for (size_t i = start; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return RefForm::kName;
    }
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data() + start, s.data() + s.size(), v);
    if (ec != std::errc()) return RefForm::kBad;
    if (index != nullptr) *index = v;
    return form;
  }

  bool Use(ValueId* out) {
    const Token& t = Cur();
    if (t.kind != Tok::kRef) return Fail(fmt::format("expected a value, found {}", Describe(t)));
    int64_t idx = -1;
    const RefForm form = t.quoted ? RefForm::kName : RefIndex(t.text, &idx);
    bool found = false;
    if (form == RefForm::kName) {
      auto it = names_.find(t.text);
      if (it != names_.end()) *out = it->second, found = true;
    } else if (form == RefForm::kOp && idx < static_cast<int64_t>(m_.ops.size())) {
      *out = m_.ops[static_cast<size_t>(idx)].result, found = true;
    } else if (form == RefForm::kConst && idx < static_cast<int64_t>(m_.consts.size())) {
      *out = m_.consts[static_cast<size_t>(idx)].value, found = true;
    }
    if (!found) return Fail(fmt::format("use of undefined value {}", Describe(t)));
    Bump();
    return true;
  }

  bool Hint(ValueId id) {
    if (!IsKeyword("hint")) return true;
    Bump();
    if (!Expect('=')) return false;
    if (Cur().kind != Tok::kString)
      return Fail(fmt::format("expected a string, found {}", Describe(Cur())));
    m_.values[static_cast<size_t>(id)].name = Cur().text;
    Bump();
    return true;
  }

  bool InputStmt() {
    Bump();
    const Token name = Cur();
    Bump();
    TensorType type;
    if (name.kind != Tok::kRef)
      return Fail(name, fmt::format("expected a %name, found {}", Describe(name)));
    if (!Expect(':') || !ParseType(&type)) return false;
    if (!DefineName(name, ValueKind::kInput, std::move(type))) return false;
    m_.inputs.push_back(static_cast<ValueId>(m_.values.size() - 1));
    return true;
  }

  bool ParamStmt() {
    Param p;
    p.trainable = IsKeyword("param");
    Bump();
    const Token name = Cur();
    Bump();
    TensorType type;
    if (name.kind != Tok::kRef)
      return Fail(name, fmt::format("expected a %name, found {}", Describe(name)));
    if (!Expect(':') || !ParseType(&type)) return false;
    if (IsKeyword("ternary") || IsKeyword("quant")) {
      p.ternary = IsKeyword("ternary");
      Bump();
      if (!Expect('(') || !Name(&p.quant.method, "a quantization method") || !Expect(',') ||
          !Number(&p.quant.threshold) || !Expect(',')) {
        return false;
      }
      if (!IsKeyword("per_channel") && !IsKeyword("per_tensor")) {
        return Fail(
            fmt::format("expected 'per_channel' or 'per_tensor', found {}", Describe(Cur())));
      }
      p.quant.per_channel = IsKeyword("per_channel");
      Bump();
      if (!Expect(')')) return false;
    }
    if (IsKeyword("init")) {
      Bump();
      if (!Expect('=') || !Name(&p.init, "an initializer name")) return false;
    }
    if (IsPunct('{') && !AttrDict(&p.init_args)) return false;
    if (!DefineName(name, ValueKind::kParam, std::move(type))) return false;
    p.value = static_cast<ValueId>(m_.values.size() - 1);
    m_.params.push_back(std::move(p));
    return true;
  }

  bool ConstStmt() {
    Bump();
    const Token name = Cur();
    int64_t idx = -1;
    if (name.kind != Tok::kRef || name.quoted || RefIndex(name.text, &idx) != RefForm::kConst ||
        idx != static_cast<int64_t>(m_.consts.size())) {
      return Fail(name, fmt::format("expected %c{} (constants are numbered in order), found {}",
                                    m_.consts.size(), Describe(name)));
    }
    Bump();
    Constant c;
    TensorType type;
    if (!Expect(':') || !ParseType(&type) || !Expect('=') || !Expect('[')) return false;
    while (!IsPunct(']')) {
      if (!c.data.empty() && !Expect(',')) return false;
      double d = 0;
      if (!Number(&d)) return false;
      c.data.push_back(d);
    }
    Bump();
    c.value = static_cast<ValueId>(m_.values.size());
    m_.values.push_back(
        Value{ValueKind::kConst, std::move(type), {}, static_cast<int32_t>(m_.consts.size())});
    m_.consts.push_back(std::move(c));
    return Hint(m_.consts.back().value);
  }

  bool OpStmt() {
    const Token name = Cur();
    int64_t idx = -1;
    if (name.quoted || RefIndex(name.text, &idx) != RefForm::kOp ||
        idx != static_cast<int64_t>(m_.ops.size())) {
      return Fail(name, fmt::format("expected %{} (op results are numbered in order), found {}",
                                    m_.ops.size(), Describe(name)));
    }
    Bump();
    if (!Expect('=')) return false;
    if (Cur().kind != Tok::kIdent)
      return Fail(fmt::format("expected an op name, found {}", Describe(Cur())));
    const std::optional<OpKind> kind = ParseOpMnemonic(Cur().text);
    if (!kind) return Fail(fmt::format("unknown op '{}'", Cur().text));
    Bump();
    Op op{*kind, {}, {}, kNoValue, {}};
    if (!Expect('(')) return false;
    while (!IsPunct(')')) {
      if (!op.operands.empty() && !Expect(',')) return false;
      ValueId v = kNoValue;
      if (!Use(&v)) return false;
      op.operands.push_back(v);
    }
    Bump();
    if (IsPunct('{') && !AttrDict(&op.attrs)) return false;
    TensorType type;
    if (!Expect(':') || !ParseType(&type)) return false;
    if (Cur().kind == Tok::kScope) {
      if (Cur().text.empty()) return Fail("empty scope");
      op.scope = Cur().text;
      Bump();
    }
    op.result = static_cast<ValueId>(m_.values.size());
    m_.values.push_back(
        Value{ValueKind::kOp, std::move(type), {}, static_cast<int32_t>(m_.ops.size())});
    m_.ops.push_back(std::move(op));
    return Hint(m_.ops.back().result);
  }

  bool ReturnStmt() {
    Bump();
    while (!IsPunct('}')) {
      if (!m_.outputs.empty()) {
        if (!IsPunct(',')) {
          return Fail(
              fmt::format("expected ',' or '}}' after a return value, found {}", Describe(Cur())));
        }
        Bump();
      }
      ValueId v = kNoValue;
      if (!Use(&v)) return false;
      m_.outputs.push_back(v);
    }
    return true;
  }

  bool ParseModuleText() {
    if (!ExpectKeyword("module") || !Name(&m_.name, "a module name") || !Expect('{')) return false;
    bool returned = false;
    while (!IsPunct('}')) {
      if (returned)
        return Fail(fmt::format("expected '}}' after return, found {}", Describe(Cur())));
      bool ok = false;
      if (IsKeyword("input")) {
        ok = InputStmt();
      } else if (IsKeyword("param") || IsKeyword("buffer")) {
        ok = ParamStmt();
      } else if (IsKeyword("const")) {
        ok = ConstStmt();
      } else if (IsKeyword("return")) {
        ok = ReturnStmt();
        returned = true;
      } else if (Cur().kind == Tok::kRef) {
        ok = OpStmt();
      } else {
        return Fail(
            fmt::format("expected a statement (input, param, buffer, const, %N = op, return), "
                        "found {}",
                        Describe(Cur())));
      }
      if (!ok) return false;
    }
    if (!returned) return Fail("expected 'return' before the end of the module");
    Bump();
    if (Cur().kind != Tok::kEof)
      return Fail(fmt::format("unexpected {} after the module", Describe(Cur())));
    return true;
  }

  std::vector<Token> toks_;
  std::string filename_;
  size_t pos_ = 0;
  Module m_;
  std::map<std::string, ValueId> names_;
  std::string error_;
};

}  // namespace

Result<Module> ParseModule(std::string_view text, const std::string& filename) {
  return Parser(Lexer(text).Run(), filename).Run();
}

}  // namespace triton::ir
