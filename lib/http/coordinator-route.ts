// Shared shape of the coordinator's study endpoints: coordinator or admin, and only a study they
// may manage (another coordinator's study answers 404, like a missing one).
import { requireApiRole } from "../auth/session";
import { handle } from "./handler";
import { manageableStudy } from "../studies/study-access";
import { exportStudyAnswers } from "../export/answers-export";
import { exportStudy, type StudyExportKind } from "../export/study-exports";
import { downloadResponse } from "./download-response";

export async function managedStudyContext(params: Promise<{ id: string }>) {
  const user = await requireApiRole("COORDINATOR", "ADMIN");
  const { id } = await params;
  await manageableStudy(user, id);
  return { user, studyId: id };
}

/** GET handler that downloads a study's answers; each download is written to the audit log. */
export function studyExportHandler(format: "csv" | "json" | StudyExportKind) {
  return (_req: Request, { params }: { params: Promise<{ id: string }> }) =>
    handle(async () => {
      const { user, studyId } = await managedStudyContext(params);
      const file =
        format === "csv" || format === "json"
          ? await exportStudyAnswers(studyId, format, user.id)
          : await exportStudy(studyId, format, user.id);
      return downloadResponse(file);
    });
}
