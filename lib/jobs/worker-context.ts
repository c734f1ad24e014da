// What a handler needs to know about the worker process it runs in.

/**
 * SIGTERM/SIGINT handling shared by the worker and its handlers. The first signal asks running training to
 * stop after its current epoch (which is then checkpointed); a second one asks it to stop at the next batch
 * (the previous epoch's checkpoint is kept, the partial epoch is lost).
 */
export class ShutdownState {
  requested = false;
  urgent = false;
  private listeners: Array<() => void> = [];

  request(): void {
    if (this.requested) this.urgent = true;
    this.requested = true;
    for (const l of this.listeners) l();
  }

  onRequest(listener: () => void): void {
    this.listeners.push(listener);
  }
}

export interface WorkerContext {
  /** hostname:pid, also the WorkerHeartbeat id. */
  workerId: string;
  /** TensorFlow.js backend in use (gpu, node, wasm, wasm+native, cpu). */
  backend: string;
  shutdown: ShutdownState;
  log: (msg: string) => void;
  /** Told which run this process is working on (for the heartbeat row). */
  onCurrentRun?: (runId: string | null) => void;
}
