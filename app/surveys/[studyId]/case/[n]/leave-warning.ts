"use client";
// A change the reader has not submitted is not lost silently: closing or reloading the tab asks the browser's
// question, and a link or button inside the app asks ours.
import { useCallback, useEffect } from "react";

export const LEAVE_QUESTION = "Your change to this answer is not submitted. Leave anyway? (It is kept as a draft.)";

export function useLeaveWarning(active: boolean): () => boolean {
  useEffect(() => {
    if (!active) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    // Capture phase on the document: runs before the router's own click handler on a link.
    const onClick = (e: MouseEvent) => {
      const a = e.target instanceof Element ? e.target.closest("a[href]") : null;
      if (!a || (a as HTMLAnchorElement).target === "_blank" || e.defaultPrevented) return;
      if (!window.confirm(LEAVE_QUESTION)) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
    };
  }, [active]);
  return useCallback(() => !active || window.confirm(LEAVE_QUESTION), [active]);
}
