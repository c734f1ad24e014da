import Link from "next/link";
import { requireRole } from "@/lib/auth/session";
import { orNotFound } from "@/lib/http/page-lookup";
import { db } from "@/lib/db/client";
import { manageableStudy } from "@/lib/studies/study-access";
import { runLabel } from "@/lib/studies/study-queries";
import { readSettings } from "@/lib/studies/study-settings";
import { studyProgress } from "@/lib/studies/progress";
import {
  archiveAction,
  bulkInviteAction,
  remindAction,
  reminderScheduleAction,
  cloneAction,
  closeAction,
  deleteDraftAction,
  excludeReaderAction,
  reopenAction,
  unarchiveAction,
  inviteAction,
  publishAction,
  reentryLinkAction,
  reissueAction,
  revokeAction,
  revokeReentryAction,
  updateQuestionsAction,
  updateSettingsAction,
} from "../actions";
import { liveReentryLinks, mailEnabled } from "@/lib/studies/invitations-reentry";
import { BulkInviteForm } from "./bulk-invite-form";
import { RemindersPanel } from "./reminders-panel";
import { ActionButton } from "./action-button";
import { InviteForm } from "./invite-form";
import { SettingsForm } from "./settings-form";
import { QuestionsForm } from "./questions-form";
import { QuestionsSummary } from "../questions-editor";
import { readQuestions } from "@/lib/studies/study-questions";
import { SettingsFields } from "../settings-fields";
import { EmptyState } from "../../../components/empty-state";
import { formatDuration, formatMoment, StatusBadge } from "../format";

export const dynamic = "force-dynamic";

