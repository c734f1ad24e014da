// A file the signed-in user downloads (exports, reports, predictions): saved rather than shown, never cached,
// and never sniffed into another type.

export interface DownloadFile {
  body: string | Uint8Array<ArrayBuffer>;
  contentType: string;
  filename: string;
}

export function downloadResponse(file: DownloadFile): Response {
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
