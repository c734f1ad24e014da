// Reads a V8 .cpuprofile (as `node --cpu-prof` or Next's NEXT_CPU_PROF write it) into self time per
// function, and per package or source folder, so a benchmark can say where the CPU went.
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  fn: string;
  where: string;
  selfMs: number;
}

/** Where a frame's code comes from: the npm package, or the app's own bundle chunk. */
function origin(url: string): string {
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  if (url.includes(".next/server/")) return `app bundle ${url.slice(url.indexOf(".next/server/") + 13)}`;
  if (url.startsWith("node:")) return url;
  return url || "(native)";
}

export function summariseProfile(profile: CpuProfile, top = 25): ProfileLine[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, { fn: string; where: string; us: number }>();
  const byOrigin = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const dt = profile.timeDeltas[i] ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)" || functionName === "(program)") return;
    const key = `${functionName}@${url}:${lineNumber}`;
    const e = selfUs.get(key) ?? { fn: functionName || "(anonymous)", where: `${origin(url)}:${lineNumber}`, us: 0 };
    e.us += dt;
    selfUs.set(key, e);
    byOrigin.set(origin(url), (byOrigin.get(origin(url)) ?? 0) + dt);
  });
  const fns = [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ fn: e.fn, where: e.where, selfMs: Math.round(e.us / 100) / 10 }));
  const origins = [...byOrigin.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([where, us]) => ({ fn: "(all of)", where, selfMs: Math.round(us / 100) / 10 }));
  return [...origins, ...fns];
}
