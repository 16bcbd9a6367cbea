#!/usr/bin/env python3
"""Seeds for fuzz_frontend (python3, standard library only).

  fuzz/make_seeds.py corpus        rewrite fuzz/corpus/ (committed; small): the project's .tri
                                   files (imports inlined, so each seed stands alone) and
                                   hand-made hostile seeds
  fuzz/make_seeds.py big OUTDIR    write the big hostile seeds (too big to commit, larger than the
                                   fuzzer's -max_len) into OUTDIR; scripts/fuzz.sh replays them
                                   once and adds them to the run

Deterministic: the same tree gives the same files.
"""
import pathlib
import random
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
MAX_CORPUS_BYTES = 2 << 20

IMPORT_RE = re.compile(r'^\s*import\s+"([^"]+)"\s*$', re.M)


def inline_imports(path, seen=None):
    """The file's text with every `import "x.tri"` beside it replaced by that file's text."""
    seen = seen if seen is not None else set()
    seen.add(path.resolve())
    text = path.read_text(encoding="utf-8")

    def repl(m):
        target = (path.parent / m.group(1)).resolve()
        if target in seen or not target.is_file():
            return m.group(0)
        return inline_imports(target, seen)

    return IMPORT_RE.sub(repl, text)


def project_seeds():
    """name -> bytes for every .tri file of the project."""
    seeds = {}
    sources = sorted(ROOT.glob("models/*.tri"))
    sources += [ROOT / "triton/lang/check/prelude.tri"]
    for pattern in ("triton/lang/parse/testdata/**/*.tri", "triton/lang/check/testdata/**/*.tri",
                    "tests/**/*.tri"):
        sources += sorted(ROOT.glob(pattern))
    for src in sources:
        if not src.is_file():
            continue
        rel = src.relative_to(ROOT).as_posix()
        name = re.sub(r"[^A-Za-z0-9_.]", "_", rel.removesuffix(".tri")) + ".tri"
        seeds[name] = inline_imports(src).encode("utf-8")
    return seeds


MLP = """layer Mlp(hidden: int = 16) {
  let fc1 = TernaryLinear(8, hidden)
  let fc2 = Linear(hidden, 4)
  fn forward(x: Tensor[N, 8]) -> Tensor[N, 4] {
    return fc2(relu(fc1(x)))
  }
}
model mlp = Mlp()
"""


def nest(open_, middle, close, depth):
    return open_ * depth + middle + close * depth


