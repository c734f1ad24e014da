{
  "targets": [
    {
      "target_name": "focus_kernels",
      "sources": ["src/addon.cc", "src/gemm.cc", "src/conv.cc", "src/pool.cc", "src/reduce.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-exceptions"],
      "cflags_cc!": ["-fno-rtti"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
