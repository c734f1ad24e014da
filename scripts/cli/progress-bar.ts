// Text progress for `train --wait` and `heatmaps --wait`.
import type { RunProgress } from "@/lib/jobs/progress";

export function progressBar(done: number, total: number, width = 24): string {
  const share = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(share * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "--";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export function runProgressLine(run: RunProgress): string {
  const name = `${run.variant.toLowerCase()} seed ${run.seed}`.padEnd(16);
  const epochs = `${run.epoch}/${run.epochs}`.padStart(7);
  const auc = run.valAuc === null ? "AUC  -   " : `AUC ${run.valAuc.toFixed(3)}`;
  const tail =
    run.status === "RUNNING"
      ? `ETA ${formatDuration(run.etaSeconds)}`
      : run.status === "FAILED" && run.error
        ? run.error.slice(0, 60)
        : "";
  return `${name} ${progressBar(run.epoch, run.epochs)} ${epochs} ${auc} ${run.status.padEnd(9)} ${tail}`.trimEnd();
}

/**
 * Redraws a block of lines in place on a terminal; elsewhere (pipes, CI logs) prints only lines that changed,
 * so a log stays readable.
 */
export class LiveLines {
  private previous: string[] = [];
  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  update(lines: string[]): void {
    if (this.out.isTTY) {
      if (this.previous.length) this.out.write(`\x1b[${this.previous.length}A`);
      for (const line of lines) this.out.write(`\x1b[2K${line}\n`);
    } else {
      lines.forEach((line, i) => {
        if (line !== this.previous[i]) this.out.write(`${line}\n`);
      });
    }
    this.previous = lines;
  }
}
