/**
 * Chooses the TensorFlow.js backend once per process: the fastest one that loads, in the order
 * gpu (@tensorflow/tfjs-node-gpu) → node (@tensorflow/tfjs-node) → wasm (@tensorflow/tfjs-backend-wasm,
 * with our XNNPACK-based gradient kernels and broadcasting fixes) → cpu (pure JS).
 *
 * The two native packages are optional dependencies: where their install script cannot fetch
 * libtensorflow, npm drops them, and where a package is present without its native addon, `require`
 * throws a plain Error (no `code`). Both cases simply mean "skip", so every failure is caught and
 * reported as a reason, never classified by error code.
 *
 * Every backend is registered with the engine of the one "@tensorflow/tfjs" module (the native packages
 * depend on the same version, so npm installs a single copy), which is why the rest of the code imports
 * "@tensorflow/tfjs" itself and nothing hands a namespace around.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as tfjs from "@tensorflow/tfjs";
import { registerWasmBroadcastKernels } from "./wasm-broadcast-kernels";
import { registerWasmGradKernels } from "./wasm-grad-kernels";
import { registerWasmCopyKernels } from "./wasm-copy-kernels";
import { registerWasmMovingAverageKernel } from "./wasm-moving-average-kernel";
import {
  loadNativeAddon,
  nativeKernelsRegistered,
  nativeThreadCount,
  registerNativeKernels,
  WINOGRAD_ENV_VAR,
} from "./native-kernels";
import { logger } from "../../logging/logger";

type TfNamespace = typeof import("@tensorflow/tfjs");
export type BackendChoice = "gpu" | "node" | "wasm" | "cpu";
export interface InitBackendOptions {
  /** gpu | node | wasm | cpu; overrides FOCUS_TF_BACKEND */
  force?: string;
  log?: (msg: string) => void;
}
export interface SelectedBackend {
  name: string;
  /** What runs the numbers, for logs and run records: the name, or "wasm+native" with the native kernels. */
  label: string;
  /** Threads of the native kernels' pool (FOCUS_THREADS); null where the backend manages its own threads. */
  threads: number | null;
}
/** Loads one backend and makes it the active one, or throws why it cannot. */
export type BackendLoader = () => Promise<void>;

export const BACKEND_ORDER: readonly BackendChoice[] = ["gpu", "node", "wasm", "cpu"];
export const BACKEND_ENV_VAR = "FOCUS_TF_BACKEND";

const PACKAGE_OF: Record<BackendChoice, string> = {
  gpu: "@tensorflow/tfjs-node-gpu",
  node: "@tensorflow/tfjs-node",
  wasm: "@tensorflow/tfjs-backend-wasm",
  cpu: "@tensorflow/tfjs (cpu)",
};

const requireFromHere = createRequire(import.meta.url);

export function parseBackendChoice(value: string): BackendChoice {
  const v = value.trim().toLowerCase();
  if ((BACKEND_ORDER as readonly string[]).includes(v)) return v as BackendChoice;
  throw new Error(`Unknown TensorFlow.js backend '${value}': expected one of ${BACKEND_ORDER.join(", ")}`);
}

/** Directory (with trailing separator) holding the .wasm binaries inside node_modules. */
export function wasmBinaryDirectory(): string {
  const pkgJson = requireFromHere.resolve("@tensorflow/tfjs-backend-wasm/package.json");
  const dir = path.join(path.dirname(pkgJson), "dist") + path.sep;
  if (!existsSync(path.join(dir, "tfjs-backend-wasm.wasm"))) {
    throw new Error(`tfjs-backend-wasm binaries not found in ${dir}`);
  }
  return dir;
}

function describe(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split("\n")[0].slice(0, 300);
}

async function loadNativePackage(pkg: string): Promise<void> {
  // A computed name keeps bundlers from trying to resolve packages that are usually absent.
  const ns = requireFromHere(pkg) as TfNamespace;
  if (typeof ns?.setBackend !== "function") throw new Error(`${pkg} did not export a tf namespace`);
  if (!(await ns.setBackend("tensorflow")))
    throw new Error(`${pkg} loaded but its 'tensorflow' backend failed to start`);
  await ns.ready();
}

/** Which convolution kernels the wasm backend got, for the start-up log line. */
let wasmKernelSet = "";
let nativeThreads: number | null = null;

