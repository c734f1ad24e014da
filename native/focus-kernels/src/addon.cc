// N-API surface: each function takes Float32Array views (typically of the TF.js wasm heap) and checks
// every length against the geometry before touching memory, so a wrong call throws instead of writing
// out of bounds.
#include <node_api.h>

#include <cstdint>

#include "conv.h"
#include "elementwise.h"
#include "gemm.h"
#include "pool.h"
#include "reduce.h"
#include "sgd.h"
#include "batch-norm.h"
#include "thread-pool.h"
#include "winograd.h"

namespace {

constexpr int kGeometryFields = 13;

// Reads exactly n arguments, or throws `usage` and returns false.
bool readArgs(napi_env env, napi_callback_info info, size_t n, napi_value* argv, const char* usage) {
  size_t argc = n;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc != n) {
    napi_throw_type_error(env, nullptr, usage);
    return false;
  }
  return true;
}

bool floatArray(napi_env env, napi_value v, long minLength, float** data, const char* name) {
  napi_typedarray_type type;
  size_t length;
  void* ptr;
  napi_value buffer;
  size_t offset;
  bool isTyped = false;
  napi_is_typedarray(env, v, &isTyped);
  if (!isTyped || napi_get_typedarray_info(env, v, &type, &length, &ptr, &buffer, &offset) != napi_ok ||
      type != napi_float32_array) {
    napi_throw_type_error(env, nullptr, name);
    return false;
  }
  if (static_cast<long>(length) < minLength) {
    napi_throw_range_error(env, nullptr, name);
    return false;
  }
  *data = static_cast<float*>(ptr);
  return true;
}

bool geometry(napi_env env, napi_value v, focus::ConvGeometry* g) {
  napi_typedarray_type type;
  size_t length;
  void* ptr;
  napi_value buffer;
  size_t offset;
  bool isTyped = false;
  napi_is_typedarray(env, v, &isTyped);
  if (!isTyped || napi_get_typedarray_info(env, v, &type, &length, &ptr, &buffer, &offset) != napi_ok ||
      type != napi_int32_array || length != kGeometryFields) {
    napi_throw_type_error(env, nullptr, "geometry must be an Int32Array of 13 fields");
    return false;
  }
  const int32_t* f = static_cast<const int32_t*>(ptr);
  *g = {f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12]};
  const bool positive = g->N > 0 && g->H > 0 && g->W > 0 && g->C > 0 && g->KH > 0 && g->KW > 0 && g->Co > 0 &&
                        g->OH > 0 && g->OW > 0 && g->strideH > 0 && g->strideW > 0;
  // Windows may lie partly or wholly in the padding (explicit paddings can exceed the kernel): the kernels
  // read only in-bounds input, so any non-negative padding is safe.
  const bool consistent = g->padTop >= 0 && g->padLeft >= 0;
  if (!positive || !consistent) {
    napi_throw_range_error(env, nullptr, "inconsistent convolution geometry");
    return false;
  }
  return true;
}

using ConvFn = void (*)(const focus::ConvGeometry&, const float*, const float*, float*);
enum class Role { Input, Filter, Output };

// Shared shape of the three entry points: (a, b, out, geometry) with roles naming what each array holds.
napi_value callConv(napi_env env, napi_callback_info info, ConvFn fn, Role ra, Role rb, Role rout,
                    bool pooling = false) {
  napi_value argv[4];
  if (!readArgs(env, info, 4, argv, "expected (a, b, out, geometry)")) return nullptr;
  focus::ConvGeometry g;
  if (!geometry(env, argv[3], &g)) return nullptr;
  if (pooling && g.Co != g.C) {
    napi_throw_range_error(env, nullptr, "a pooling geometry needs as many output channels as input channels");
    return nullptr;
  }
  auto size = [&g](Role r) {
    return r == Role::Input ? g.inputSize() : r == Role::Filter ? g.filterSize() : g.outputSize();
  };
  float *a, *b, *out;
  if (!floatArray(env, argv[0], size(ra), &a, "first operand: Float32Array too short or wrong type")) return nullptr;
  if (!floatArray(env, argv[1], size(rb), &b, "second operand: Float32Array too short or wrong type")) return nullptr;
  if (!floatArray(env, argv[2], size(rout), &out, "output: Float32Array too short or wrong type")) return nullptr;
  fn(g, a, b, out);
  return nullptr;
}

