// Inviting many readers at once from a pasted list or a CSV file of email, name and specialty (csv-parse). A
// preview shows what would happen to each row before anything is written; the invite then goes row by row through
// createInvitation, so each row has the single invite's guarantees: an email the study already has is never
// re-issued and its name and specialty are never changed (the row says so, and what stays), a deactivated
// account is refused and audited, and every new invitation is audited in its own transaction.
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { db } from "../db/client";
import { text } from "../validation/text";
import { parseInput } from "../errors/field-errors";
import { DomainError, isDomainError } from "../errors/domain-error";
import { specialistInputSchema, type SpecialistInput } from "../users/user-input";
import { createInvitation, existingInvitationOf } from "./invitations";

export const MAX_BULK_ROWS = 200;

/** The pasted text or file content; this schema owns the size limits of a bulk invite. */
export const bulkInviteSchema = z.object({
  list: text()
    .max(100_000, "The list is longer than 100 000 characters; split it")
    .refine((s) => s.trim().length > 0, "Paste a list or choose a CSV file"),
});

export interface BulkRowError {
  line: number;
  message: string;
}

export interface BulkRow {
  line: number;
  input: SpecialistInput;
}

const SPECIALTY_WORDS: Record<string, SpecialistInput["specialty"]> = {
  dermatology: "DERMATOLOGY",
  dermatologist: "DERMATOLOGY",
  radiology: "RADIOLOGY",
  radiologist: "RADIOLOGY",
  other: "OTHER",
};

/**
 * Rows of `email, name, specialty` separated by commas, semicolons or tabs; a first row naming the columns (any
 * order) is a header. Every problem names its line; a row with a problem is never invited.
 */
export function parseInviteList(raw: string): { rows: BulkRow[]; errors: BulkRowError[] } {
  let records: string[][];
  try {
    records = parse(raw.replace(/^\uFEFF/, ""), {
      delimiter: [",", ";", "\t"],
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 1;
    return { rows: [], errors: [{ line, message: `Not readable as CSV: ${(e as Error).message}` }] };
  }
  let columns = { email: 0, name: 1, specialty: 2 };
  let first = 0;
  const header = records[0]?.map((c) => c.toLowerCase());
  if (header?.includes("email")) {
    columns = { email: header.indexOf("email"), name: header.indexOf("name"), specialty: header.indexOf("specialty") };
    first = 1;
  }
  const rows: BulkRow[] = [];
  const errors: BulkRowError[] = [];
  const lineOfEmail = new Map<string, number>();
  records.slice(first).forEach((record, i) => {
    const line = first + i + 1;
    const cell = (c: number) => (c >= 0 ? (record[c] ?? "") : "");
    const specialtyText = cell(columns.specialty).toLowerCase();
    const parsed = specialistInputSchema.safeParse({
      email: cell(columns.email),
      name: cell(columns.name),
      specialty: SPECIALTY_WORDS[specialtyText] ?? specialtyText.toUpperCase(),
    });
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) =>
        issue.path[0] === "specialty"
          ? `specialty "${cell(columns.specialty)}" is not dermatology, radiology or other`
          : `${String(issue.path[0])}: ${issue.message}`,
      );
      errors.push({ line, message: problems.join("; ") });
      return;
    }
    const twice = lineOfEmail.get(parsed.data.email);
    if (twice !== undefined) {
      errors.push({ line, message: `${parsed.data.email} is already on line ${twice}` });
      return;
    }
    lineOfEmail.set(parsed.data.email, line);
    rows.push({ line, input: parsed.data });
  });
  if (rows.length + errors.length > MAX_BULK_ROWS) {
    return {
      rows: [],
      errors: [
        { line: 1, message: `At most ${MAX_BULK_ROWS} readers at once; the list has ${rows.length + errors.length}` },
      ],
    };
  }
  return { rows, errors };
}

export type BulkOutcome =
  | { kind: "new" }
  | { kind: "invited"; link: string; invitationId: string }
  | {
      kind: "existing";
      /** What stays: the study's invitation keeps its own name and specialty. */
      readerName: string;
      specialty: string;
      specialtyDiffers: boolean;
    }
  | { kind: "refused"; reason: string };

export interface BulkRowResult {
  line: number;
  email: string;
  name: string;
  specialty: SpecialistInput["specialty"];
  outcome: BulkOutcome;
}

export interface BulkResult {
  rows: BulkRowResult[];
  errors: BulkRowError[];
}

function parseList(raw: unknown) {
  const { list } = parseInput(bulkInviteSchema, { list: raw }, "Fix the list; nothing was invited.");
  return parseInviteList(list);
}

/** What inviting the list would do, row by row; writes nothing. */
export async function previewBulkInvite(studyId: string, raw: unknown): Promise<BulkResult> {
  const { rows, errors } = parseList(raw);
  const emails = rows.map((r) => r.input.email);
  const [accounts, invitations] = await Promise.all([
    db().user.findMany({ where: { email: { in: emails } }, select: { email: true, role: true, active: true } }),
    db().invitation.findMany({
      where: { studyId, reader: { email: { in: emails } } },
      select: { readerName: true, specialty: true, reader: { select: { email: true } } },
    }),
  ]);
  const accountOf = new Map(accounts.map((a) => [a.email, a]));
  const invitationOf = new Map(invitations.map((i) => [i.reader.email, i]));
  return {
    errors,
    rows: rows.map(({ line, input }) => {
      const account = accountOf.get(input.email);
      const inv = invitationOf.get(input.email);
      const outcome: BulkOutcome = inv
        ? {
            kind: "existing",
            readerName: inv.readerName,
            specialty: inv.specialty,
            specialtyDiffers: inv.specialty !== input.specialty,
          }
        : account && account.role !== "SPECIALIST"
          ? { kind: "refused", reason: "belongs to a staff account" }
          : account && !account.active
            ? { kind: "refused", reason: "the account is deactivated" }
            : { kind: "new" };
      return { line, ...input, outcome };
    }),
  };
}

/**
 * Invites every valid row that the study does not have yet; returns each row's outcome and the new links (shown
 * once). `afterInvite` runs for each new invitation (the caller emails the link when mail is configured).
 */
export async function bulkInvite(
  studyId: string,
  raw: unknown,
  actorId: string,
  afterInvite: (invitationId: string, link: string) => Promise<void> = () => Promise.resolve(),
): Promise<BulkResult> {
  const { rows, errors } = parseList(raw);
  if (rows.length === 0) throw DomainError.invalid("No row of the list can be invited; fix the rows shown.");
  const results: BulkRowResult[] = [];
  for (const { line, input } of rows) {
    let outcome: BulkOutcome;
    try {
      const { invitation, link } = await createInvitation(studyId, input, actorId);
      await afterInvite(invitation.id, link);
      outcome = { kind: "invited", link, invitationId: invitation.id };
    } catch (e) {
      const existing = existingInvitationOf(e);
      if (existing) {
        const inv = await db().invitation.findUniqueOrThrow({
          where: { id: existing.invitationId },
          select: { specialty: true },
        });
        outcome = {
          kind: "existing",
          readerName: existing.readerName,
          specialty: inv.specialty,
          specialtyDiffers: inv.specialty !== input.specialty,
        };
      } else if (isDomainError(e, "conflict") && !/closed|archived/i.test(e.message)) {
        outcome = { kind: "refused", reason: e.message };
      } else {
        throw e; // the study itself refuses (closed, archived, gone): stop, and say so for the whole list
      }
    }
    results.push({ line, ...input, outcome });
  }
  return { rows: results, errors };
}
