// Ranks with ties sharing the mean of the positions they occupy ("mid-ranks"), and the tie term Σ(t³ − t)
// that the Friedman and Kendall statistics subtract for them (Kendall 1948; Siegel & Castellan 1988 §7.2, §9.5).

/** Ranks 1..n of `values`, smallest first; tied values get the mean of their positions. */
export function midRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1][0] === order[start][0]) end++;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) ranks[order[i][1]] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Σ (t³ − t) over the groups of equal values (t = group size); 0 without ties. */
export function tieTerm(values: readonly number[]): number {
  const sizes = new Map<number, number>();
  for (const v of values) sizes.set(v, (sizes.get(v) ?? 0) + 1);
  let sum = 0;
  for (const t of sizes.values()) sum += t * t * t - t;
  return sum;
}
