/**
 * Runs a command-line entry point in-process with stdout and stderr captured and the process exit code
 * restored afterwards, so CLI tests see exactly what a user would read without spawning a process.
 */
export async function captureOutput(
  entry: (argv: string[]) => Promise<number>,
  argv: string[],
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const so = process.stdout.write.bind(process.stdout);
  const se = process.stderr.write.bind(process.stderr);
  process.stdout.write = (c: string | Uint8Array) => (out.push(String(c)), true);
  process.stderr.write = (c: string | Uint8Array) => (err.push(String(c)), true);
  const previous = process.exitCode;
  try {
    process.exitCode = undefined;
    const code = await entry(argv);
    return { code, out: out.join(""), err: err.join("") };
  } finally {
    process.stdout.write = so;
    process.stderr.write = se;
    process.exitCode = previous;
  }
}
