// Study operations against the test database: clone, reopen, archive, exclusion, the per-study invitation expiry.
// Each command is also tried by another coordinator (refused as "no such study", nothing changes) and shown to
// write its audit event in the same transaction: an actor whose audit row cannot be written (no such user, so the
// foreign key fails) leaves the study untouched.
import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { db, disconnectDb } from "../db/client";
import { isDomainError } from "../errors/domain-error";
import { createStudyFixture } from "../testing/study-fixture";
import { fixtureCoordinator } from "../testing/seed-runs";
import {
  archiveStudy,
  cloneStudy,
  cloneTitle,
  reopenStudy,
  setReaderExcluded,
  unarchiveStudy,
} from "./study-lifecycle";
import { closeStudy, updateStudySettings } from "./study-commands";
import { createInvitation, reissueInvitation } from "./invitations";
import { issueReentryLink } from "./invitations-reentry";
import { readerCase, submitAnswer } from "./reader-survey";
import { studyResults } from "./results";
import { readSettings } from "./study-settings";
import { parseStudySettings } from "./study-schemas";
import { exportStudy } from "../export/study-exports";

after(() => disconnectDb());

const ghostAdmin = { id: "no-such-user-for-audit", role: "ADMIN" as const };

async function refused(p: Promise<unknown>, kind: "not-found" | "conflict" | "invalid"): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(isDomainError(e, kind), `expected ${kind}, got ${String(e)}`);
    return (e as Error).message;
  }
  assert.fail(`expected a ${kind} refusal`);
}

/** Audit events of `action` about `subject`. */
const audits = (action: string, subject: string) =>
  db().auditEvent.findMany({ where: { action, subject }, orderBy: { createdAt: "asc" } });

const owner = async (studyId: string) => {
  const s = await db().study.findUniqueOrThrow({ where: { id: studyId }, select: { ownerId: true } });
  return { id: s.ownerId, role: "COORDINATOR" as const };
};

describe("cloneStudy", () => {
  test("copies settings, arms and cases into a new draft of the actor, with a fresh seed; audited", async () => {
    const f = await createStudyFixture({ cases: 3, arms: 3, settings: { caseOrder: "random", rationaleMin: 7 } });
    const me = await owner(f.studyId);
    await f.inviteReader();
    // Copied as stored, whatever the question model makes of it.
    const questions = [{ id: "q-clone-check", kind: "rating", required: false }];
    await db().study.update({ where: { id: f.studyId }, data: { questions } });
    const { id } = await cloneStudy(me, f.studyId);
    const [src, copy] = await Promise.all(
      [f.studyId, id].map((sid) =>
        db().study.findUniqueOrThrow({
          where: { id: sid },
          include: {
            arms: { orderBy: { armIndex: "asc" } },
            cases: { orderBy: { caseIndex: "asc" } },
            _count: { select: { invitations: true } },
          },
        }),
      ),
    );
    assert.equal(copy.status, "DRAFT");
    assert.equal(copy.title, `${src.title} (copy)`);
    assert.equal(copy.ownerId, me.id);
    assert.deepEqual(readSettings(copy.settings), readSettings(src.settings));
    assert.deepEqual(copy.questions, questions);
    assert.deepEqual(
      copy.arms.map((a) => [a.armIndex, a.modelRunId]),
      src.arms.map((a) => [a.armIndex, a.modelRunId]),
    );
    assert.deepEqual(
      copy.cases.map((c) => [c.caseIndex, c.imageId]),
      src.cases.map((c) => [c.caseIndex, c.imageId]),
    );
    assert.notEqual(copy.designSeed, src.designSeed);
    assert.equal(copy._count.invitations, 0, "readers are not copied");
    const [event] = await audits("study.clone", id);
    assert.equal(event.actorId, me.id);
    assert.deepEqual(event.details, { from: f.studyId, arms: 3, cases: 3 });
  });

  test("another coordinator is told the study does not exist; a failed audit leaves no copy", async () => {
    const f = await createStudyFixture({ cases: 1, arms: 2 });
    const other = await fixtureCoordinator();
    const before = await db().study.count();
    await refused(cloneStudy({ id: other.id, role: "COORDINATOR" }, f.studyId), "not-found");
    await assert.rejects(cloneStudy(ghostAdmin, f.studyId));
    assert.equal(await db().study.count(), before);
  });

  test("a long title stays within the title's limit", () => {
    assert.equal(cloneTitle("x".repeat(200)).length, 200);
    assert.ok(cloneTitle("x".repeat(200)).endsWith(" (copy)"));
  });
});

