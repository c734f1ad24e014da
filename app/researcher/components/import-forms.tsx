"use client";
// Two ways to bring a dataset in: a folder already on the server (the model lab's importer), or a zip in
// the same layout uploaded from the browser. The zip is sent as the raw request body so the server can
// stream it to disk; it never passes through a server action (those buffer the body in memory).
// Both offer the same label-table picker: for a folder from the server's reading of it, for a zip from a preview
// upload as soon as the file is chosen (checked, summarised and deleted again; nothing is stored before "Upload").
import { startTransition, useActionState, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { importFolderAction, previewLabelTablesAction, type FormState } from "../actions";
import type { TablePreview } from "@/lib/datasets/label-table-preview";
import { LabelTablePicker } from "./label-table-picker";
import { MODALITY_LABEL } from "../format";
import { FieldError, FormMessage, inputClass } from "./field-error";
import { IMPORT_ROOTS_HINT } from "@/lib/datasets/import-roots-hint";

const initial: FormState = { ok: false, message: "" };

function CommonFields({
  errors,
  prefix,
  positiveFromTable = false,
}: {
  errors?: Record<string, string>;
  prefix: string;
  /** With a label table the picker supplies the positive values. */
  positiveFromTable?: boolean;
}) {
  return (
    <>
      <label className="text-sm font-medium" htmlFor={`${prefix}-name`}>
        Dataset name
        <input id={`${prefix}-name`} name="name" required className={inputClass} aria-invalid={!!errors?.name} />
        <FieldError error={errors?.name} />
      </label>
      {positiveFromTable ? (
        <FieldError error={errors?.positive ?? errors?.negative ?? errors?.imageColumn ?? errors?.labelColumn} />
      ) : (
        <label className="text-sm font-medium" htmlFor={`${prefix}-positive`}>
          Positive class (folder name)
          <input
            id={`${prefix}-positive`}
            name="positive"
            required
            placeholder="malignant"
            className={inputClass}
            aria-invalid={!!errors?.positive}
          />
          <FieldError error={errors?.positive} />
        </label>
      )}
      <label className="text-sm font-medium" htmlFor={`${prefix}-modality`}>
        Modality
        <select id={`${prefix}-modality`} name="modality" defaultValue="OTHER" className={inputClass}>
          {Object.entries(MODALITY_LABEL).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
        <FieldError error={errors?.modality} />
      </label>
      <label className="text-sm font-medium" htmlFor={`${prefix}-size`}>
        Stored image size (px)
        <input
          id={`${prefix}-size`}
          name="size"
          type="number"
          min={16}
          max={1024}
          defaultValue={224}
          className={inputClass}
          aria-invalid={!!errors?.size}
        />
        <FieldError error={errors?.size} />
      </label>
      <label className="text-sm font-medium" htmlFor={`${prefix}-fit`}>
        Non-square images
        <select id={`${prefix}-fit`} name="fit" defaultValue="cover" className={inputClass}>
          <option value="cover">cover: crop the centre square (masks alike)</option>
          <option value="contain">contain: pad to a square with black (masks alike)</option>
        </select>
        <FieldError error={errors?.fit} />
      </label>
      <label className="text-sm font-medium" htmlFor={`${prefix}-window`}>
        DICOM window (optional)
        <input
          id={`${prefix}-window`}
          name="window"
          placeholder="center,width, e.g. 40,400; empty: each file's own"
          className={inputClass}
          aria-invalid={!!errors?.window}
        />
        <FieldError error={errors?.window} />
      </label>
    </>
  );
}

/** The choice between class folders and a found label table; shown only when there is a table. */
function UseTableToggle({
  tables,
  useTable,
  setUseTable,
}: {
  tables: TablePreview[] | null;
  useTable: boolean;
  setUseTable: (v: boolean) => void;
}) {
  if (!tables || tables.length === 0) return null;
  return (
    <label className="text-sm">
      <input type="checkbox" checked={useTable} onChange={(e) => setUseTable(e.target.checked)} /> Labels from a table
      (instead of class folders)
    </label>
  );
}

/** `roots`: FOCUS_IMPORT_ROOTS; the server refuses every folder outside them, and everything when there are none. */
export function FolderImportForm({ roots }: { roots: readonly string[] }) {
  const [state, action, pending] = useActionState(importFolderAction, initial);
  const [folder, setFolder] = useState("");
  const [tables, setTables] = useState<TablePreview[] | null>(null);
  const [useTable, setUseTable] = useState(false);
  const [lookup, setLookup] = useState<FormState>(initial);
  const [looking, setLooking] = useState(false);
  if (roots.length === 0) {
    return (
      <section aria-label="Import a folder" className="grid gap-2 rounded-lg border border-slate-200 bg-white p-4">
        <h3 className="font-medium">From a folder on the server</h3>
        <p className="text-sm text-slate-700" data-testid="folder-import-off">
          Importing a folder from the server is off. {IMPORT_ROOTS_HINT} Meanwhile, upload the data set as a zip.
        </p>
      </section>
    );
  }
  return (
    <form
      noValidate
      aria-label="Import a folder"
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
    >
      <h3 className="font-medium">From a folder on the server</h3>
      <p className="text-xs text-slate-600">
        Layout: <code>folder/&lt;class&gt;/*.png|jpg</code> with exactly two class folders, optional{" "}
        <code>folder/masks/</code> with lesion masks named like the images. Only folders under{" "}
        {roots.map((r, i) => (
          <span key={r}>
            {i > 0 ? ", " : ""}
            <code>{r}</code>
          </span>
        ))}{" "}
        can be imported.
      </p>
      <label className="text-sm font-medium" htmlFor="folder-path">
        Folder path
        <input
          id="folder-path"
          name="folder"
          required
          placeholder={`${roots[0]}/isic2017`}
          className={inputClass}
          aria-invalid={!!state.fieldErrors?.folder}
          value={folder}
          onChange={(e) => {
            setFolder(e.target.value);
            setTables(null);
            setUseTable(false);
          }}
        />
        <FieldError error={state.fieldErrors?.folder} />
      </label>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          disabled={looking || folder.trim() === ""}
          className="rounded border border-slate-400 px-3 py-1 text-sm disabled:opacity-60"
          onClick={() =>
            void (async () => {
              setLooking(true);
              const found = await previewLabelTablesAction(folder);
              setLooking(false);
              setLookup(found);
              setTables(found.tables ?? null);
              setUseTable((found.tables?.length ?? 0) > 0);
            })()
          }
        >
          {looking ? "Looking…" : "Find label tables"}
        </button>
        <UseTableToggle tables={tables} useTable={useTable} setUseTable={setUseTable} />
        <FormMessage ok={lookup.ok} message={lookup.message} />
      </div>
      {useTable && tables && <LabelTablePicker tables={tables} />}
      <CommonFields errors={state.fieldErrors} prefix="folder" positiveFromTable={useTable} />
      <FormMessage ok={state.ok} message={state.message} />
      <div>
        <button disabled={pending} className="rounded bg-slate-900 px-3 py-1 text-sm text-white disabled:opacity-60">
          {pending ? "Importing…" : "Import folder"}
        </button>
      </div>
    </form>
  );
}

/** The picker's fields (hidden inputs of LabelTablePicker) that go into the upload's query string. */
const TABLE_FIELDS = ["labels", "imageColumn", "labelColumn", "negative", "splitColumn", "groupColumn", "maskColumn"];

interface ZipPreviewAnswer {
  tables?: TablePreview[];
  files?: number;
  skipped?: unknown[];
  error?: string;
}

export function ZipUploadForm({ maxMb }: { maxMb: number }) {
  const router = useRouter();
  const [state, setState] = useState<FormState>(initial);
  const [pending, setPending] = useState(false);
  const [tables, setTables] = useState<TablePreview[] | null>(null);
  const [useTable, setUseTable] = useState(false);
  const [previewing, setPreviewing] = useState(false);
  // A newer choice of file, or the upload itself, makes an unfinished preview moot.
  const previewAbort = useRef<AbortController | null>(null);

  const tooLarge = (file: File) =>
    file.size > maxMb * 1024 * 1024
      ? `The file is ${(file.size / 1048576).toFixed(0)} MB; the limit is ${maxMb} MB.`
      : undefined;

  async function preview(file: File | undefined) {
    previewAbort.current?.abort();
    setTables(null);
    setUseTable(false);
    if (!file || file.size === 0) return setState(initial);
    const refused = tooLarge(file);
    if (refused) return setState({ ok: false, message: refused });
    const abort = new AbortController();
    previewAbort.current = abort;
    setPreviewing(true);
    setState({ ok: true, message: "Reading the zip for label tables…" });
    try {
      const res = await fetch("/api/researcher/datasets/upload/preview", {
        method: "POST",
        body: file,
        headers: { "Content-Type": "application/zip" },
        signal: abort.signal,
      });
      const body = (await res.json().catch(() => ({}))) as ZipPreviewAnswer;
      if (!res.ok)
        return setState({ ok: false, message: body.error ?? `Reading the zip failed (HTTP ${res.status}).` });
      const found = body.tables ?? [];
      setTables(found);
      setUseTable(found.length > 0);
      setState({
        ok: true,
        message: `${body.files ?? 0} file(s) to import; ${
          found.length ? `${found.length} label table(s) found.` : "no .csv or .tsv label table: class folders."
        }`,
      });
    } catch (err) {
      if (!abort.signal.aborted) setState({ ok: false, message: `Reading the zip failed: ${(err as Error).message}` });
    } finally {
      if (previewAbort.current === abort) {
        previewAbort.current = null;
        setPreviewing(false);
      }
    }
  }

  return (
    <form
      noValidate
      aria-label="Upload a zip"
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4"
      onSubmit={(e) =>
        void (async () => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          const file = data.get("zip");
          if (!(file instanceof File) || file.size === 0) {
            setState({
              ok: false,
              message: "Choose a .zip file to upload.",
              fieldErrors: { zip: "zip file is required" },
            });
            return;
          }
          const refused = tooLarge(file);
          if (refused) return setState({ ok: false, message: refused });
          previewAbort.current?.abort();
          const qs = new URLSearchParams({ fileName: file.name });
          // Text inputs only: FormData gives their values as strings; the picker's empty choices stay out.
          for (const k of ["name", "positive", "modality", "size", "fit", "window"])
            qs.set(k, (data.get(k) as string | null) ?? "");
          if (useTable)
            for (const k of TABLE_FIELDS) {
              const v = (data.get(k) as string | null) ?? "";
              if (v !== "") qs.set(k, v);
            }
          setPending(true);
          setState({ ok: true, message: "Uploading and importing…" });
          try {
            const res = await fetch(`/api/researcher/datasets/upload?${qs}`, {
              method: "POST",
              body: file,
              headers: { "Content-Type": "application/zip" },
            });
            const body = (await res.json().catch(() => ({}))) as {
              details?: unknown;
              error?: string;
              datasetId?: string;
            };
            if (!res.ok) {
              const fieldErrors = Array.isArray(body.details)
                ? Object.fromEntries(
                    (body.details as { field: string; message: string }[]).map((d) => [d.field, d.message]),
                  )
                : undefined;
              setState({ ok: false, message: body.error ?? `Upload failed (HTTP ${res.status}).`, fieldErrors });
              return;
            }
            router.push(`/researcher/datasets/${body.datasetId}?imported=1`);
          } catch (err) {
            setState({ ok: false, message: `Upload failed: ${(err as Error).message}` });
          } finally {
            setPending(false);
          }
        })()
      }
    >
      <h3 className="font-medium">From a zip upload</h3>
      <p className="text-xs text-slate-600">
        The same layouts zipped (a single wrapping folder is fine): class folders, split folders, or images with a
        .csv/.tsv label table. Up to {maxMb} MB; images, label tables and files without an extension (DICOM) are
        extracted. A chosen zip is read once for its label tables; nothing is stored until you upload it.
      </p>
      <label className="text-sm font-medium" htmlFor="zip-file">
        Zip file
        <input
          id="zip-file"
          name="zip"
          type="file"
          accept=".zip,application/zip"
          className={inputClass}
          onChange={(e) => void preview(e.target.files?.[0])}
        />
        <FieldError error={state.fieldErrors?.zip} />
      </label>
      <UseTableToggle tables={tables} useTable={useTable} setUseTable={setUseTable} />
      {useTable && tables && <LabelTablePicker tables={tables} />}
      <CommonFields errors={state.fieldErrors} prefix="zip" positiveFromTable={useTable} />
      <FormMessage ok={state.ok} message={state.message} />
      <div>
        <button
          disabled={pending || previewing}
          className="rounded bg-slate-900 px-3 py-1 text-sm text-white disabled:opacity-60"
        >
          {pending ? "Uploading…" : previewing ? "Reading the zip…" : "Upload zip"}
        </button>
      </div>
    </form>
  );
}
