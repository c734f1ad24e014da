import { redirect } from "next/navigation";
import { requireRole } from "@/lib/auth/session";
import { orNotFound } from "@/lib/http/page-lookup";
import { manageableStudy } from "@/lib/studies/study-access";
import { previewCasePath } from "@/lib/studies/reader-preview";

export const dynamic = "force-dynamic";

export default async function PreviewEntry({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireRole("COORDINATOR", "ADMIN");
  const { id } = await params;
  await orNotFound(() => manageableStudy(user, id));
  redirect(previewCasePath(id, 1));
}
