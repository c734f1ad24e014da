{
  "targets": [
    {
      "target_name": "focus_kernels",
      "sources": ["src/addon.cc", "src/gemm.cc", "src/conv.cc", "src/pool.cc", "src/reduce.cc", "src/sgd.cc", "src/batch-norm.cc", "src/thread-pool.cc", "src/elementwise.cc", "src/winograd.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-exceptions", "-ffp-contract=off", "-pthread"],
      "ldflags": ["-pthread"],
      "cflags_cc!": ["-fno-rtti"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