napi_value Conv2D(napi_env env, napi_callback_info info) {
  return callConv(env, info, focus::conv2dForward, Role::Input, Role::Filter, Role::Output);
}
napi_value Conv2DBackpropFilter(napi_env env, napi_callback_info info) {
  return callConv(env, info, focus::conv2dBackpropFilter, Role::Input, Role::Output, Role::Filter);
}
napi_value Conv2DBackpropInput(napi_env env, napi_callback_info info) {
  return callConv(env, info, focus::conv2dBackpropInput, Role::Output, Role::Filter, Role::Input);
}

napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  return callConv(env, info, focus::maxPoolGrad, Role::Output, Role::Input, Role::Input, true);
}

// (x, out, rows, cols): out[c] = sum over rows of x[r * cols + c].
napi_value SumOuterAxes(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!readArgs(env, info, 4, argv, "expected (x, out, rows >= 0, cols > 0)")) return nullptr;
  int64_t rows = 0, cols = 0;
  if (napi_get_value_int64(env, argv[2], &rows) != napi_ok || napi_get_value_int64(env, argv[3], &cols) != napi_ok ||
      rows < 0 || cols <= 0) {
    napi_throw_type_error(env, nullptr, "expected (x, out, rows >= 0, cols > 0)");
    return nullptr;
  }
  float *x, *out;
  if (!floatArray(env, argv[0], rows * cols, &x, "x: Float32Array too short or wrong type")) return nullptr;
  if (!floatArray(env, argv[1], cols, &out, "out: Float32Array too short or wrong type")) return nullptr;
  focus::sumOuterAxes(x, rows, cols, out);
  return nullptr;
}

bool numberArg(napi_env env, napi_value v, double* out) { return napi_get_value_double(env, v, out) == napi_ok; }

// (w, grad, buf, wOut, bufOut, learningRate, momentum, weightDecay), all arrays of w's length.
napi_value SgdMomentumStep(napi_env env, napi_callback_info info) {
  const char* usage = "expected (w, grad, buf, wOut, bufOut, learningRate, momentum, weightDecay)";
  napi_value argv[8];
  if (!readArgs(env, info, 8, argv, usage)) return nullptr;
  double lr, momentum, decay;
  if (!numberArg(env, argv[5], &lr) || !numberArg(env, argv[6], &momentum) || !numberArg(env, argv[7], &decay)) {
    napi_throw_type_error(env, nullptr, usage);
    return nullptr;
  }
  size_t n = 0;
  napi_typedarray_type type;
  void* data;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, argv[0], &type, &n, &data, &buffer, &offset) != napi_ok) {
    napi_throw_type_error(env, nullptr, "w must be a Float32Array");
    return nullptr;
  }
  float *w, *grad, *buf, *wOut, *bufOut;
  const long len = static_cast<long>(n);
  if (!floatArray(env, argv[0], len, &w, "w: Float32Array expected") ||
      !floatArray(env, argv[1], len, &grad, "grad: Float32Array as long as w expected") ||
      !floatArray(env, argv[2], len, &buf, "buf: Float32Array as long as w expected") ||
      !floatArray(env, argv[3], len, &wOut, "wOut: Float32Array as long as w expected") ||
      !floatArray(env, argv[4], len, &bufOut, "bufOut: Float32Array as long as w expected"))
    return nullptr;
  focus::sgdMomentumStep(w, grad, buf, wOut, bufOut, len, static_cast<float>(lr), static_cast<float>(momentum),
                         static_cast<float>(decay));
  return nullptr;
}

bool intArg(napi_env env, napi_value v, int64_t* out) { return napi_get_value_int64(env, v, out) == napi_ok; }