export default async function StudyPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireRole("COORDINATOR", "ADMIN");
  const { id } = await params;
  await orNotFound(() => manageableStudy(user, id));
  const [study, progress, reentry] = await Promise.all([
    db().study.findUniqueOrThrow({
      where: { id },
      include: {
        dataset: { select: { name: true, classNames: true } },
        arms: {
          orderBy: { armIndex: "asc" },
          include: { modelRun: { select: { id: true, variant: true, seed: true, valAuc: true } } },
        },
        cases: {
          orderBy: { caseIndex: "asc" },
          include: { image: { select: { id: true, label: true, originalName: true } } },
        },
      },
    }),
    studyProgress(id),
    liveReentryLinks(id),
  ]);
  const settings = readSettings(study.settings);
  const questions = readQuestions(study);
  const archived = study.archivedAt !== null;
  const draft = study.status === "DRAFT" && !archived;
  const closed = study.status === "CLOSED";

  return (
    <section className="space-y-6">
      <p className="text-sm">
        <Link href="/coordinator" className="text-blue-700 underline">
          ← Studies
        </Link>
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{study.title}</h1>
        <StatusBadge status={study.status} />
        <div className="ml-auto flex flex-wrap gap-3 text-sm">
          <Link href={`/coordinator/studies/${id}/preview`} className="rounded border border-slate-400 px-3 py-1">
            Preview as reader
          </Link>
          <Link href={`/coordinator/studies/${id}/results`} className="rounded border border-slate-400 px-3 py-1">
            Results
          </Link>
          <a href={`/api/coordinator/studies/${id}/export.csv`} className="rounded border border-slate-400 px-3 py-1">
            Export CSV
          </a>
          <a href={`/api/coordinator/studies/${id}/export.json`} className="rounded border border-slate-400 px-3 py-1">
            Export JSON
          </a>
        </div>
      </div>
      <dl className="grid gap-1 text-sm sm:grid-cols-[10rem_1fr]">
        <dt className="text-slate-600">Dataset</dt>
        <dd>{study.dataset.name}</dd>
        {study.instructions && (
          <>
            <dt className="text-slate-600">Instructions</dt>
            <dd className="whitespace-pre-wrap">{study.instructions}</dd>
          </>
        )}
        <dt className="text-slate-600">Published</dt>
        <dd>{formatMoment(study.publishedAt)}</dd>
        {study.closedAt && (
          <>
            <dt className="text-slate-600">Closed</dt>
            <dd>{formatMoment(study.closedAt)}</dd>
          </>
        )}
      </dl>

      {archived && (
        <p role="status" className="rounded border border-slate-300 bg-slate-100 p-2 text-sm" data-testid="archived">
          Archived on {formatMoment(study.archivedAt)}: hidden from the study list and read-only. Results and exports
          stay available; un-archive to change anything.
        </p>
      )}

      <div className="flex flex-wrap items-start gap-4">
        {draft && (
          <ActionButton
            action={publishAction.bind(null, id)}
            label="Publish"
            pendingLabel="Publishing…"
            tone="primary"
          />
        )}
        {study.status === "OPEN" && (
          <ActionButton
            action={closeAction.bind(null, id)}
            label="Close study"
            confirmText="Close the study? Readers can no longer answer."
            tone="danger"
          />
        )}
        {draft && (
          <ActionButton
            action={deleteDraftAction.bind(null, id)}
            label="Delete draft"
            confirmText="Delete this draft study?"
            tone="danger"
          />
        )}
        {closed && !archived && (
          <ActionButton
            action={reopenAction.bind(null, id)}
            label="Reopen study"
            confirmText="Reopen the study? Invited readers can answer again."
          />
        )}
        <ActionButton
          action={cloneAction.bind(null, id)}
          label="Clone"
          pendingLabel="Cloning…"
          confirmText="Make a new draft with this study's settings, arms and cases? Readers are not copied."
        />
        {study.status !== "OPEN" && !archived && (
          <ActionButton
            action={archiveAction.bind(null, id)}
            label="Archive"
            confirmText="Archive the study? It leaves the study list and becomes read-only (you can un-archive it)."
          />
        )}
        {archived && <ActionButton action={unarchiveAction.bind(null, id)} label="Un-archive" />}
        {draft && (
          <p className="max-w-md text-sm text-slate-600">
            Publishing locks the arms and cases and lets invited readers start. Readers can be invited before or after.
          </p>
        )}
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <section>
          <h2 className="mb-2 text-lg font-medium">Arms ({study.arms.length})</h2>
          <ul className="space-y-1 text-sm">
            {study.arms.map((a) => (
              <li key={a.id} className="rounded border border-slate-200 bg-white px-2 py-1">
                {runLabel(a.modelRun)} · AUC {a.modelRun.valAuc === null ? "—" : a.modelRun.valAuc.toFixed(3)}
              </li>
            ))}
          </ul>
        </section>
        <section>
          <h2 className="mb-2 text-lg font-medium">Cases ({study.cases.length})</h2>
          <ul className="grid grid-cols-6 gap-1" aria-label="Cases">
            {study.cases.map((c) => (
              <li key={c.id} title={`Case ${c.caseIndex + 1}: ${c.image.originalName}`} className="text-center text-xs">
                {/* eslint-disable-next-line @next/next/no-img-element -- needs the session cookie */}
                <img
                  src={`/api/coordinator/images/${c.image.id}`}
                  alt={`Case ${c.caseIndex + 1}`}
                  loading="lazy"
                  className="aspect-square w-full rounded border object-contain [image-rendering:pixelated]"
                />
                {c.caseIndex + 1} · {study.dataset.classNames[c.image.label] ?? c.image.label}
              </li>
            ))}
          </ul>
        </section>
      </div>

      <section>
        <h2 className="mb-2 text-lg font-medium">Questions</h2>
        {draft ? (
          <QuestionsForm action={updateQuestionsAction.bind(null, id)} questions={questions} />
        ) : (
          <div className="rounded-lg border border-slate-200 bg-white p-4">
            <QuestionsSummary questions={questions} />
          </div>
        )}
      </section>

      <section>
        <h2 className="mb-2 text-lg font-medium">Settings</h2>
        {draft ? (
          <SettingsForm action={updateSettingsAction.bind(null, id)} settings={settings} />
        ) : (
          <div className="rounded-lg border border-slate-200 bg-white p-4">
            <SettingsFields settings={settings} disabled />
          </div>
        )}
      </section>

      <section className="space-y-3">
        <h2 className="text-lg font-medium">Readers</h2>
        {study.status !== "CLOSED" && !archived && (
          <InviteForm
            action={inviteAction.bind(null, id)}
            reissue={reissueAction.bind(null, id)}
            reentry={reentryLinkAction.bind(null, id)}
          />
        )}
        {study.status !== "CLOSED" && !archived && (
          <BulkInviteForm action={bulkInviteAction.bind(null, id)} mailOn={mailEnabled()} />
        )}
        {progress.readers.length === 0 ? (
          <EmptyState title="No readers invited yet">
            Invite specialists by email; each gets a personal link to copy and send.
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full border-collapse bg-white text-sm" data-testid="progress-table">
              <thead>
                <tr className="border-b text-left">
                  <th className="p-2">Reader</th>
                  <th className="p-2">Pseudonym</th>
                  <th className="p-2">Specialty</th>
                  <th className="p-2">Invitation</th>
                  <th className="p-2">Answered</th>
                  <th className="p-2">Last active</th>
                  <th className="p-2">Median time per case</th>
                  <th className="p-2">Link</th>
                </tr>
              </thead>
              <tbody>
                {progress.readers.map((r) => (
                  <tr key={r.invitationId} className="border-b align-top" data-testid={`reader-row-${r.email}`}>
                    <td className="p-2">
                      <Link
                        href={`/coordinator/studies/${id}/readers/${r.invitationId}`}
                        className="text-blue-700 underline"
                      >
                        {r.name}
                      </Link>
                      <br />
                      <span className="text-xs text-slate-600">{r.email}</span>
                    </td>
                    <td className="p-2 font-mono text-xs">{r.pseudonym}</td>
                    <td className="p-2">{r.specialty?.toLowerCase() ?? "—"}</td>
                    <td className="p-2" data-testid="invitation-state">
                      {r.status === "REVOKED"
                        ? "revoked"
                        : r.linkUsed
                          ? "accepted"
                          : r.expiresAt < new Date()
                            ? "expired"
                            : "link not yet used"}
                      {r.excluded && r.status !== "REVOKED" && (
                        <>
                          <br />
                          <span className="rounded bg-amber-100 px-1 text-xs text-amber-900">
                            excluded from statistics
                          </span>
                        </>
                      )}
                    </td>
                    <td className="p-2" data-testid="answered">
                      {r.answered} / {r.total}
                    </td>
                    <td className="p-2">
                      {formatMoment(r.lastActiveAt)}
                      {reentry.has(r.invitationId) && (
                        <>
                          <br />
                          <span className="text-xs text-slate-600">re-entry link live</span>
                        </>
                      )}
                    </td>
                    <td className="p-2">{formatDuration(r.medianServerTimeMs)}</td>
                    <td className="space-y-1 p-2" data-testid="reader-links">
                      {!archived && r.status !== "REVOKED" && (
                        <ActionButton
                          action={reentryLinkAction.bind(null, id, r.invitationId)}
                          label="Re-entry link"
                          linkLabel="Re-entry link"
                          confirmText={
                            reentry.has(r.invitationId)
                              ? "Create a new re-entry link? The reader's current one stops working."
                              : undefined
                          }
                        />
                      )}
                      {!archived && reentry.has(r.invitationId) && (
                        <ActionButton
                          action={revokeReentryAction.bind(null, id, r.invitationId)}
                          label="Revoke re-entry link"
                          confirmText="Revoke this reader's re-entry link?"
                          tone="danger"
                        />
                      )}
                      {!closed && !archived && r.status !== "REVOKED" && (
                        <ActionButton
                          action={reissueAction.bind(null, id, r.invitationId)}
                          label="Re-issue link"
                          confirmText="Issue a new invitation link? The current one stops working. (To let a reader back in, a re-entry link is enough.)"
                        />
                      )}
                      {r.status !== "REVOKED" && !closed && !archived && (
                        <ActionButton
                          action={revokeAction.bind(null, id, r.invitationId)}
                          label="Revoke"
                          confirmText={`Revoke ${r.email}'s access?`}
                          tone="danger"
                        />
                      )}
                      {r.status !== "REVOKED" && !archived && (
                        <ActionButton
                          action={excludeReaderAction.bind(null, id, r.invitationId, !r.excluded)}
                          label={r.excluded ? "Include in statistics" : "Exclude from statistics"}
                          confirmText={
                            r.excluded
                              ? undefined
                              : `Leave ${r.email}'s answers out of every statistic? They stay in the exports, and you can include them again.`
                          }
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {progress.completion !== null && (
              <p className="mt-1 text-sm text-slate-600">
                Overall: {(100 * progress.completion).toFixed(0)} % of (active readers × cases) answered.
              </p>
            )}
          </div>
        )}
        {study.status === "OPEN" && !archived && progress.readers.length > 0 && (
          <RemindersPanel
            remind={remindAction.bind(null, id)}
            schedule={reminderScheduleAction.bind(null, id)}
            intervalDays={study.reminderIntervalDays}
            nextAt={study.nextReminderAt ? formatMoment(study.nextReminderAt) : null}
            unfinished={progress.readers.filter((r) => r.status !== "REVOKED" && r.answered < r.total).length}
            mailOn={mailEnabled()}
          />
        )}
      </section>
    </section>
  );
}
