// The fake loaders are async like the real ones, so that their failures reject rather than throw.
/* eslint-disable @typescript-eslint/require-await */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import * as tfjs from "@tensorflow/tfjs";
import {
  initBackend,
  parseBackendChoice,
  selectBackend,
  wasmBinaryDirectory,
  type BackendLoader,
} from "./select-backend";
import { loadNativeAddon, nativeKernelsRegistered, nativeThreadCount } from "./native-kernels";
import { wasmGradKernelsRegistered } from "./wasm-grad-kernels";

const loads: BackendLoader = async () => {};
const failing =
  (message: string): BackendLoader =>
  async () => {
    // A package present without its native addon throws a plain Error, without `code`.
    throw new Error(message);
  };

describe("selectBackend (fake loaders)", () => {
  test("takes the first candidate that loads, in the order gpu, node, wasm, cpu, and says why", async () => {
    const logs: string[] = [];
    const tried: string[] = [];
    const loaders = {
      gpu: async () => {
        tried.push("gpu");
        throw new Error("libcudart.so.11.0: cannot open shared object file");
      },
      node: async () => {
        tried.push("node");
        throw new Error("The specified module could not be found.\n.../tfjs_binding.node");
      },
      wasm: async () => {
        tried.push("wasm");
      },
      cpu: async () => {
        tried.push("cpu");
      },
    };
    const chosen = await selectBackend({ loaders, log: (m) => logs.push(m) });
    assert.equal(chosen.name, "wasm");
    assert.deepEqual(tried, ["gpu", "node", "wasm"]);
    assert.equal(logs.length, 1);
    assert.match(logs[0], /backend: wasm/);
    assert.match(logs[0], /gpu: libcudart/);
    assert.match(logs[0], /node: The specified module could not be found/);
  });

  test("prefers the gpu package when it loads", async () => {
    const chosen = await selectBackend({ loaders: { gpu: loads, node: failing("unused") } });
    assert.equal(chosen.name, "gpu");
  });

  test("falls back to cpu, and fails listing every reason when nothing loads", async () => {
    const none = { gpu: failing("a"), node: failing("b"), wasm: failing("c") };
    assert.equal((await selectBackend({ loaders: { ...none, cpu: loads } })).name, "cpu");
    await assert.rejects(
      selectBackend({ loaders: { ...none, cpu: failing("d") } }),
      /gpu: a; node: b; wasm: c; cpu: d/,
    );
  });

  test("a forced backend is the only one tried and its failure is explicit", async () => {
    const tried: string[] = [];
    const loaders = {
      gpu: async () => {
        tried.push("gpu");
      },
      node: failing("tfjs_binding.node not found"),
    };
    await assert.rejects(
      selectBackend({ force: "node", loaders }),
      /'node' was forced but cannot load.*tfjs_binding\.node not found/,
    );
    assert.deepEqual(tried, []);
  });

  test("parses the FOCUS_TF_BACKEND values", () => {
    assert.equal(parseBackendChoice(" WASM "), "wasm");
    assert.equal(parseBackendChoice("gpu"), "gpu");
    assert.throws(() => parseBackendChoice("webgl"), /expected one of gpu, node, wasm, cpu/);
  });
});

// The real selection below runs in this order because tfjs has one engine per process.
describe("initBackend (real packages)", () => {
  test("wasm binaries are resolved inside node_modules", () => {
    const dir = wasmBinaryDirectory();
    assert.ok(dir.includes(path.join("node_modules", "@tensorflow", "tfjs-backend-wasm", "dist")));
    assert.ok(existsSync(path.join(dir, "tfjs-backend-wasm-simd.wasm")));
  });

  test("forcing an absent native package fails clearly and leaves nothing initialised", async () => {
    await assert.rejects(
      initBackend({ force: "gpu", log: () => {} }),
      /'gpu' was forced but cannot load \(@tensorflow\/tfjs-node-gpu\)/,
    );
    await assert.rejects(initBackend({ force: "bogus", log: () => {} }), /Unknown TensorFlow.js backend 'bogus'/);
  });

  test("without tfjs-node the default is wasm with training kernels (native where built), and repeated calls agree", async () => {
    const saved = process.env.FOCUS_TF_BACKEND;
    delete process.env.FOCUS_TF_BACKEND;
    try {
      const logs: string[] = [];
      const first = await initBackend({ log: (m) => logs.push(m) });
      assert.equal(first.name, "wasm");
      assert.equal(tfjs.getBackend(), "wasm");
      // The native addon, where it built, sits over our wasm gradient kernels; either way training works.
      const native = "addon" in loadNativeAddon();
      assert.equal(nativeKernelsRegistered(), native);
      assert.equal(wasmGradKernelsRegistered(), !native);
      assert.equal(first.label, native ? "wasm+native" : "wasm");
      assert.ok(tfjs.getKernel("Conv2DBackpropFilter", "wasm"));
      assert.match(logs.join("\n"), /wasm.*skipped gpu: .*node: /);
      assert.match(
        logs.join("\n"),
        native ? /native (AVX-512|AVX2\/FMA) kernels on \d+ thread/ : /native kernels off: /,
      );
      assert.equal(first.threads, native ? nativeThreadCount() : 1);

      const [second, third] = await Promise.all([
        initBackend({ log: () => {} }),
        initBackend({ force: "wasm", log: () => {} }),
      ]);
      assert.equal(second, first);
      assert.equal(third, first);
      await assert.rejects(initBackend({ force: "cpu", log: () => {} }), /already initialised as 'wasm'/);
    } finally {
      if (saved !== undefined) process.env.FOCUS_TF_BACKEND = saved;
    }
  });
});
