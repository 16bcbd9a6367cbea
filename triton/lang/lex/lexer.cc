// The hand-written lexer (contract in lexer.h). One pass over the bytes, no backtracking beyond
// one or two characters of look-ahead, so every input lexes in linear time; token text is a view
// into the SourceFile, and only string literals allocate (their decoded contents).
#include "triton/lang/lex/lexer.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

#include "triton/base/text.h"

namespace triton::lang {

namespace {

using diag::DiagEngine;
using diag::FileId;
using diag::Kind;
using diag::SourceRange;

// ------------------------------------------------------------------ character classes
enum : uint8_t { kIdStart = 1, kIdCont = 2, kDecDigit = 4, kPunctStart = 8, kBlank = 16 };

constexpr std::array<uint8_t, 256> MakeClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kIdStart | kIdCont;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kIdStart | kIdCont;
  t['_'] = kIdStart | kIdCont;
  for (int c = '0'; c <= '9'; ++c) t[c] = kIdCont | kDecDigit;
  for (unsigned char c : std::string_view("()[]{},:;.-=+*/%@!<>?\"#")) t[c] = kPunctStart;
  for (unsigned char c : std::string_view(" \t\f\v\r\n")) t[c] = kBlank;
  return t;
}
constexpr std::array<uint8_t, 256> kClasses = MakeClasses();

inline bool IsIdStart(char c) { return kClasses[static_cast<unsigned char>(c)] & kIdStart; }
inline bool IsIdCont(char c) { return kClasses[static_cast<unsigned char>(c)] & kIdCont; }
inline bool IsDigit(char c) { return kClasses[static_cast<unsigned char>(c)] & kDecDigit; }

// Value of an alphanumeric digit (0-9, a-z, A-Z -> 0..35); 99 for anything else.
inline int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

Tok KeywordOrIdentifier(std::string_view s) {
  switch (s.size()) {
    case 2:
      if (s == "fn") return Tok::kFn;
      if (s == "if") return Tok::kIf;
      if (s == "in") return Tok::kIn;
      if (s == "or") return Tok::kOr;
      break;
    case 3:
      if (s == "let") return Tok::kLet;
      if (s == "for") return Tok::kFor;
      if (s == "and") return Tok::kAnd;
      if (s == "not") return Tok::kNot;
      break;
    case 4:
      if (s == "else") return Tok::kElse;
      if (s == "true") return Tok::kTrue;
      break;
    case 5:
      if (s == "layer") return Tok::kLayer;
      if (s == "while") return Tok::kWhile;
      if (s == "model") return Tok::kModel;
      if (s == "false") return Tok::kFalse;
      break;
    case 6:
      if (s == "return") return Tok::kReturn;
      if (s == "import") return Tok::kImport;
      break;
    default:
      break;
  }
  return Tok::kIdentifier;
}

// A newline right after one of these continues the statement (lexer.h). `>` is deliberately
// absent: it also closes a type (`let w: Tensor<float32, [4]>` at the end of a line), so a
// newline after it is emitted and the parser skips it after a comparison `>`.
bool IsContinuation(Tok t) {
  switch (t) {
    case Tok::kPlus:
    case Tok::kMinus:
    case Tok::kStar:
    case Tok::kStarStar:
    case Tok::kSlash:
    case Tok::kPercent:
    case Tok::kAt:
    case Tok::kEqEq:
    case Tok::kNotEq:
    case Tok::kLess:
    case Tok::kLessEq:
    case Tok::kGreaterEq:
    case Tok::kAmpAmp:
    case Tok::kPipePipe:
    case Tok::kAnd:
    case Tok::kOr:
    case Tok::kComma:
    case Tok::kLParen:
    case Tok::kLBracket:
    case Tok::kLBrace:
    case Tok::kArrow:
    case Tok::kAssign:
    case Tok::kColon:
    case Tok::kNewline:
      return true;
    default:
      return false;
  }
}

// Keywords that can only start a statement. A newline before one of them is never suppressed
// (and closes any unclosed `(`/`[` of the previous lines), so an unclosed bracket costs one
// diagnostic instead of swallowing the rest of the file.
bool IsStatementKeyword(Tok t) {
  switch (t) {
    case Tok::kLet:
    case Tok::kLayer:
    case Tok::kFn:
    case Tok::kModel:
    case Tok::kImport:
    case Tok::kReturn:
    case Tok::kWhile:
      return true;
    default:
      return false;
  }
}

// `text` for a message: short literals verbatim, long ones cut with their length.
std::string Abbrev(std::string_view text) {
  if (text.size() <= 40) return std::string(text);
  return std::string(text.substr(0, 24)) + "... (" + std::to_string(text.size()) + " characters)";
}

// Length of the well-formed UTF-8 sequence at s[i] (2..4), or 0 if there is none.
size_t Utf8Length(std::string_view s, size_t i, uint32_t* cp) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  size_t len;
  uint32_t v;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2, v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3, v = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4, v = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b(i + k) & 0x3F);
  }
  if ((len == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) || (len == 4 && v < 0x10000) ||
      v > 0x10FFFF) {
    return 0;
  }
  *cp = v;
  return len;
}

