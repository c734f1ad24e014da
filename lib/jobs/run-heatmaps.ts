import type { PgBoss } from "pg-boss";
import type { HeatmapsJobData } from "./queues";
import type { WorkerContext } from "./worker-context";
export async function runHeatmaps(_d: HeatmapsJobData, _c: WorkerContext, _o: { signal?: AbortSignal; boss?: PgBoss }): Promise<void> {
  throw new Error("not yet");
}
