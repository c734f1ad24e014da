// After a load or fault run: every answer the server acknowledged is stored exactly once, with the
// slot and rationale the reader sent, and the arm resolved from that reader's own slot order.
import pg from "pg";

export interface ExpectedAnswer {
  readerId: string;
  caseNumber: number;
  slot: string;
  rationale: string;
}

export interface AnswerCheck {
  expected: number;
  found: number;
  missing: number;
  duplicated: number;
  mismatched: number;
  unexpected: number;
  wrongArm: number;
  ok: boolean;
}

export async function verifyAnswers(
  databaseUrl: string,
  studyId: string,
  expected: ExpectedAnswer[],
): Promise<AnswerCheck> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      readerId: string;
      caseIndex: number;
      chosenSlot: number | null;
      rationale: string;
      copies: string;
      armIndex: number | null;
      armOrder: number[] | null;
    }>(
      `select r."readerId", c."caseIndex", r."chosenSlot", r.rationale, count(*) over (partition by r."readerId", r."studyCaseId") as copies,
              a."armIndex", so."armOrder"
         from "Response" r
         join "StudyCase" c on c.id = r."studyCaseId"
         left join "StudyArm" a on a.id = r."chosenArmId"
         left join "SlotOrder" so on so."readerId" = r."readerId" and so."studyCaseId" = r."studyCaseId"
                                  and so."repeat" = r."repeat"
        where c."studyId" = $1 and r."submittedAt" is not null`,
      [studyId],
    );
    const byKey = new Map(rows.map((r) => [`${r.readerId}|${r.caseIndex + 1}`, r]));
    const expectedKeys = new Set(expected.map((e) => `${e.readerId}|${e.caseNumber}`));
    let missing = 0;
    let mismatched = 0;
    for (const e of expected) {
      const row = byKey.get(`${e.readerId}|${e.caseNumber}`);
      if (!row) missing++;
      else if (row.chosenSlot !== e.slot.charCodeAt(0) - 65 || row.rationale !== e.rationale.trim()) mismatched++;
    }
    const duplicated = rows.filter((r) => Number(r.copies) > 1).length;
    const unexpected = rows.filter((r) => !expectedKeys.has(`${r.readerId}|${r.caseIndex + 1}`)).length;
    const wrongArm = rows.filter(
      (r) => r.chosenSlot === null || r.armOrder === null || r.armOrder[r.chosenSlot] !== r.armIndex,
    ).length;
    return {
      expected: expected.length,
      found: rows.length,
      missing,
      duplicated,
      mismatched,
      unexpected,
      wrongArm,
      ok:
        missing === 0 &&
        duplicated === 0 &&
        mismatched === 0 &&
        unexpected === 0 &&
        wrongArm === 0 &&
        rows.length === expected.length,
    };
  } finally {
    await client.end();
  }
}
