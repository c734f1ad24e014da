// The study's full export (docs/export-codebook.md); each download is written to the audit log.
import { studyExportHandler } from "@/lib/http/coordinator-route";

export const dynamic = "force-dynamic";

export const GET = studyExportHandler("full");
