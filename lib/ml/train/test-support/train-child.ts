/**
 * Child process of the crash test: trains TINY_RUN into the folder given as argv[2] and is killed with
 * SIGKILL by the test once the first checkpoint appears.
 */
import { initBackend } from "@/lib/ml/backend/select-backend";
import { trainRun } from "../train-run";
import { TINY_RUN } from "./synthetic-run";

const workDir = process.argv[2];
if (!workDir) throw new Error("usage: train-child.ts <workDir>");
await initBackend({ log: () => {} });
const { train, val } = TINY_RUN.data();
await trainRun({ variant: TINY_RUN.variant, seed: TINY_RUN.seed, params: TINY_RUN.params, train, val, workDir });