describe("reopenStudy", () => {
  test("a closed study opens again and readers can answer; audited; only closed studies reopen", async () => {
    const f = await createStudyFixture({ cases: 2, arms: 2 });
    const me = await owner(f.studyId);
    const r = await f.inviteReader();
    await closeStudy(f.studyId, me.id);
    await refused(reopenStudy({ id: (await fixtureCoordinator()).id, role: "COORDINATOR" }, f.studyId), "not-found");
    await assert.rejects(reopenStudy(ghostAdmin, f.studyId));
    assert.equal((await db().study.findUniqueOrThrow({ where: { id: f.studyId } })).status, "CLOSED");

    await reopenStudy(me, f.studyId);
    const study = await db().study.findUniqueOrThrow({ where: { id: f.studyId } });
    assert.equal(study.status, "OPEN");
    assert.equal(study.closedAt, null);
    await readerCase(r.readerId, f.studyId, 1);
    await submitAnswer(r.readerId, f.studyId, 1, { slot: "A", rationale: "after reopening", confidence: 2 });
    assert.equal((await audits("study.reopen", f.studyId)).length, 1);
    assert.match(await refused(reopenStudy(me, f.studyId), "conflict"), /already open/);
    const draft = await createStudyFixture({ cases: 1, arms: 2, status: "DRAFT" });
    assert.match(await refused(reopenStudy(await owner(draft.studyId), draft.studyId), "conflict"), /draft/);
  });
});

describe("archiveStudy", () => {
  test("an open study must be closed first; an archived one is read-only until un-archived; audited", async () => {
    const f = await createStudyFixture({ cases: 1, arms: 2 });
    const me = await owner(f.studyId);
    const inv = await f.inviteReader();
    assert.match(await refused(archiveStudy(me, f.studyId), "conflict"), /Close the study/);
    await closeStudy(f.studyId, me.id);
    await refused(archiveStudy({ id: (await fixtureCoordinator()).id, role: "COORDINATOR" }, f.studyId), "not-found");
    await assert.rejects(archiveStudy(ghostAdmin, f.studyId));
    assert.equal((await db().study.findUniqueOrThrow({ where: { id: f.studyId } })).archivedAt, null);

    await archiveStudy(me, f.studyId);
    assert.ok((await db().study.findUniqueOrThrow({ where: { id: f.studyId } })).archivedAt);
    assert.equal((await audits("study.archive", f.studyId)).length, 1);
    // Read-only: every change is refused with the same message.
    const readOnly = /archived and read-only/;
    assert.match(await refused(reopenStudy(me, f.studyId), "conflict"), readOnly);
    assert.match(await refused(reissueInvitation(inv.invitationId, me.id), "conflict"), readOnly);
    assert.match(await refused(issueReentryLink(f.studyId, inv.invitationId, me.id), "conflict"), readOnly);
    assert.match(await refused(setReaderExcluded(me, f.studyId, inv.invitationId, true), "conflict"), readOnly);
    assert.match(
      await refused(
        createInvitation(f.studyId, { email: "late@fixture.test", name: "Late", specialty: "OTHER" }, me.id),
        "conflict",
      ),
      readOnly,
    );
    // Still readable and exportable, and clonable.
    assert.ok((await exportStudy(f.studyId, "tidy", me.id)).body.startsWith("study_id"));
    await cloneStudy(me, f.studyId);
    assert.match(await refused(archiveStudy(me, f.studyId), "conflict"), /already archived/);

    await unarchiveStudy(me, f.studyId);
    assert.equal((await db().study.findUniqueOrThrow({ where: { id: f.studyId } })).archivedAt, null);
    assert.equal((await audits("study.unarchive", f.studyId)).length, 1);
    await reopenStudy(me, f.studyId);
  });

  test("a draft can be archived, and its settings then stay as they are", async () => {
    const f = await createStudyFixture({ cases: 1, arms: 2, status: "DRAFT" });
    const me = await owner(f.studyId);
    await archiveStudy(me, f.studyId);
    await refused(updateStudySettings(f.studyId, parseStudySettings({ rationaleMin: 1 }), me.id), "conflict");
  });
});