// (x, gamma, beta, y, mean, variance, invStd, scale, rows, channels, epsilon)
napi_value BatchNormForward(napi_env env, napi_callback_info info) {
  const char* usage = "expected (x, gamma, beta, y, mean, variance, invStd, scale, rows > 0, channels > 0, epsilon)";
  napi_value argv[11];
  if (!readArgs(env, info, 11, argv, usage)) return nullptr;
  int64_t rows = 0, channels = 0;
  double eps = 0;
  if (!intArg(env, argv[8], &rows) || !intArg(env, argv[9], &channels) || !numberArg(env, argv[10], &eps) ||
      rows <= 0 || channels <= 0) {
    napi_throw_type_error(env, nullptr, usage);
    return nullptr;
  }
  float *x, *gamma, *beta, *y, *mean, *variance, *invStd, *scale;
  const long n = rows * channels;
  if (!floatArray(env, argv[0], n, &x, "x: too short") || !floatArray(env, argv[1], channels, &gamma, "gamma: too short") ||
      !floatArray(env, argv[2], channels, &beta, "beta: too short") || !floatArray(env, argv[3], n, &y, "y: too short") ||
      !floatArray(env, argv[4], channels, &mean, "mean: too short") ||
      !floatArray(env, argv[5], channels, &variance, "variance: too short") ||
      !floatArray(env, argv[6], channels, &invStd, "invStd: too short") ||
      !floatArray(env, argv[7], channels, &scale, "scale: too short"))
    return nullptr;
  focus::batchNormForward(x, gamma, beta, rows, channels, static_cast<float>(eps), y, mean, variance, invStd, scale);
  return nullptr;
}

// (dy, x, mean, invStd, scale, dx, dGamma, dBeta, rows, channels)
napi_value BatchNormBackward(napi_env env, napi_callback_info info) {
  const char* usage = "expected (dy, x, mean, invStd, scale, dx, dGamma, dBeta, rows > 0, channels > 0)";
  napi_value argv[10];
  if (!readArgs(env, info, 10, argv, usage)) return nullptr;
  int64_t rows = 0, channels = 0;
  if (!intArg(env, argv[8], &rows) || !intArg(env, argv[9], &channels) || rows <= 0 || channels <= 0) {
    napi_throw_type_error(env, nullptr, usage);
    return nullptr;
  }
  float *dy, *x, *mean, *invStd, *scale, *dx, *dGamma, *dBeta;
  const long n = rows * channels;
  if (!floatArray(env, argv[0], n, &dy, "dy: too short") || !floatArray(env, argv[1], n, &x, "x: too short") ||
      !floatArray(env, argv[2], channels, &mean, "mean: too short") ||
      !floatArray(env, argv[3], channels, &invStd, "invStd: too short") ||
      !floatArray(env, argv[4], channels, &scale, "scale: too short") || !floatArray(env, argv[5], n, &dx, "dx: too short") ||
      !floatArray(env, argv[6], channels, &dGamma, "dGamma: too short") ||
      !floatArray(env, argv[7], channels, &dBeta, "dBeta: too short"))
    return nullptr;
  focus::batchNormBackward(dy, x, mean, invStd, scale, rows, channels, dx, dGamma, dBeta);
  return nullptr;
}

// (a, b, out) of equal lengths: out = a op b.
napi_value callBinary(napi_env env, napi_callback_info info, void (*fn)(const float*, const float*, float*, long)) {
  napi_value argv[3];
  if (!readArgs(env, info, 3, argv, "expected (a, b, out)")) return nullptr;
  float *a, *b, *out;
  size_t n = 0;
  napi_typedarray_type type;
  void* data;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, argv[2], &type, &n, &data, &buffer, &offset) != napi_ok) {
    napi_throw_type_error(env, nullptr, "out must be a Float32Array");
    return nullptr;
  }
  const long len = static_cast<long>(n);
  if (!floatArray(env, argv[2], len, &out, "out: Float32Array expected") ||
      !floatArray(env, argv[0], len, &a, "a: Float32Array as long as out expected") ||
      !floatArray(env, argv[1], len, &b, "b: Float32Array as long as out expected"))
    return nullptr;
  fn(a, b, out, len);
  return nullptr;
}

napi_value Add(napi_env env, napi_callback_info info) { return callBinary(env, info, focus::addArrays); }
napi_value Multiply(napi_env env, napi_callback_info info) { return callBinary(env, info, focus::multiplyArrays); }