def hostile_seeds():
    """name -> bytes: small hand-made inputs aimed at limits and edge cases."""
    s = {}
    s["hostile_parens_20000.tri"] = ("let x = " + nest("(", "1", ")", 20000) + "\n").encode()
    s["hostile_integer_5000_digits.tri"] = ("let x = " + "9" * 5000 + "\n").encode()
    s["hostile_integers.tri"] = (
        "let a = 9223372036854775807\nlet b = 9223372036854775808\nlet c = -9223372036854775808\n"
        "let d = 0xFFFFFFFFFFFFFFFFF\nlet e = 0b\nlet f = 0x_\nlet g = 1__0\nlet h = 1e999999\n"
        "let i = .5e-999\nlet j = 0o78\nlet k = 1.2.3\nlet l = 1e\n").encode()
    s["hostile_arith.tri"] = (
        "let a = 9223372036854775807 + 1\nlet b = (-9223372036854775807 - 1) / -1\n"
        "let c = (-9223372036854775807 - 1) % -1\nlet d = 1 / 0\nlet e = 1 % 0\nlet f = 2 ** 63\n"
        "let g = 2 ** -1\nlet h = 0 ** -1\nlet i = 3 ** 99999999999\nlet j = 1.0 / 0.0\n"
        "let k = -(-9223372036854775807 - 1)\nlet l = [1, 2][9223372036854775807]\n"
        "let m = [1, 2][-9223372036854775807 - 1]\nlet n = \"a\" * 9223372036854775807\n"
        "let o = [0] * -1\nlet p = 1e308 * 1e308\nlet q = int(1e300)\n").encode()
    s["hostile_nul_bytes.tri"] = b"let x\x00 = 1\x00\x00\nlayer \x00L() {}\n\"\x00\"\n" + b"\x00" * 64
    s["hostile_crlf.tri"] = MLP.replace("\n", "\r\n").encode() + b"\r\r\n\rlet y = 1\r"
    s["hostile_utf8.tri"] = (
        "# comment: ternär ünïcödé \u2603 \U0001F600\n"
        "let caf\u00e9 = 1\nlet x = \"\u65e5\u672c\u8a9e \U0001F600\"\n"
        "let \u03c0 = 3.14\n\ufeff let y = 2\n/* \u2028 \u2029 */\n").encode("utf-8") + (
        b"let z = \"\xff\xfe\xc0\x80\xed\xa0\x80\"\n\xef\xbb\xbflet w = 1\n\xc3")
    s["hostile_bom_mlp.tri"] = b"\xef\xbb\xbf" + MLP.encode()
    s["hostile_strings.tri"] = (
        'let a = "\\n\\t\\\\\\""\nlet b = "\\q\\x00\\u1234"\nlet c = "unterminated\n'
        'let d = "\\\n/* unterminated comment\n').encode()
    s["hostile_deep_blocks.tri"] = (
        "layer L() {\n" + nest("if true {\n", "let x = 1\n", "}\n", 2000) +
        "fn forward(x: Tensor[N, 4]) -> Tensor[N, 4] {\n" + nest("if true {\n", "", "}\n", 500) +
        "return x\n}\n}\nmodel m = L()\n").encode()
    s["hostile_deep_lists.tri"] = ("let x = " + nest("[", "1", "]", 5000) + "\n"
                                   "let y = " + "[" * 5000 + "\n").encode()
    s["hostile_deep_types.tri"] = (
        "let x: " + nest("[", "int", "]", 3000) + " = 1\n"
        "fn f(a: " + "Tensor<" * 1000 + ") -> int { return 1 }\n"
        "let t: Tensor<float32, [" + nest("[", "1", "]", 1000) + "]> = 1\n").encode()
    s["hostile_deep_calls.tri"] = (
        "fn f(x: int) -> int { return x }\nlet y = " + nest("f(", "1", ")", 3000) + "\n"
        "let z = a" + ".b" * 5000 + "\nlet w = g" + "()" * 5000 + "\n"
        "let v = " + "-" * 5000 + "1\nlet u = " + "not " * 3000 + "true\n"
        "let s = " + "2 ** " * 3000 + "1\nlet r = " + "1 + " * 5000 + "1\n").encode()
    s["hostile_recursive_layer.tri"] = b"""layer A(n: int = 0) {
  let a = A(n + 1)
  fn forward(x: Tensor[N, 4]) -> Tensor[N, 4] {
    return a(x)
  }
}
layer B() {
  let c = C()
  fn forward(x: Tensor[N, 4]) -> Tensor[N, 4] { return c(x) }
}
layer C() {
  let b = B()
  fn forward(x: Tensor[N, 4]) -> Tensor[N, 4] { return b(x) }
}
layer D() {
  fn forward(x: Tensor[N, 4]) -> Tensor[N, 4] { return forward(x) }
}
model a = A()
model b = B()
model d = D()
"""
    s["hostile_recursive_fn.tri"] = b"""fn f(n: int) -> int { return f(n + 1) }
fn g(n: int) -> int { return h(n) }
fn h(n: int) -> int { return g(n) }
fn fib(n: int) -> int { return n if n < 2 else fib(n - 1) + fib(n - 2) }
layer L(k: int = f(0)) {
  let w = fib(40)
  fn forward(x: Tensor[N, 4]) -> Tensor[N, 4] { return x }
}
model m = L()
model n = L(k=g(1))
"""
    # Loops: one runaway loop per seed (each costs up to 2,000,000 elaboration steps).
    s["hostile_while_true.tri"] = b"""layer Spin() {
  while true {}
  fn forward(x: Tensor[N, 4]) -> Tensor[N, 4] { return x }
}
model spin = Spin()
"""
    s["hostile_huge_ranges.tri"] = b"""layer Big() {
  let n = 0
  for i in range(10**9) {
    n = n + 1
  }
  let xs = [i for i in range(10**9)]
  let ys = [0] * 10**9
  fn forward(x: Tensor[N, 4]) -> Tensor[N, 4] {
    for i in range(10**9) { x = relu(x) }
    return x
  }
}
for i in range(10**9) {}
model big = Big()
"""
    s["hostile_nested_comprehension.tri"] = (
        b"let zs = [[j for j in range(100000)] for i in range(100000)]\n")
    s["hostile_many_layers.tri"] = b"""layer Layers() {
  let ls = [Linear(4, 4) for i in range(2000)]
  fn forward(x: Tensor[N, 4]) -> Tensor[N, 4] {
    for l in ls { x = l(x) }
    return x
  }
}
model layers = Layers()
"""
    s["hostile_shapes.tri"] = b"""layer Huge() {
  let w: TernaryTensor<trit, [9223372036854775807, 9223372036854775807]>
  let v: Tensor[4611686018427387904, 4]
  let fc = Linear(2**40, 2**40)
  let conv = Conv2d(2**31, 2**31, 2**20, stride=0, padding=-1, dilation=0, groups=0)
  fn forward(x: Tensor[N, 2**62, 2**62]) -> Tensor {
    let y = x @ w
    let z = reshape(x, [-1, -1])
    let t = TernaryTensor[2**40, 2**40](1, 0, -1)
    let u = TernaryTensor[0](2)
    let m = maxpool2d(conv(y), 2**40, stride=0)
    return flatten(m, start_dim=99)
  }
}
model huge = Huge()
"""
    s["hostile_imports.tri"] = (
        'import "input.tri"\nimport ""\nimport "/"\nimport "."\nimport "/nonexistent/x.tri"\n'
        'import "' + "../" * 100 + 'etc/hostname"\n' + MLP).encode()
    s["hostile_models.tri"] = (MLP + "model mlp = Mlp()\nmodel other = Mlp(hidden=0)\n"
                               "model neg = Mlp(hidden=-5)\nmodel str = Mlp(hidden=\"x\")\n"
                               "model notalayer = relu\nmodel m2 = 3\nmodel\nmodel =\n").encode()
    s["hostile_ternary.tri"] = b"""let t: trit = 2
let w = TernaryTensor[2, 2](1, 0, -1)
let v = TernaryTensor[2, 2](1, 0, -1, 1, 1)
let u = TernaryTensor[2, 2](2, 0, -1, 1)
let q: TernaryTensor<trit, [2, 2]> = ternary_quantize(1.5, threshold=-1.0, method="nope")
let r = trit(-1) * 300
layer T() {
  let w: TernaryTensor<trit, [4, 4]> = random_ternary(sparsity=2.0)
  fn forward(x: Tensor[N, 4]) -> TernaryTensor[N, 4] { return x @ w }
}
model t = T()
"""
    s["hostile_garbage_tokens.tri"] = (
        "$ ` ? ~ ^ & | \\ ' @@ ** ** -> -> => :: ;; ,, .. ... \x01\x02\x7f\n"
        "layer ( { [ < > ] } )\nfn fn fn\nlet let = let\nreturn return\nmodel model model\n"
        "}}}}]]]))))\n/* /* */ */\n// \\\n#").encode()
    s["hostile_empty.tri"] = b""
    s["hostile_only_newlines.tri"] = b"\n" * 1000
    s["hostile_top_return.tri"] = b"return\nreturn 1\nreturn return\nlet x = 1\nreturn x\n"
    return s


