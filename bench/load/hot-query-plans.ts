// EXPLAIN ANALYZE of the reader path's hot queries on the data a load run leaves behind, so a slow
// endpoint can be traced to a sequential scan (or ruled out as one). The SQL mirrors what the
// Prisma calls in lib/studies/reader-survey.ts ask for.
import pg from "pg";

export interface QueryPlan {
  name: string;
  executionMs: number;
  seqScans: string[];
  plan: string;
}

const HOT_QUERIES: { name: string; sql: string }[] = [
  {
    name: "answered count (reader, study)",
    sql: `select count(*) from "Response" r where r."readerId" = $1 and r."submittedAt" is not null
            and r."studyCaseId" in (select c.id from "StudyCase" c where c."studyId" = $2)`,
  },
  {
    name: "next open case",
    sql: `select c."caseIndex" from "StudyCase" c where c."studyId" = $2 and not exists (
            select 1 from "Response" r where r."studyCaseId" = c.id and r."readerId" = $1 and r."submittedAt" is not null)
          order by c."caseIndex" limit 1`,
  },
  {
    name: "invitation (study, reader)",
    sql: `select "readerIndex", status from "Invitation" where "studyId" = $2 and "readerId" = $1`,
  },
  {
    name: "slot order (reader, case)",
    sql: `select so.* from "SlotOrder" so join "StudyCase" c on c.id = so."studyCaseId" where so."readerId" = $1 and c."studyId" = $2 and c."caseIndex" = 0`,
  },
  {
    name: "blind tokens of a reader",
    sql: `select t.token from "BlindToken" t where t."readerId" = $1 limit 5`,
  },
];

export async function hotQueryPlans(databaseUrl: string, readerId: string, studyId: string): Promise<QueryPlan[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("analyze");
    const out: QueryPlan[] = [];
    for (const q of HOT_QUERIES) {
      const used = Math.max(0, ...[...q.sql.matchAll(/\$(\d)/g)].map((m) => Number(m[1])));
      const { rows } = await client.query<{ "QUERY PLAN": string }>(
        `explain (analyze, buffers off) ${q.sql}`,
        [readerId, studyId].slice(0, used),
      );
      const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
      const ms = Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? NaN);
      const seqScans = [...plan.matchAll(/Seq Scan on "?(\w+)"?/g)].map((m) => m[1]);
      out.push({ name: q.name, executionMs: ms, seqScans, plan });
    }
    return out;
  } finally {
    await client.end();
  }
}
