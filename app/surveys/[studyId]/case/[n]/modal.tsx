"use client";
// A modal on the native <dialog>: showModal() makes the rest of the page inert; Tab is kept inside, Escape
// closes, and focus goes back to where it was.
import { useEffect, useRef, type ReactNode, type KeyboardEvent } from "react";

const FOCUSABLE =
  "button:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex='-1'])";

export function Modal({
  label,
  onClose,
  className,
  children,
  onKeyDown,
}: {
  label: string;
  onClose: () => void;
  className?: string;
  children: ReactNode;
  onKeyDown?: (e: KeyboardEvent<HTMLDialogElement>) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      aria-label={label}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onKeyDown={(e) => {
        if (e.key === "Tab") {
          const items = [...ref.current!.querySelectorAll<HTMLElement>(FOCUSABLE)];
          const first = items[0];
          const last = items[items.length - 1];
          if (e.shiftKey && document.activeElement === first) {
            e.preventDefault();
            last?.focus();
          } else if (!e.shiftKey && document.activeElement === last) {
            e.preventDefault();
            first?.focus();
          }
        }
        onKeyDown?.(e);
        // Keys used in the dialog never reach the page's shortcuts.
        e.stopPropagation();
      }}
      className={`m-auto max-h-none max-w-none rounded-lg bg-white p-3 text-slate-900 backdrop:bg-black/70 ${className ?? ""}`}
    >
      {children}
    </dialog>
  );
}
