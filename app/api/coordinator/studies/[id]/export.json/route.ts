// Every submitted answer of the study as JSON; each download is written to the audit log.
import { studyExportHandler } from "@/lib/http/coordinator-route";

export const dynamic = "force-dynamic";

export const GET = studyExportHandler("json");
