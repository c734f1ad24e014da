"use client";
import { Modal } from "./modal";

export function ShortcutsDialog({
  slots,
  allowRevisit,
  onClose,
}: {
  slots: number;
  allowRevisit: boolean;
  onClose: () => void;
}) {
  const keys: [string, string][] = [
    [`1–${slots}`, "choose a model (not while typing or in the confidence buttons)"],
    ["Enter", "submit, from the model choice or the Submit button"],
    ["Ctrl+Enter", "submit, from the rationale"],
    ["Space", "on a picture: open the comparison view"],
    ["+ / − / 0", "zoom in, zoom out, reset (all pictures together)"],
    ["H (hold)", "in the comparison view: hide every heat-map"],
    ...(allowRevisit ? ([["← →", "previous or next case"]] as [string, string][]) : []),
    ["?", "this list"],
  ];
  return (
    <Modal label="Keyboard shortcuts" onClose={onClose} className="w-[min(32rem,95vw)]">
      <h2 className="text-lg font-semibold">Keyboard shortcuts</h2>
      <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        {keys.map(([k, what]) => (
          <div key={k} className="contents">
            <dt>
              <kbd className="rounded border px-1">{k}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <button type="button" autoFocus onClick={onClose} className="mt-3 rounded border px-3 py-1">
        Close
      </button>
    </Modal>
  );
}
