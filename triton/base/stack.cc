#include "triton/base/stack.h"

#include <pthread.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <exception>
#include <utility>

namespace triton::base {

namespace {

// True while this thread runs on a large stack: a nested call runs in place.
thread_local bool t_on_large_stack = false;

// What a thread runs: the job, and the exception it threw (carried back to the caller).
struct ThreadJob {
  const std::function<void()>* fn;
  std::exception_ptr error;
};

void* Trampoline(void* arg) {
  t_on_large_stack = true;
  auto* job = static_cast<ThreadJob*>(arg);
  try {
    (*job->fn)();
  } catch (...) {
    job->error = std::current_exception();
  }
  return nullptr;
}

// Runs `fn` on a new thread; false if none could be created.
bool RunOnThread(const std::function<void()>& fn, size_t stack_bytes) {
  pthread_attr_t attr;
  pthread_t thread;
  if (pthread_attr_init(&attr) != 0) return false;
  ThreadJob job{&fn, nullptr};
  bool ok = pthread_attr_setstacksize(&attr, stack_bytes) == 0 &&
            pthread_create(&thread, &attr, Trampoline, &job) == 0;
  pthread_attr_destroy(&attr);
  if (!ok) return false;
  pthread_join(thread, nullptr);
  if (job.error) std::rethrow_exception(job.error);
  return true;
}

#if TRITON_STACK_SWITCH
// A large stack kept per thread and entered with swapcontext: the call runs on the caller's own
// thread. A thread per call cost ~0.2 ms (a 1 GiB mapping made and unmapped, its pages faulted
// in again, the allocator's thread heap started afresh, the result freed across threads): as
// much as compiling a small model. The mapping is made once per thread (pages are touched
// lazily) with a guard page below it, and unmapped when the thread exits.
class SwitchStack {
 public:
  ~SwitchStack() {
    // exit() called on this stack runs this destructor on it: the mapping is left to the exit.
    if (base_ && !t_on_large_stack) munmap(base_, bytes_);
  }
  // False if the stack cannot be mapped (the caller falls back to a thread).
  bool Run(const std::function<void()>& fn, size_t stack_bytes) {
    if (!Map(stack_bytes)) return false;
    ucontext_t callee;
    if (getcontext(&callee) != 0) return false;
    callee.uc_stack.ss_sp = static_cast<char*>(base_) + guard_;
    callee.uc_stack.ss_size = bytes_ - guard_;
    callee.uc_link = &caller_;
    fn_ = &fn;
    error_ = nullptr;
    makecontext(&callee, &SwitchStack::Entry, 0);
    t_on_large_stack = true;
    int rc = swapcontext(&caller_, &callee);
    t_on_large_stack = false;
    fn_ = nullptr;
    if (rc != 0) return false;
    Trim();
    // An exception may not unwind past the entry frame: it is carried across and rethrown here.
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    return true;
  }

 private:
  bool Map(size_t stack_bytes) {
    if (base_ && bytes_ >= stack_bytes) return true;
    if (base_) munmap(base_, bytes_);
    base_ = nullptr;
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    const size_t bytes = (stack_bytes + page - 1) / page * page + page;
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (p == MAP_FAILED) return false;
    if (mprotect(p, page, PROT_NONE) != 0) {  // the guard: an overflow faults, never corrupts
      munmap(p, bytes);
      return false;
    }
    base_ = p;
    bytes_ = bytes;
    guard_ = page;
    return true;
  }
  // Gives back the pages a deep call touched below the top kWarmBytes (kept: the usual depth), so
  // that one hostile input does not keep its stack resident for the thread's life. Cheap when
  // nothing is there: the kernel skips unpopulated page tables.
  void Trim() {
    constexpr size_t kWarmBytes = size_t{4} << 20;
    const size_t usable = bytes_ - guard_;
    if (usable > kWarmBytes) {
      madvise(static_cast<char*>(base_) + guard_, usable - kWarmBytes, MADV_DONTNEED);
    }
  }
  static void Entry();

  void* base_ = nullptr;
  size_t bytes_ = 0;
  size_t guard_ = 0;
  ucontext_t caller_{};
  const std::function<void()>* fn_ = nullptr;
  std::exception_ptr error_;
};

thread_local SwitchStack t_stack;

void SwitchStack::Entry() {
  try {
    (*t_stack.fn_)();
  } catch (...) {
    t_stack.error_ = std::current_exception();
  }
  // Returning resumes uc_link: the caller's context.
}
#endif

}  // namespace

void RunWithLargeStack(const std::function<void()>& fn, size_t stack_bytes) {
  if (t_on_large_stack) {
    fn();
    return;
  }
#if TRITON_STACK_SWITCH
  if (t_stack.Run(fn, stack_bytes)) return;
#endif
  if (RunOnThread(fn, stack_bytes)) return;
  fn();
}

}  // namespace triton::base