// "unknown character '$'", "unknown character 'é' (U+00E9)", "unknown characters '\x00\xff'".
std::string DescribeBadRun(std::string_view run) {
  std::string shown;
  size_t chars = 0;
  uint32_t last_cp = 0;
  bool truncated = false;
  for (size_t i = 0; i < run.size();) {
    if (chars == 16) {
      truncated = true;
      break;
    }
    unsigned char c = static_cast<unsigned char>(run[i]);
    uint32_t cp = 0;
    size_t len = Utf8Length(run, i, &cp);
    if (len > 0) {
      shown.append(run.substr(i, len));
      last_cp = cp;
      i += len;
    } else {
      if (c >= 0x21 && c < 0x7F) {
        shown += static_cast<char>(c);
      } else {
        static const char kHex[] = "0123456789abcdef";
        shown += "\\x";
        shown += kHex[c >> 4];
        shown += kHex[c & 15];
      }
      last_cp = 0;
      i += 1;
    }
    ++chars;
  }
  std::string msg = chars == 1 ? "unknown character '" : "unknown characters '";
  msg += shown;
  msg += truncated ? "...'" : "'";
  if (chars == 1 && last_cp >= 0x80) {
    char buf[16];
    std::snprintf(buf, sizeof buf, " (U+%04X)", static_cast<unsigned>(last_cp));
    msg += buf;
  }
  return msg;
}

enum class Bracket : uint8_t { kParen, kSquare, kBrace };

class Lexer {
 public:
  Lexer(std::string_view src, FileId file, DiagEngine& diags)
      : src_(src), n_(src.size()), file_(file), diags_(diags) {}

  std::vector<Token> Run() {
    out_.reserve(n_ / 4 + 16);
    while (pos_ < n_) Step();
    Push(Tok::kEof, n_, n_);
    return std::move(out_);
  }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  SourceRange Range(size_t b, size_t e) const {
    return {file_, static_cast<uint32_t>(b), static_cast<uint32_t>(e)};
  }
  char At(size_t i) const { return i < n_ ? src_[i] : '\0'; }
  void Report(Kind k, size_t b, size_t e, std::string msg) {
    diags_.Report(k, Range(b, e), std::move(msg));
  }

  // Emits the pending newline if the rules of lexer.h keep it, then the token [b, e).
  Token& Push(Tok kind, size_t b, size_t e) {
    FlushNewline(kind);
    Token& t = out_.emplace_back();
    t.kind = kind;
    t.range = Range(b, e);
    t.text = src_.substr(b, e - b);
    t.space_before = space_before_;
    space_before_ = false;
    last_ = kind;
    return t;
  }

  void NoteNewline(size_t at, size_t len) {
    if (nl_at_ == kNone) nl_at_ = at, nl_len_ = len;
    space_before_ = false;
  }

  void FlushNewline(Tok next) {
    if (nl_at_ == kNone) return;
    size_t at = nl_at_;
    nl_at_ = kNone;
    if (out_.empty() || last_ == Tok::kNewline) return;
    bool in_brackets = !stack_.empty() && stack_.back() != Bracket::kBrace;
    bool suppress = in_brackets || IsContinuation(last_);
    if (suppress && IsStatementKeyword(next) && last_ != Tok::kLBrace) {
      UnwindToBrace();
      suppress = false;
    }
    if (suppress) return;
    Token& t = out_.emplace_back();
    t.kind = Tok::kNewline;
    t.range = Range(at, at + nl_len_);
    t.text = src_.substr(at, nl_len_);
    last_ = Tok::kNewline;
  }

