// A primary process for `next start` children (harness/next-cluster.ts), for callers that must not be the
// primary themselves: the load bench (its simulated readers would share the primary's event loop) and the
// browser test of the multi-process mode. Usage: tsx harness/serve-next-cluster.ts <port> <processes>;
// stops its children on SIGTERM/SIGINT or when its parent goes away.
import { takeOverShutdownSignals } from "../lib/db/shutdown-signals";
import { startNextCluster } from "./next-cluster";

const [port, processes] = process.argv.slice(2).map(Number);
if (!Number.isInteger(port) || !Number.isInteger(processes) || processes < 1)
  throw new Error("usage: serve-next-cluster.ts <port> <processes>");
const web = startNextCluster({ port, processes });
void web.listening.then(() => process.send?.({ listening: processes }));
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void web.stop().then(() => process.exit(0));
};
takeOverShutdownSignals(stop);
process.on("disconnect", stop);
