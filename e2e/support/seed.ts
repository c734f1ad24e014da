// Test data written straight to the test database through the same library the app uses.
import { randomBytes } from "node:crypto";
import { db } from "../../lib/db/client";
import { createStaffUser } from "../../lib/users/users";
import { createInvitation } from "../../lib/studies/invitations";

export const PASSWORD = "correct horse battery";

export function uniqueEmail(tag: string): string {
  return `${tag}-${randomBytes(4).toString("hex")}@e2e.test`;
}

export async function staffUser(role: "ADMIN" | "COORDINATOR" | "RESEARCHER") {
  const email = uniqueEmail(role.toLowerCase());
  await createStaffUser({ email, name: `E2E ${role}`, role, password: PASSWORD }, null);
  return { email, password: PASSWORD };
}

/** A draft study on an empty dataset: enough to hang an invitation on. */
export async function studyWithInvitation(status: "DRAFT" | "OPEN" = "OPEN") {
  const coordinator = await staffUser("COORDINATOR");
  const owner = await db().user.findUniqueOrThrow({ where: { email: coordinator.email } });
  const dataset = await db().dataset.create({
    data: {
      name: `e2e-${randomBytes(4).toString("hex")}`,
      modality: "SYNTHETIC",
      classNames: ["benign", "malignant"],
      imageSize: 32,
      splitSeed: 1,
    },
  });
  const study = await db().study.create({
    data: {
      title: "E2E study",
      datasetId: dataset.id,
      ownerId: owner.id,
      settings: {},
      designSeed: randomBytes(8).toString("hex"),
      status,
    },
  });
  const { link } = await createInvitation(
    study.id,
    { email: uniqueEmail("reader"), name: "E2E Reader", specialty: "DERMATOLOGY" },
    owner.id,
  );
  return { study, link, coordinator };
}

/** The first of the app's FOCUS_IMPORT_ROOTS (set by scripts/test-e2e.ts): where specs put folders to import. */
export function importRoot(): string {
  const first = (process.env.FOCUS_IMPORT_ROOTS ?? "").split(":").find((p) => p.trim() !== "");
  if (!first) throw new Error("FOCUS_IMPORT_ROOTS is not set: run the browser tests through npm run test:e2e");
  return first;
}