  void Open(Bracket b) {
    stack_.push_back(b);
    ++open_[static_cast<int>(b)];
  }
  void PopOne() {
    --open_[static_cast<int>(stack_.back())];
    stack_.pop_back();
  }
  // A closer pops up to and including its opener if one is open (so a missing closer of another
  // kind in between is forgotten). A `)` or `]` with no opener of its kind closes an open `(` or
  // `[` on top (a mistyped closer, as in `[1, 2)`); otherwise nothing changes. Amortized O(1).
  void Close(Bracket b) {
    if (open_[static_cast<int>(b)] == 0) {
      if (b != Bracket::kBrace && !stack_.empty() && stack_.back() != Bracket::kBrace) PopOne();
      return;
    }
    while (stack_.back() != b) PopOne();
    PopOne();
  }
  void UnwindToBrace() {
    while (!stack_.empty() && stack_.back() != Bracket::kBrace) PopOne();
  }

  void Single(Tok k) {
    Push(k, pos_, pos_ + 1);
    pos_ += 1;
  }
  void Double(Tok k) {
    Push(k, pos_, pos_ + 2);
    pos_ += 2;
  }

  bool PrevEndsOperand() const {
    if (out_.empty() || nl_at_ != kNone) return false;
    switch (last_) {
      case Tok::kIdentifier:
      case Tok::kInteger:
      case Tok::kFloat:
      case Tok::kString:
      case Tok::kRParen:
      case Tok::kRBracket:
      case Tok::kTrue:
      case Tok::kFalse:
        return true;
      default:
        return false;
    }
  }

  void Step() {
    char c = src_[pos_];
    switch (c) {
      case ' ':
      case '\t':
      case '\f':
      case '\v':
        ++pos_;
        space_before_ = true;
        return;
      case '\r':
        if (At(pos_ + 1) == '\n') {
          NoteNewline(pos_, 2);
          pos_ += 2;
        } else {
          ++pos_;
          space_before_ = true;
        }
        return;
      case '\n':
        NoteNewline(pos_, 1);
        ++pos_;
        return;
      case '#':
        SkipLineComment();
        return;
      case '/':
        if (At(pos_ + 1) == '/') return SkipLineComment();
        if (At(pos_ + 1) == '*') return SkipBlockComment();
        return Single(Tok::kSlash);
      case '(':
        Single(Tok::kLParen);
        return Open(Bracket::kParen);
      case ')':
        Single(Tok::kRParen);
        return Close(Bracket::kParen);
      case '[':
        Single(Tok::kLBracket);
        return Open(Bracket::kSquare);
      case ']':
        Single(Tok::kRBracket);
        return Close(Bracket::kSquare);
      case '{':
        Single(Tok::kLBrace);
        return Open(Bracket::kBrace);
      case '}':
        Single(Tok::kRBrace);
        return Close(Bracket::kBrace);
      case ',':
        return Single(Tok::kComma);
      case ':':
        return Single(Tok::kColon);
      case ';':
        return Single(Tok::kSemicolon);
      case '+':
        return Single(Tok::kPlus);
      case '%':
        return Single(Tok::kPercent);
      case '@':
        return Single(Tok::kAt);
      case '?':
        return Single(Tok::kQuestion);
      case '-':
        return At(pos_ + 1) == '>' ? Double(Tok::kArrow) : Single(Tok::kMinus);
      case '*':
        return At(pos_ + 1) == '*' ? Double(Tok::kStarStar) : Single(Tok::kStar);
      case '=':
        return At(pos_ + 1) == '=' ? Double(Tok::kEqEq) : Single(Tok::kAssign);
      case '!':
        return At(pos_ + 1) == '=' ? Double(Tok::kNotEq) : Single(Tok::kBang);
      case '<':
        return At(pos_ + 1) == '=' ? Double(Tok::kLessEq) : Single(Tok::kLess);
      case '>':
        return At(pos_ + 1) == '=' ? Double(Tok::kGreaterEq) : Single(Tok::kGreater);
      case '&':
        return At(pos_ + 1) == '&' ? Double(Tok::kAmpAmp) : LexBadRun();
      case '|':
        return At(pos_ + 1) == '|' ? Double(Tok::kPipePipe) : LexBadRun();
      case '"':
        return LexString();
      case '.':
        if (IsDigit(At(pos_ + 1)) && !PrevEndsOperand()) return LexNumber();
        return Single(Tok::kDot);
      default:
        if (IsDigit(c)) return LexNumber();
        if (IsIdStart(c)) return LexIdentifier();
        return LexBadRun();
    }
  }

