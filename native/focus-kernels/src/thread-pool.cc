// A condition-variable pool rather than spinning workers: the machines Focus trains on are often shared
// with other workers, where spinning threads would steal the cores they wait for.
#include "thread-pool.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace focus {
namespace {

thread_local bool insideChunk = false;

class Pool {
 public:
  ~Pool() { resize(1); }

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  void resize(int n) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      ++generation_;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
    stopping_ = false;
    // A new worker must wait for the next call, not answer the generation that stopped its predecessors.
    const unsigned long current = generation_;
    for (int i = 1; i < n; ++i) workers_.emplace_back([this, current] { loop(current); });
  }

  void run(int chunks, const std::function<void(int)>& fn) {
    std::unique_lock<std::mutex> callLock(callMutex_, std::try_to_lock);
    if (!callLock.owns_lock() || chunks <= 1 || insideChunk || workers_.empty()) {
      for (int t = 0; t < chunks; ++t) fn(t);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &fn;
      chunks_ = chunks;
      next_.store(0);
      ++generation_;
    }
    wake_.notify_all();
    work(fn, chunks);
    std::unique_lock<std::mutex> lock(mutex_);
    // Workers that have not picked the job up yet must not start it once this call has returned.
    job_ = nullptr;
    done_.wait(lock, [this] { return active_ == 0; });
  }

 private:
  void work(const std::function<void(int)>& fn, int chunks) {
    insideChunk = true;
    for (int c = next_.fetch_add(1); c < chunks; c = next_.fetch_add(1)) fn(c);
    insideChunk = false;
  }

  void loop(unsigned long seen) {
    for (;;) {
      const std::function<void(int)>* job;
      int chunks;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_ != seen; });
        seen = generation_;
        if (stopping_) return;
        if (job_ == nullptr) continue;
        job = job_;
        chunks = chunks_;
        ++active_;
      }
      work(*job, chunks);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (--active_ == 0) done_.notify_one();
      }
    }
  }

  std::vector<std::thread> workers_;
  std::mutex callMutex_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* job_ = nullptr;
  int chunks_ = 0;
  std::atomic<int> next_{0};
  int active_ = 0;
  unsigned long generation_ = 0;
  bool stopping_ = false;
};

Pool& pool() {
  static Pool p;
  return p;
}

}  // namespace

void setThreadCount(int n) {
  if (n < 1) n = 1;
  if (n != pool().size()) pool().resize(n);
}

int threadCount() { return pool().size(); }

void runChunks(int chunks, const std::function<void(int)>& fn) { pool().run(chunks, fn); }

int chunksFor(long n, long minPerChunk, int perThread) {
  const int threads = threadCount();
  if (threads == 1 || n <= 0) return 1;
  const long byWork = minPerChunk > 0 ? n / minPerChunk : n;
  const long wanted = static_cast<long>(threads) * perThread;
  return static_cast<int>(byWork < 1 ? 1 : byWork < wanted ? byWork : wanted);
}

void parallelRanges(long n, long minPerChunk, long align, const std::function<void(long, long)>& fn) {
  parallelRanges(n, minPerChunk, align, 4, fn);
}

void parallelRanges(long n, long minPerChunk, long align, int perThread, const std::function<void(long, long)>& fn) {
  if (n <= 0) return;
  const int chunks = chunksFor(n, minPerChunk, perThread);
  runChunks(chunks, [&](int t) {
    long b, e;
    chunkRange(n, chunks, t, align, &b, &e);
    if (b < e) fn(b, e);
  });
}

}  // namespace focus