async function loadWasm(): Promise<void> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  const dir = wasmBinaryDirectory();
  try {
    wasm.setWasmPaths(dir);
  } catch (err) {
    // Someone already initialised the wasm backend (with whatever paths it had): reuse it.
    if (!/already initialized/i.test(describe(err))) throw err;
  }
  if (!(await tfjs.setBackend("wasm"))) throw new Error(`wasm backend failed to initialise from ${dir}`);
  await tfjs.ready();
  registerWasmGradKernels();
  registerWasmBroadcastKernels();
  registerWasmCopyKernels();
  registerWasmMovingAverageKernel();
  const native = loadNativeAddon();
  if ("addon" in native) {
    nativeThreads = native.addon.setThreads(nativeThreadCount());
    const isa = native.addon.useAvx512(true) ? "AVX-512" : "AVX2/FMA";
    const winograd = native.addon.useWinograd(process.env[WINOGRAD_ENV_VAR] !== "0");
    registerNativeKernels(native.addon);
    wasmKernelSet = `native ${isa} kernels on ${nativeThreads} thread(s) (convolutions${winograd ? " with Winograd 3x3" : ""}, batch norm, pooling, reductions, SGD)`;
  } else {
    wasmKernelSet = `XNNPACK convolutions; native kernels off: ${native.reason}`;
  }
}

async function loadCpu(): Promise<void> {
  if (!(await tfjs.setBackend("cpu"))) throw new Error("cpu backend failed to initialise");
  await tfjs.ready();
}

export const DEFAULT_LOADERS: Record<BackendChoice, BackendLoader> = {
  gpu: () => loadNativePackage(PACKAGE_OF.gpu),
  node: () => loadNativePackage(PACKAGE_OF.node),
  wasm: loadWasm,
  cpu: loadCpu,
};

/**
 * One selection pass, not memoised: tries the candidates in order (or only the forced one) and
 * returns the first that loads. Exposed so the ordering and failure handling can be tested with
 * fake loaders; production code calls `initBackend`.
 */
export async function selectBackend(
  opts: {
    force?: BackendChoice;
    log?: (msg: string) => void;
    loaders?: Partial<Record<BackendChoice, BackendLoader>>;
  } = {},
): Promise<SelectedBackend> {
  const log = opts.log ?? (() => {});
  const loaders = { ...DEFAULT_LOADERS, ...opts.loaders };
  const candidates = opts.force !== undefined ? [opts.force] : BACKEND_ORDER;
  const skipped: string[] = [];
  for (const name of candidates) {
    try {
      await loaders[name]();
      const why =
        opts.force !== undefined
          ? `forced by ${BACKEND_ENV_VAR}/force`
          : skipped.length
            ? `first that loaded; skipped ${skipped.join("; ")}`
            : "first choice";
      const detail = name === "wasm" && wasmKernelSet ? `, ${wasmKernelSet}` : "";
      log(`TensorFlow.js backend: ${name} (${PACKAGE_OF[name]}${detail}; ${why})`);
      const native = name === "wasm" && nativeKernelsRegistered();
      return {
        name,
        label: native ? "wasm+native" : name,
        threads: native ? nativeThreads : name === "wasm" || name === "cpu" ? 1 : null,
      };
    } catch (err) {
      if (opts.force !== undefined) {
        throw new Error(
          `TensorFlow.js backend '${name}' was forced but cannot load (${PACKAGE_OF[name]}): ${describe(err)}`,
          { cause: err },
        );
      }
      skipped.push(`${name}: ${describe(err)}`);
    }
  }
  throw new Error(`No TensorFlow.js backend could be loaded: ${skipped.join("; ")}`);
}

let pending: { force: BackendChoice | undefined; promise: Promise<SelectedBackend> } | undefined;

/**
 * Selects and initialises the backend for this process. Idempotent: later calls return the same
 * result; a later call that forces a different backend fails, since tfjs has one global engine.
 */
export async function initBackend(opts: InitBackendOptions = {}): Promise<SelectedBackend> {
  const raw = opts.force ?? process.env[BACKEND_ENV_VAR];
  const force = raw !== undefined && raw.trim() !== "" ? parseBackendChoice(raw) : undefined;
  const log = opts.log ?? ((msg: string) => logger.child({ name: "ml" }).info(msg));
  // A bad FOCUS_THREADS must stop start-up, not make the wasm loader fail over to the slow cpu backend.
  nativeThreadCount();

  if (pending === undefined) {
    const promise = selectBackend({ force, log });
    pending = { force, promise };
    promise.catch(() => {
      // A failed selection (e.g. a forced backend that is absent) must not poison later attempts.
      if (pending?.promise === promise) pending = undefined;
    });
  }
  const selected = await pending.promise;
  if (force !== undefined && force !== selected.name) {
    throw new Error(
      `TensorFlow.js backend already initialised as '${selected.name}'; cannot switch to forced '${force}' in the same process`,
    );
  }
  return selected;
}