  // `#` or `//` to the end of the line; the line terminator is left for Step.
  void SkipLineComment() {
    const void* nl = std::memchr(src_.data() + pos_, '\n', n_ - pos_);
    pos_ = nl ? static_cast<size_t>(static_cast<const char*>(nl) - src_.data()) : n_;
    if (pos_ < n_ && pos_ > 0 && src_[pos_ - 1] == '\r') --pos_;
    space_before_ = true;
  }

  // `/* ... */`, not nested. A comment that spans lines acts as one newline.
  void SkipBlockComment() {
    size_t b = pos_;
    pos_ += 2;
    while (pos_ < n_) {
      const void* star = std::memchr(src_.data() + pos_, '*', n_ - pos_);
      size_t end = star ? static_cast<size_t>(static_cast<const char*>(star) - src_.data()) : n_;
      const void* nl = std::memchr(src_.data() + pos_, '\n', end - pos_);
      if (nl) NoteNewline(static_cast<size_t>(static_cast<const char*>(nl) - src_.data()), 1);
      if (!star) break;
      if (At(end + 1) == '/') {
        pos_ = end + 2;
        space_before_ = true;
        return;
      }
      pos_ = end + 1;
    }
    pos_ = n_;
    Report(Kind::kUnterminatedComment, b, b + 2, "unterminated block comment");
  }

  void LexIdentifier() {
    size_t b = pos_;
    while (pos_ < n_ && IsIdCont(src_[pos_])) ++pos_;
    Push(KeywordOrIdentifier(src_.substr(b, pos_ - b)), b, pos_);
  }

  bool IsBadStart(size_t i) const {
    char c = src_[i];
    if (kClasses[static_cast<unsigned char>(c)] != 0) return false;
    if (c == '&') return At(i + 1) != '&';
    if (c == '|') return At(i + 1) != '|';
    return true;
  }

  // A run of bytes that cannot start a token: one diagnostic and one kError token.
  void LexBadRun() {
    size_t b = pos_;
    do {
      ++pos_;
    } while (pos_ < n_ && IsBadStart(pos_));
    std::string_view run = src_.substr(b, pos_ - b);
    Report(Kind::kUnknownCharacter, b, pos_, DescribeBadRun(run));
    Push(Tok::kError, b, pos_);
  }

  size_t SkipDigits(size_t i) const {
    while (i < n_ && (IsDigit(src_[i]) || src_[i] == '_')) ++i;
    return i;
  }

  // A `_` separator must sit between two digits (or right after a base prefix).
  static bool SeparatorsOk(std::string_view digits, bool prefixed) {
    auto is_digit = [&](char c) { return prefixed ? c != '_' && IsIdCont(c) : IsDigit(c); };
    for (size_t i = 0; i < digits.size(); ++i) {
      if (digits[i] != '_') continue;
      bool prev_ok = i == 0 ? prefixed : is_digit(digits[i - 1]);
      bool next_ok = i + 1 < digits.size() && is_digit(digits[i + 1]);
      if (!prev_ok || !next_ok) return false;
    }
    return true;
  }

