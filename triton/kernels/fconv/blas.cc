// blas.h: OpenBLAS through dlopen. The function-pointer types come from cblas.h's own
// declarations (decltype names them without linking them), so they match the library's ABI.
#include "triton/kernels/fconv/blas.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace triton::kernels::fconv::blas {
namespace {

struct Api {
  decltype(&cblas_sgemm) sgemm = nullptr;
  decltype(&cblas_sgemv) sgemv = nullptr;
  decltype(&openblas_get_num_threads) get_threads = nullptr;
  decltype(&openblas_set_num_threads) set_threads = nullptr;
  std::string error;  // empty once loaded
};

// Resolves `name` into `out`; the first symbol missing becomes the error.
template <typename F>
void Bind(void* lib, const char* name, F* out, std::string* error) {
  *out = reinterpret_cast<F>(::dlsym(lib, name));
  if (!*out && error->empty()) error->assign(std::string("OpenBLAS has no symbol ") + name);
}

const Api& TheApi() {
  static const Api api = [] {
    Api a;
    void* lib = nullptr;
    std::string tried;
    for (const char* name : {TRITON_OPENBLAS_SONAME, TRITON_OPENBLAS_PATH}) {
      lib = ::dlopen(name, RTLD_NOW | RTLD_LOCAL);
      if (lib) break;
      const char* why = ::dlerror();
      tried += std::string(tried.empty() ? "" : "; ") + (why ? why : name);
    }
    if (!lib) {
      a.error = "cannot load OpenBLAS, which FP32 layers need (install libopenblas0): " + tried;
      return a;
    }
    Bind(lib, "cblas_sgemm", &a.sgemm, &a.error);
    Bind(lib, "cblas_sgemv", &a.sgemv, &a.error);
    Bind(lib, "openblas_get_num_threads", &a.get_threads, &a.error);
    Bind(lib, "openblas_set_num_threads", &a.set_threads, &a.error);
    return a;  // the library stays loaded for the life of the process
  }();
  return api;
}

const Api& Need() {
  const Api& a = TheApi();
  if (!a.error.empty()) {
    std::fprintf(stderr, "triton: %s\n", a.error.c_str());
    std::exit(1);
  }
  return a;
}

}  // namespace

Status Load() {
  const Api& a = TheApi();
  return a.error.empty() ? Status() : Status::Error(a.error);
}

void Sgemm(CBLAS_ORDER order, CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k,
           float alpha, const float* a, int lda, const float* b, int ldb, float beta, float* c,
           int ldc) {
  Need().sgemm(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void Sgemv(CBLAS_ORDER order, CBLAS_TRANSPOSE t, int m, int n, float alpha, const float* a, int lda,
           const float* x, int incx, float beta, float* y, int incy) {
  Need().sgemv(order, t, m, n, alpha, a, lda, x, incx, beta, y, incy);
}

int GetNumThreads() { return Need().get_threads(); }
void SetNumThreads(int threads) { Need().set_threads(threads); }

}  // namespace triton::kernels::fconv::blas
