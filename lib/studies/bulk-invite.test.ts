// Bulk invites: parsing with per-line errors, the preview writing nothing, and an email the study already has
// neither re-issued nor changed (its specialty stays), against the test database.
import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { db, disconnectDb } from "../db/client";
import { createStudyFixture } from "../testing/study-fixture";
import { bulkInvite, parseInviteList, previewBulkInvite, MAX_BULK_ROWS } from "./bulk-invite";
import { createInvitation } from "./invitations";
import { isDomainError } from "../errors/domain-error";
import { closeStudy } from "./study-commands";

after(() => disconnectDb());

const tag = () => randomBytes(3).toString("hex");

describe("parseInviteList", () => {
  test("pasted rows with any separator, a header in any order, and per-line errors", () => {
    const { rows, errors } = parseInviteList(
      [
        "name;email;specialty",
        "Ada Derm;ADA@clinic.test;dermatology",
        "Bo Rad;bo@clinic.test;Radiologist",
        "No Mail;;other",
        "Cy;cy@clinic.test;surgery",
        "Ada again;ada@clinic.test;other",
      ].join("\n"),
    );
    assert.deepEqual(
      rows.map((r) => [r.line, r.input.email, r.input.name, r.input.specialty]),
      [
        [2, "ada@clinic.test", "Ada Derm", "DERMATOLOGY"],
        [3, "bo@clinic.test", "Bo Rad", "RADIOLOGY"],
      ],
    );
    assert.deepEqual(
      errors.map((e) => e.line),
      [4, 5, 6],
    );
    assert.match(errors[0].message, /email/);
    assert.match(errors[1].message, /specialty "surgery"/);
    assert.match(errors[2].message, /already on line 2/);
  });

  test("without a header the columns are email, name, specialty; tabs and a BOM are fine", () => {
    const { rows, errors } = parseInviteList("\uFEFFd@x.test\tDee\tother\r\n");
    assert.deepEqual(errors, []);
    assert.deepEqual(rows[0].input, { email: "d@x.test", name: "Dee", specialty: "OTHER" });
  });

  test("more rows than the limit are refused as a whole", () => {
    const list = Array.from({ length: MAX_BULK_ROWS + 1 }, (_, i) => `r${i}@x.test,R ${i},other`).join("\n");
    const { rows, errors } = parseInviteList(list);
    assert.equal(rows.length, 0);
    assert.match(errors[0].message, /At most 200/);
  });
});

describe("bulk invite of a study", () => {
  test("the preview writes nothing; the invite creates the new rows only, each audited", async () => {
    const f = await createStudyFixture({ cases: 1, arms: 2 });
    const t = tag();
    const known = `known-${t}@clinic.test`;
    await createInvitation(f.studyId, { email: known, name: "Known Reader", specialty: "DERMATOLOGY" }, f.ownerId);
    const knownBefore = await db().invitation.findFirstOrThrow({ where: { studyId: f.studyId } });
    const list = [
      `new1-${t}@clinic.test, New One, radiology`,
      `${known}, Renamed, radiology`,
      `bad-${t}, Bad, other`,
      `new2-${t}@clinic.test, New Two, other`,
    ].join("\n");

    const auditsBefore = await db().auditEvent.count();
    const invitationsBefore = await db().invitation.count();
    const preview = await previewBulkInvite(f.studyId, list);
    assert.equal(await db().invitation.count(), invitationsBefore);
    assert.equal(await db().auditEvent.count(), auditsBefore);
    assert.deepEqual(
      preview.rows.map((r) => [r.line, r.outcome.kind]),
      [
        [1, "new"],
        [2, "existing"],
        [4, "new"],
      ],
    );
    assert.deepEqual(preview.rows[1].outcome, {
      kind: "existing",
      readerName: "Known Reader",
      specialty: "DERMATOLOGY",
      specialtyDiffers: true,
    });
    assert.deepEqual(
      preview.errors.map((e) => e.line),
      [3],
    );

    const emailed: string[] = [];
    const result = await bulkInvite(f.studyId, list, f.ownerId, (id) => {
      emailed.push(id);
      return Promise.resolve();
    });
    const invited = result.rows.filter((r) => r.outcome.kind === "invited");
    assert.equal(invited.length, 2);
    assert.equal(emailed.length, 2);
    for (const r of invited)
      assert.ok(r.outcome.kind === "invited" && /\/invite\/[A-Za-z0-9_-]+$/.test(r.outcome.link));
    assert.equal(result.rows[1].outcome.kind, "existing");
    // The known reader's invitation is exactly as it was: no new link, same name and specialty.
    const knownAfter = await db().invitation.findUniqueOrThrow({ where: { id: knownBefore.id } });
    assert.deepEqual(knownAfter, knownBefore);
    const issued = await db().auditEvent.findMany({
      where: {
        action: "invitation.issue",
        subject: { in: invited.map((r) => (r.outcome as { invitationId: string }).invitationId) },
      },
    });
    assert.equal(issued.length, 2);
    // Inviting the same list again invites nobody new.
    const again = await bulkInvite(f.studyId, list, f.ownerId);
    assert.ok(again.rows.every((r) => r.outcome.kind === "existing"));
  });

  test("an empty or all-bad list, and a closed study, invite nobody", async () => {
    const f = await createStudyFixture({ cases: 1, arms: 2 });
    await assert.rejects(bulkInvite(f.studyId, "  ", f.ownerId), (e) => isDomainError(e, "invalid"));
    await assert.rejects(bulkInvite(f.studyId, "nope,No,other", f.ownerId), (e) => isDomainError(e, "invalid"));
    await closeStudy(f.studyId, f.ownerId);
    await assert.rejects(bulkInvite(f.studyId, `c-${tag()}@x.test,C,other`, f.ownerId), (e) =>
      isDomainError(e, "conflict"),
    );
    assert.equal(await db().invitation.count({ where: { studyId: f.studyId } }), 0);
  });
});