  void LexNumber() {
    size_t b = pos_;
    if (src_[b] == '0') {
      switch (At(b + 1)) {
        case 'x':
        case 'X':
          return LexPrefixed(16, "hexadecimal");
        case 'b':
        case 'B':
          return LexPrefixed(2, "binary");
        case 'o':
        case 'O':
          return LexPrefixed(8, "octal");
        default:
          break;
      }
    }
    bool is_float = false;
    size_t int_end = SkipDigits(b);
    pos_ = int_end;
    if (At(pos_) == '.' && IsDigit(At(pos_ + 1))) {
      is_float = true;
      pos_ = SkipDigits(pos_ + 1);
    } else if (At(pos_) == '.' && pos_ > b && !IsIdCont(At(pos_ + 1)) && At(pos_ + 1) != '.') {
      is_float = true;  // `1.`
      pos_ += 1;
    }
    if (At(pos_) == 'e' || At(pos_) == 'E') {
      size_t p = pos_ + 1;
      if (At(p) == '+' || At(p) == '-') ++p;
      if (IsDigit(At(p))) {
        is_float = true;
        pos_ = SkipDigits(p);
      }
    }
    size_t end = pos_;
    while (pos_ < n_ && IsIdCont(src_[pos_])) ++pos_;  // a suffix, reported below
    std::string_view text = src_.substr(b, pos_ - b);
    Token& t = Push(is_float ? Tok::kFloat : Tok::kInteger, b, pos_);
    if (pos_ != end) {
      std::string_view suffix = src_.substr(end, pos_ - end);
      if (suffix[0] == 'e' || suffix[0] == 'E') {
        Report(Kind::kBadNumber, b, pos_,
               "missing exponent digits in number literal '" + Abbrev(text) + "'");
      } else {
        Report(Kind::kBadNumber, b, pos_,
               "invalid suffix '" + Abbrev(suffix) + "' on number literal '" + Abbrev(text) + "'");
      }
      return;
    }
    if (!SeparatorsOk(text, false)) {
      Report(Kind::kBadNumber, b, pos_,
             "misplaced '_' separator in number literal '" + Abbrev(text) + "'");
      return;
    }
    if (is_float) {
      t.float_value = ParseFloat(text, b);
      return;
    }
    uint64_t v = 0;
    constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    for (char c : text) {
      if (c == '_') continue;
      uint64_t d = static_cast<uint64_t>(c - '0');
      if (v > (kMax - d) / 10) {
        Report(Kind::kIntegerOverflow, b, pos_,
               "integer literal " + Abbrev(text) + " does not fit in 64 bits");
        return;
      }
      v = v * 10 + d;
    }
    t.int_value = static_cast<int64_t>(v);
  }

  double ParseFloat(std::string_view text, size_t b) {
    scratch_.clear();
    for (char c : text) {
      if (c != '_') scratch_ += c;
    }
    double v = 0.0;
    auto [ptr, ec] = std::from_chars(scratch_.data(), scratch_.data() + scratch_.size(), v);
    if (ec == std::errc()) return v;
    // Out of range: an underflow rounds to zero silently, an overflow is an error.
    double approx = std::strtod(scratch_.c_str(), nullptr);
    if (approx == HUGE_VAL || ec != std::errc::result_out_of_range) {
      Report(Kind::kBadNumber, b, pos_, "float literal " + Abbrev(text) + " is out of range");
      return 0.0;
    }
    return approx;
  }

  // `0x`, `0b`, `0o` literals. The whole alphanumeric run is one token; bad digits are errors.
  void LexPrefixed(int base, const char* base_name) {
    size_t b = pos_;
    pos_ = b + 2;
    while (pos_ < n_ && IsIdCont(src_[pos_])) ++pos_;
    std::string_view text = src_.substr(b, pos_ - b);
    std::string_view digits = text.substr(2);
    std::string_view prefix = text.substr(0, 2);
    Token& t = Push(Tok::kInteger, b, pos_);
    if (digits.find_first_not_of('_') == std::string_view::npos) {
      Report(Kind::kBadNumber, b, pos_,
             "expected " + std::string(base_name) + " digits after '" + std::string(prefix) + "'");
      return;
    }
    for (char c : digits) {
      if (c != '_' && DigitValue(c) >= base) {
        Report(Kind::kBadNumber, b, pos_,
               std::string("invalid digit '") + c + "' in " + base_name + " literal '" +
                   Abbrev(text) + "'");
        return;
      }
    }
    if (!SeparatorsOk(digits, true)) {
      Report(Kind::kBadNumber, b, pos_,
             "misplaced '_' separator in number literal '" + Abbrev(text) + "'");
      return;
    }
    uint64_t v = 0;
    constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    for (char c : digits) {
      if (c == '_') continue;
      uint64_t d = static_cast<uint64_t>(DigitValue(c));
      if (v > (kMax - d) / static_cast<uint64_t>(base)) {
        Report(Kind::kIntegerOverflow, b, pos_,
               "integer literal " + Abbrev(text) + " does not fit in 64 bits");
        return;
      }
      v = v * static_cast<uint64_t>(base) + d;
    }
    t.int_value = static_cast<int64_t>(v);
  }