// (x, out[, alpha]) of equal lengths: relu, or step with alpha.
napi_value callUnary(napi_env env, napi_callback_info info, bool isStep) {
  napi_value argv[3];
  const size_t argc = isStep ? 3 : 2;
  if (!readArgs(env, info, argc, argv, isStep ? "expected (x, out, alpha)" : "expected (x, out)")) return nullptr;
  double alpha = 0;
  if (isStep && !numberArg(env, argv[2], &alpha)) {
    napi_throw_type_error(env, nullptr, "alpha must be a number");
    return nullptr;
  }
  size_t n = 0;
  napi_typedarray_type type;
  void* data;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, argv[1], &type, &n, &data, &buffer, &offset) != napi_ok) {
    napi_throw_type_error(env, nullptr, "out must be a Float32Array");
    return nullptr;
  }
  float *x, *out;
  const long len = static_cast<long>(n);
  if (!floatArray(env, argv[1], len, &out, "out: Float32Array expected") ||
      !floatArray(env, argv[0], len, &x, "x: Float32Array as long as out expected"))
    return nullptr;
  if (isStep)
    focus::step(x, out, len, static_cast<float>(alpha));
  else
    focus::relu(x, out, len);
  return nullptr;
}

napi_value Relu(napi_env env, napi_callback_info info) { return callUnary(env, info, false); }
napi_value Step(napi_env env, napi_callback_info info) { return callUnary(env, info, true); }

// (n): sets the kernels' thread count (1 to 256); returns it.
napi_value SetThreads(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!readArgs(env, info, 1, argv, "expected (threads: integer 1..256)")) return nullptr;
  int64_t n = 0;
  if (!intArg(env, argv[0], &n) || n < 1 || n > 256) {
    napi_throw_range_error(env, nullptr, "expected (threads: integer 1..256)");
    return nullptr;
  }
  focus::setThreadCount(static_cast<int>(n));
  napi_value out;
  napi_create_int32(env, focus::threadCount(), &out);
  return out;
}

napi_value Threads(napi_env env, napi_callback_info info) {
  napi_value out;
  napi_create_int32(env, focus::threadCount(), &out);
  return out;
}

// A switch taking (enabled: boolean) and returning what is in use after the call.
napi_value BooleanSwitch(napi_env env, napi_callback_info info, bool (*apply)(bool)) {
  napi_value argv[1];
  if (!readArgs(env, info, 1, argv, "expected (enabled: boolean)")) return nullptr;
  bool enabled = false;
  if (napi_get_value_bool(env, argv[0], &enabled) != napi_ok) {
    napi_throw_type_error(env, nullptr, "expected (enabled: boolean)");
    return nullptr;
  }
  napi_value out;
  napi_get_boolean(env, apply(enabled), &out);
  return out;
}

// (enabled): the AVX-512 GEMM micro-kernel where the CPU has it, else AVX2; returns whether AVX-512 is used.
napi_value UseAvx512(napi_env env, napi_callback_info info) { return BooleanSwitch(env, info, focus::useAvx512); }

// (enabled): Winograd F(2x2, 3x3) for stride-1 3x3 convolutions (the default), else im2col + GEMM for all.
napi_value UseWinograd(napi_env env, napi_callback_info info) { return BooleanSwitch(env, info, focus::useWinograd); }

napi_value Init(napi_env env, napi_value exports) {
  napi_value supported;
  napi_get_boolean(env, focus::cpuSupported(), &supported);
  napi_set_named_property(env, exports, "cpuSupported", supported);
  const napi_property_descriptor fns[] = {
      {"conv2d", nullptr, Conv2D, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2dBackpropFilter", nullptr, Conv2DBackpropFilter, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2dBackpropInput", nullptr, Conv2DBackpropInput, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"batchNormForward", nullptr, BatchNormForward, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"batchNormBackward", nullptr, BatchNormBackward, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"sgdMomentumStep", nullptr, SgdMomentumStep, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"sumOuterAxes", nullptr, SumOuterAxes, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"maxPoolGrad", nullptr, MaxPoolGrad, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"add", nullptr, Add, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"multiply", nullptr, Multiply, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"relu", nullptr, Relu, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"step", nullptr, Step, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"threads", nullptr, Threads, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"useAvx512", nullptr, UseAvx512, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"useWinograd", nullptr, UseWinograd, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof(fns) / sizeof(fns[0]), fns);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
