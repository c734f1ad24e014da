import { notFound, redirect } from "next/navigation";
import { requireRole } from "@/lib/auth/session";
import { isDomainError } from "@/lib/errors/domain-error";
import { manageableStudy } from "@/lib/studies/study-access";
import { previewCasePath } from "@/lib/studies/reader-preview";

export const dynamic = "force-dynamic";

export default async function PreviewEntry({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireRole("COORDINATOR", "ADMIN");
  const { id } = await params;
  try {
    await manageableStudy(user, id);
  } catch (e) {
    if (isDomainError(e, "not-found")) notFound();
    throw e;
  }
  redirect(previewCasePath(id, 1));
}
