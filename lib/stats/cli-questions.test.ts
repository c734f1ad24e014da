// `stats --question <id>` on a tidy export with rating and ranking questions: the JSON is exactly what
// ratingStatistics / rankingStatistics return for the same answers (the results page calls the same functions).
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { runStatsCli } from "./cli";
import { rankingStatistics, ratingStatistics } from "./question-statistics";
import { ANXIETY } from "../testing/stats-rank-and-rating-examples";
import type { RankingAnswer } from "./ranking";
import type { RatingAnswer } from "./rating-statistics";

const ARMS = ["cbam", "gc", "se"];
const READERS = ["R1", "R2", "R3"];
const SPECIALTY: Record<string, string> = { R1: "dermatology", R2: "dermatology", R3: "radiology" };

// Ratings: irr's anxiety scores as the "cbam" map of 20 cases, shifted copies for the other two arms.
const ratings: RatingAnswer[] = ANXIETY.flatMap((row, c) =>
  row.flatMap((score, r) =>
    ARMS.map((arm, a) => ({
      caseId: `case${c + 1}`,
      readerId: READERS[r],
      arm,
      rating: Math.min(6, score + ((a * (c + r)) % 3)),
    })),
  ),
);

// Ranks per arm (1 = best, equal = tie) for 4 cases; R3 ties gc and se on case2.
const RANKS: Record<string, Record<string, number[]>> = {
  case1: { R1: [1, 2, 3], R2: [1, 3, 2], R3: [2, 1, 3] },
  case2: { R1: [2, 1, 3], R2: [1, 2, 3], R3: [1, 2, 2] },
  case3: { R1: [3, 1, 2], R2: [1, 2, 3], R3: [2, 3, 1] },
  case4: { R1: [1, 3, 2], R2: [2, 1, 3], R3: [1, 2, 3] },
};

let dir = "";
let file = "";

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "focus-stats-questions-"));
  file = join(dir, "tidy.csv");
  const records: (string | number)[][] = [];
  const base = (reader: string, caseId: string) => ["s", reader, SPECIALTY[reader], "accepted", caseId];
  for (const r of ratings) records.push([...base(r.readerId, r.caseId), "rating", "q2", r.arm, r.rating]);
  for (const [caseId, byReader] of Object.entries(RANKS)) {
    for (const [reader, ranks] of Object.entries(byReader)) {
      ranks.forEach((rank, a) => records.push([...base(reader, caseId), "ranking", "q3", ARMS[a], rank]));
    }
  }
  // An excluded reader's rows count nowhere.
  records.push(["s", "X9", "radiology", "excluded", "case1", "rating", "q2", "cbam", 1]);
  await writeFile(
    file,
    stringify(records, {
      header: true,
      columns: [
        "study_id",
        "reader",
        "specialty",
        "reader_status",
        "case_id",
        "question",
        "question_id",
        "arm",
        "answer",
      ],
    }),
  );
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[]) {
  let out = "";
  let err = "";
  const code = await runStatsCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe("stats --question on a tidy export", () => {
  test("a rating question by id: means, Friedman and ICC as ratingStatistics computes them", async () => {
    const r = await run(["stats", "--input", file, "--question", "q2", "--json"]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), JSON.parse(JSON.stringify(ratingStatistics(ratings, ARMS))));
    assert.match(r.err, /reader "X9" is excluded/);
    const table = await run(["stats", "--input", file, "--question", "rating"]);
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, /Friedman test \(cases as blocks\): X2 = /);
    assert.match(table.out, /ICC\(A,1\): /);
  });
  test("a ranking question by type, per specialty too", async () => {
    const rankings: RankingAnswer[] = Object.entries(RANKS).flatMap(([caseId, byReader]) =>
      Object.entries(byReader).map(([readerId, ranks]) => {
        const groups = new Map<number, string[]>();
        ranks.forEach((rank, a) => groups.set(rank, [...(groups.get(rank) ?? []), ARMS[a]]));
        return { caseId, readerId, ranking: [...groups.entries()].sort((x, y) => x[0] - y[0]).map(([, g]) => g) };
      }),
    );
    const r = await run(["stats", "--input", file, "--question", "ranking", "--json", "--by", "specialty"]);
    assert.equal(r.code, 0, r.err);
    const { by_group, ...overall } = JSON.parse(r.out) as { by_group: { groups: { group: string }[] } };
    assert.deepEqual(overall, JSON.parse(JSON.stringify(rankingStatistics(rankings, ARMS))));
    assert.deepEqual(
      by_group.groups.map((g) => g.group),
      ["dermatology", "radiology"],
    );
    const table = await run(["stats", "--input", file, "--question", "q3"]);
    assert.match(table.out, /Plackett-Luce worth/);
    assert.match(table.out, /Kendall's W over all rankings: /);
  });
  test("a question the export does not have is refused", async () => {
    const r = await run(["stats", "--input", file, "--question", "q9"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /no rows for question "q9"/);
  });
});
