// Any estimator per reader group (e.g. specialty): the input is split by the group of each row's reader and the
// estimator runs on each part. summarizeByGroup (summary.ts) is this for the best-map summary.
import { compareCodeUnits } from "./answers";
import { UNGROUPED_LABEL } from "./summary";

export interface ReaderGroupResult<R> {
  group: string;
  n_readers: number;
  result: R;
}

export type ReaderGroups = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

function groupLookup(groups: ReaderGroups): (readerId: string) => string | undefined {
  if (groups instanceof Map) return (readerId) => (groups as ReadonlyMap<string, string>).get(readerId);
  const record = groups as Readonly<Record<string, string>>;
  return (readerId) => (Object.hasOwn(record, readerId) ? record[readerId] : undefined);
}

/**
 * `estimator` applied to the rows of each reader group, groups sorted by name. Readers missing from `groups`
 * are gathered under `ungroupedLabel` (default "(no group)"). Pass the study's arms to the estimator (e.g.
 * `(rows) => ratingFriedman(rows, arms)`) so every group is analysed over the same arms.
 */
export function byReaderGroup<T extends { readerId: string }, R>(
  rows: readonly T[],
  groups: ReaderGroups,
  estimator: (rows: T[]) => R,
  ungroupedLabel: string = UNGROUPED_LABEL,
): ReaderGroupResult<R>[] {
  const lookup = groupLookup(groups);
  const byGroup = new Map<string, T[]>();
  for (const row of rows) {
    const group = lookup(row.readerId) ?? ungroupedLabel;
    let list = byGroup.get(group);
    if (!list) byGroup.set(group, (list = []));
    list.push(row);
  }
  return [...byGroup.keys()].sort(compareCodeUnits).map((group) => {
    const groupRows = byGroup.get(group)!;
    return { group, n_readers: new Set(groupRows.map((r) => r.readerId)).size, result: estimator(groupRows) };
  });
}