  // `"..."` with the escapes \n \t \\ \". A string ends at its line: an unterminated one is
  // reported at the opening quote and still yields a kString token with what was read.
  void LexString() {
    size_t b = pos_;
    ++pos_;
    std::string value;
    bool closed = false;
    while (pos_ < n_) {
      char c = src_[pos_];
      if (c == '"') {
        ++pos_;
        closed = true;
        break;
      }
      if (c == '\n' || (c == '\r' && At(pos_ + 1) == '\n')) break;
      if (c != '\\') {
        value += c;
        ++pos_;
        continue;
      }
      char e = At(pos_ + 1);
      if (pos_ + 1 >= n_ || e == '\n' || (e == '\r' && At(pos_ + 2) == '\n')) {
        ++pos_;
        break;
      }
      switch (e) {
        case 'n':
          value += '\n';
          break;
        case 't':
          value += '\t';
          break;
        case '\\':
          value += '\\';
          break;
        case '"':
          value += '"';
          break;
        default: {
          uint32_t cp = 0;
          size_t len = Utf8Length(src_, pos_ + 1, &cp);
          if (len == 0) len = 1;
          std::string shown(src_.substr(pos_ + 1, len));
          unsigned char u = static_cast<unsigned char>(e);
          if (len == 1 && (u < 0x21 || u >= 0x7F)) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "x%02x", u);
            shown = buf;
          }
          Report(Kind::kBadEscape, pos_, pos_ + 1 + len,
                 "unknown escape sequence '\\" + shown + "' in string literal");
          value.append(src_.substr(pos_ + 1, len));
          pos_ += len - 1;
          break;
        }
      }
      pos_ += 2;
    }
    if (!closed) Report(Kind::kUnterminatedString, b, pos_, "unterminated string literal");
    Token& t = Push(Tok::kString, b, pos_);
    t.str_value = std::move(value);
  }

  std::string_view src_;
  size_t n_;
  FileId file_;
  DiagEngine& diags_;
  size_t pos_ = 0;
  std::vector<Token> out_;
  Tok last_ = Tok::kNewline;
  bool space_before_ = false;
  size_t nl_at_ = kNone;  // offset of the first newline since the last token
  size_t nl_len_ = 0;
  std::vector<Bracket> stack_;  // open brackets, innermost last
  int open_[3] = {0, 0, 0};     // how many of each kind are on stack_
  std::string scratch_;
};

using base::AppendEscaped;

}  // namespace

std::vector<Token> Lex(const diag::SourceManager& sm, diag::FileId file, diag::DiagEngine& diags) {
  return Lexer(sm.file(file).text(), file, diags).Run();
}

void ViewTokensIn(std::vector<Token>& tokens, std::string_view text) {
  // Push and FlushNewline view src_[range.begin, range.end).
  for (Token& t : tokens) t.text = text.substr(t.range.begin, t.range.end - t.range.begin);
}

std::string DumpTokens(const diag::SourceManager& sm, const std::vector<Token>& tokens) {
  std::string out;
  out.reserve(tokens.size() * 24);
  for (const Token& t : tokens) {
    if (t.range.valid() && static_cast<size_t>(t.range.file) < sm.size()) {
      diag::LineCol lc = sm.file(t.range.file).Resolve(t.range.begin);
      out += std::to_string(lc.line);
      out += ':';
      out += std::to_string(lc.column);
    } else {
      out += "?:?";
    }
    out += ' ';
    out += TokName(t.kind);
    out += " \"";
    AppendEscaped(out, t.text);
    out += "\"\n";
  }
  return out;
}

}  // namespace triton::lang