describe("setReaderExcluded", () => {
  test("an excluded reader's answers stay exported but leave every statistic; reversible; audited", async () => {
    const f = await createStudyFixture({ cases: 2, arms: 2 });
    const me = await owner(f.studyId);
    const a = await f.inviteReader();
    const b = await f.inviteReader();
    for (const r of [a, b]) {
      for (const n of [1, 2]) {
        await readerCase(r.readerId, f.studyId, n);
        await submitAnswer(r.readerId, f.studyId, n, { slot: "A", rationale: "because it is", confidence: 3 });
      }
    }
    assert.equal((await studyResults(f.studyId)).summary.n_readers, 2);

    const other = await fixtureCoordinator();
    await refused(
      setReaderExcluded({ id: other.id, role: "COORDINATOR" }, f.studyId, b.invitationId, true),
      "not-found",
    );
    await assert.rejects(setReaderExcluded(ghostAdmin, f.studyId, b.invitationId, true));
    const otherStudy = await createStudyFixture({ cases: 1, arms: 2 });
    // An invitation of another study, named through this study: "no such invitation".
    const foreign = await otherStudy.inviteReader();
    await refused(setReaderExcluded(me, f.studyId, foreign.invitationId, true), "not-found");
    assert.equal((await studyResults(f.studyId)).summary.n_readers, 2);

    await setReaderExcluded(me, f.studyId, b.invitationId, true);
    const res = await studyResults(f.studyId);
    assert.equal(res.summary.n_readers, 1);
    assert.equal(res.summary.n_answers, 2);
    assert.deepEqual(res.leftOut, [{ readerId: b.pseudonym, status: "excluded", answers: 2 }]);
    const tidy = (await exportStudy(f.studyId, "tidy", me.id)).body;
    assert.ok(tidy.split("\r\n").some((line) => line.includes(b.pseudonym) && line.includes(",excluded,")));
    assert.match(await refused(setReaderExcluded(me, f.studyId, b.invitationId, true), "conflict"), /already/);
    // The reader keeps access: exclusion is about the analysis.
    await readerCase(b.readerId, f.studyId, 1);

    await setReaderExcluded(me, f.studyId, b.invitationId, false);
    assert.equal((await studyResults(f.studyId)).summary.n_readers, 2);
    assert.deepEqual(
      [
        (await audits("invitation.exclude", b.invitationId)).length,
        (await audits("invitation.include", b.invitationId)).length,
      ],
      [1, 1],
    );
  });
});

describe("invitation expiry per study", () => {
  test("links expire after the study's setting; the schema refuses days out of range", async () => {
    const f = await createStudyFixture({ cases: 1, arms: 2, settings: { invitationExpiryDays: 3 } });
    const me = await owner(f.studyId);
    const t0 = Date.now();
    const r = await f.inviteReader();
    const inv = await db().invitation.findUniqueOrThrow({ where: { id: r.invitationId } });
    const days = (inv.expiresAt.getTime() - t0) / 86_400_000;
    assert.ok(days > 2.99 && days < 3.01, `expected 3 days, got ${days}`);
    const { expiresAt } = await issueReentryLink(f.studyId, r.invitationId, me.id);
    assert.ok(Math.abs((expiresAt.getTime() - t0) / 86_400_000 - 3) < 0.01);
    const defaults = await createStudyFixture({ cases: 1, arms: 2 });
    const d = await db().invitation.findUniqueOrThrow({ where: { id: (await defaults.inviteReader()).invitationId } });
    assert.ok(Math.abs((d.expiresAt.getTime() - Date.now()) / 86_400_000 - 14) < 0.01);
    for (const bad of [0, 91, 2.5]) {
      await refused(
        Promise.resolve().then(() => parseStudySettings({ invitationExpiryDays: bad })),
        "invalid",
      );
    }
  });
});
