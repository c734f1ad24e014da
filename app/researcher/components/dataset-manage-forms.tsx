"use client";
// Rename a dataset, or delete it (the server refuses while a study uses it; typing the name confirms).
import { useActionState } from "react";
import { deleteDatasetAction, renameDatasetAction, type FormState } from "../actions";
import { FieldError, FormMessage, inputClass } from "./field-error";

const initial: FormState = { ok: false, message: "" };

export function DatasetManageForms({ datasetId, name }: { datasetId: string; name: string }) {
  const [renamed, rename, renaming] = useActionState(renameDatasetAction, initial);
  const [deleted, remove, deleting] = useActionState(deleteDatasetAction, initial);
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <form
        action={rename}
        aria-label="Rename dataset"
        className="grid gap-2 rounded-lg border border-slate-200 bg-white p-4"
      >
        <input type="hidden" name="datasetId" value={datasetId} />
        <label className="text-sm font-medium" htmlFor="rename-name">
          New name
          <input
            id="rename-name"
            name="name"
            required
            defaultValue={name}
            className={inputClass}
            aria-invalid={!!renamed.fieldErrors?.name}
          />
          <FieldError error={renamed.fieldErrors?.name} />
        </label>
        <FormMessage ok={renamed.ok} message={renamed.message} />
        <div>
          <button disabled={renaming} className="rounded bg-slate-900 px-3 py-1 text-sm text-white disabled:opacity-60">
            {renaming ? "Renaming…" : "Rename"}
          </button>
        </div>
      </form>
      <form
        action={remove}
        aria-label="Delete dataset"
        className="grid gap-2 rounded-lg border border-red-200 bg-white p-4"
      >
        <input type="hidden" name="datasetId" value={datasetId} />
        <p className="text-xs text-slate-700">
          Deletes the images, training runs and heat-maps of this dataset. Refused while a study uses it.
        </p>
        <label className="text-sm font-medium" htmlFor="delete-confirm">
          Type the dataset&apos;s name to confirm
          <input
            id="delete-confirm"
            name="confirmName"
            required
            autoComplete="off"
            className={inputClass}
            aria-invalid={!!deleted.fieldErrors?.confirmName}
          />
          <FieldError error={deleted.fieldErrors?.confirmName} />
        </label>
        <FormMessage ok={deleted.ok} message={deleted.message} />
        <div>
          <button disabled={deleting} className="rounded bg-red-700 px-3 py-1 text-sm text-white disabled:opacity-60">
            {deleting ? "Deleting…" : "Delete dataset"}
          </button>
        </div>
      </form>
    </div>
  );
}
