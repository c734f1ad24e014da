import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toCsv } from "@/lib/export/csv";
import { runStatsCli } from "./cli";
import { krippendorffAlpha } from "./krippendorff-alpha";
import { KRIPPENDORFF_FOUR_OBSERVERS, answersFromReaderColumns } from "../testing/stats-worked-examples";

let dir = "";
let answersFile = "";
const answers = answersFromReaderColumns(KRIPPENDORFF_FOUR_OBSERVERS);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "focus-stats-cli-"));
  answersFile = join(dir, "answers.csv");
  const specialty: Record<string, string> = { A: "radiology", B: "radiology", C: "dermatology", D: "dermatology" };
  await writeFile(
    answersFile,
    toCsv(
      ["reader_id", "case_id", "choice", "specialty"],
      answers.map((a) => [a.readerId, a.caseId, a.choice, specialty[a.readerId]]),
    ),
  );
  await writeFile(join(dir, "bad.csv"), "case,reader_id,choice\nu1,A,1\n");
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runStatsCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

test("--json prints the summary as indented JSON; --compact on one line", async () => {
  const pretty = await run(["--input", answersFile, "--json"]);
  assert.equal(pretty.code, 0, pretty.err);
  const summary = JSON.parse(pretty.out) as { n_answers: number; krippendorff_alpha: number | null };
  assert.equal(summary.n_answers, 41);
  assert.equal(summary.krippendorff_alpha, krippendorffAlpha(answers));
  assert.ok(pretty.out.includes('\n  "n_answers"'));
  const compact = await run(["stats", "--input", answersFile, "--json", "--compact"]);
  assert.equal(compact.code, 0);
  assert.equal(compact.out.trim().split("\n").length, 1);
  assert.deepEqual(JSON.parse(compact.out), summary);
});

test("without --json a readable table; --by adds a breakdown", async () => {
  const r = await run(["--input", answersFile, "--by", "specialty"]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /41 answers \(7 missing\) from 4 readers on 12 cases/);
  assert.match(r.out, /Krippendorff's alpha \(nominal\)\s+0\.743/);
  assert.match(r.out, /=== specialty: dermatology \(2 readers\) ===/);
  assert.match(r.out, /=== specialty: radiology \(2 readers\) ===/);
  const json = JSON.parse((await run(["--input", answersFile, "--by", "specialty", "--json"])).out) as {
    by_group: { groups: { group: string }[] };
  };
  assert.deepEqual(
    json.by_group.groups.map((g) => g.group),
    ["dermatology", "radiology"],
  );
});

test("exit code 2 with a clear message on bad arguments, missing files and missing columns", async () => {
  const noInput = await run(["--json"]);
  assert.equal(noInput.code, 2);
  assert.match(noInput.err, /--input/);
  const unknown = await run(["--input", answersFile, "--bogus"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown option/);
  const missingFile = await run(["--input", join(dir, "nope.csv")]);
  assert.equal(missingFile.code, 2);
  assert.match(missingFile.err, /cannot read input file .*nope\.csv.*no such file/);
  const badColumns = await run(["--input", join(dir, "bad.csv")]);
  assert.equal(badColumns.code, 2);
  assert.match(badColumns.err, /missing required column case_id/);
  const badDraws = await run(["--input", answersFile, "--draws", "-5"]);
  assert.equal(badDraws.code, 2);
  assert.match(badDraws.err, /--draws must be a positive integer/);
  const badChoices = await run(["--input", answersFile, "--choices", "1,2"]);
  assert.equal(badChoices.code, 2);
  assert.match(badChoices.err, /not among the declared choices/);
  const badGroup = await run(["--input", answersFile, "--by", "site"]);
  assert.equal(badGroup.code, 2);
  assert.match(badGroup.err, /no column "site"/);
});

test("--help prints usage and exits 0", async () => {
  const r = await run(["--help"]);
  assert.equal(r.code, 0);
  assert.match(r.out, /--input <file>/);
});