def write_corpus():
    seeds = project_seeds()
    seeds.update(hostile_seeds())
    total = sum(len(v) for v in seeds.values())
    if total > MAX_CORPUS_BYTES:
        sys.exit(f"make_seeds: corpus would be {total} bytes, over {MAX_CORPUS_BYTES}")
    CORPUS.mkdir(parents=True, exist_ok=True)
    for old in CORPUS.iterdir():
        if old.is_file() and old.name not in seeds:
            old.unlink()
    for name, data in sorted(seeds.items()):
        (CORPUS / name).write_bytes(data)
    print(f"make_seeds: {len(seeds)} seeds, {total} bytes in {CORPUS.relative_to(ROOT)}")


def big_seeds():
    """name -> bytes: the hostile inputs too big to commit."""
    rng = random.Random(20240601)
    s = {}
    ident = "a" * 200000
    s["big_identifier_200000.tri"] = f"let {ident} = 1\nlet y = {ident} + {ident}\n".encode()
    s["big_brackets_100000.tri"] = ("let x = " + "[" * 100000 + "\n").encode()
    s["big_brackets_closed_100000.tri"] = ("let x = " + nest("[", "1", "]", 100000) + "\n").encode()
    s["big_blocks_20000.tri"] = ("layer L() {\n" + nest("if true {\n", "", "}\n", 20000) +
                                 "}\n").encode()
    s["big_braces_100000.tri"] = b"{" * 100000
    s["big_unary_100000.tri"] = ("let x = " + "-" * 100000 + "1\n").encode()
    s["big_sum_100000.tri"] = ("let x = " + "1 + " * 100000 + "1\n").encode()
    s["big_random_10mb.bin"] = rng.randbytes(10 << 20)
    return s


def write_big(out):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    seeds = big_seeds()
    for name, data in seeds.items():
        (out / name).write_bytes(data)
    print(f"make_seeds: {len(seeds)} big seeds, {sum(map(len, seeds.values()))} bytes in {out}")


def main(argv):
    if len(argv) == 2 and argv[1] == "corpus":
        write_corpus()
    elif len(argv) == 3 and argv[1] == "big":
        write_big(argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
