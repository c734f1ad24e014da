#pragma once

#include <functional>

namespace focus {

// A fixed pool of std::threads for the kernels. A call is cut into chunks whose boundaries depend only on
// the problem and the thread count; threads claim chunks as they come free (so a thread descheduled on a
// shared machine does not hold the others up), and any chunk's result lands in the same place whoever
// computes it. Reductions keep one partial per chunk and add them in chunk order. So results depend on
// the thread count but never on scheduling.
//
// Calls come from the JavaScript thread, which works on chunks too. A call made from inside a chunk (or
// while another call runs) runs its chunks on the calling thread, in order.
void setThreadCount(int n);
int threadCount();

// Runs fn(chunk) for every chunk in [0, chunks); returns when all have finished.
void runChunks(int chunks, const std::function<void(int)>& fn);

// [begin, end) of chunk t when n items are cut into `chunks` runs whose boundaries are multiples of `align`.
inline void chunkRange(long n, int chunks, int t, long align, long* begin, long* end) {
  const long units = (n + align - 1) / align;
  const long b = units * t / chunks * align, e = units * (t + 1) / chunks * align;
  *begin = b < n ? b : n;
  *end = e < n ? e : n;
}

// How many chunks to cut n items into: one per thread times `perThread`, but none with fewer than
// `minPerChunk` items, and a single chunk on one thread.
int chunksFor(long n, long minPerChunk, int perThread);

// n items cut by chunksFor(n, minPerChunk, 4) into aligned ranges: fn(begin, end) for each, in parallel.
// Only for work where the split cannot change the result (each output written by exactly one range).
void parallelRanges(long n, long minPerChunk, long align, const std::function<void(long, long)>& fn);
// The same with chunksFor(n, minPerChunk, perThread): fewer, larger chunks where every chunk pays a fixed cost
// (packing a large filter again).
void parallelRanges(long n, long minPerChunk, long align, int perThread, const std::function<void(long, long)>& fn);

}  // namespace focus
