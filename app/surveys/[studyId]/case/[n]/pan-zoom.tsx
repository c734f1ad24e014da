"use client";
// One zoom and pan shared by every panel of a case (grid and comparison), so the same spot of the lesion is under
// the pointer in all of them. Offsets are fractions of a panel's side, so panels of different sizes agree.
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent as ReactKeyboardEvent,
  type PointerEvent as ReactPointerEvent,
} from "react";
import type { MapLayer } from "./map-layers";

export interface View {
  scale: number;
  x: number;
  y: number;
}

export interface PanZoom {
  view: View;
  /** Zooms by `factor` keeping the point at (px, py) (fractions from the panel's centre) still. */
  zoomAt: (factor: number, px?: number, py?: number) => void;
  panBy: (dx: number, dy: number) => void;
  reset: () => void;
}

const MAX_SCALE = 8;

function clamp(v: View): View {
  const scale = Math.min(MAX_SCALE, Math.max(1, v.scale));
  const limit = (scale - 1) / 2;
  const c = (t: number) => Math.min(limit, Math.max(-limit, t));
  return { scale, x: c(v.x), y: c(v.y) };
}

export function usePanZoom(): PanZoom {
  const [view, setView] = useState<View>({ scale: 1, x: 0, y: 0 });
  const zoomAt = useCallback((factor: number, px = 0, py = 0) => {
    setView((v) => {
      const scale = Math.min(MAX_SCALE, Math.max(1, v.scale * factor));
      // The image point under (px, py) is (p - t) / s before and must stay there after.
      return clamp({ scale, x: px - ((px - v.x) * scale) / v.scale, y: py - ((py - v.y) * scale) / v.scale });
    });
  }, []);
  const panBy = useCallback((dx: number, dy: number) => setView((v) => clamp({ ...v, x: v.x + dx, y: v.y + dy })), []);
  const reset = useCallback(() => setView({ scale: 1, x: 0, y: 0 }), []);
  return { view, zoomAt, panBy, reset };
}

export const transformOf = (v: View): CSSProperties => ({
  transform: `translate(${v.x * 100}%, ${v.y * 100}%) scale(${v.scale})`,
});

/** Wheel, drag and two-finger pinch on a panel, all feeding the shared zoom and pan. */
export function usePanZoomGestures(panZoom: PanZoom) {
  const ref = useRef<HTMLDivElement>(null);
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const moved = useRef(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      panZoom.zoomAt(
        Math.exp(-e.deltaY / 300),
        (e.clientX - r.left) / r.width - 0.5,
        (e.clientY - r.top) / r.height - 0.5,
      );
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, [panZoom]);
  const handlers = {
    onPointerDown: (e: ReactPointerEvent<HTMLDivElement>) => {
      pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
      moved.current = 0;
    },
    onPointerMove: (e: ReactPointerEvent<HTMLDivElement>) => {
      const prev = pointers.current.get(e.pointerId);
      if (!prev || !ref.current) return;
      const r = ref.current.getBoundingClientRect();
      const all = [...pointers.current.entries()];
      if (all.length === 2) {
        const other = all.find(([id]) => id !== e.pointerId)![1];
        const before = Math.hypot(prev.x - other.x, prev.y - other.y);
        const after = Math.hypot(e.clientX - other.x, e.clientY - other.y);
        if (before > 0) {
          const cx = ((e.clientX + other.x) / 2 - r.left) / r.width - 0.5;
          const cy = ((e.clientY + other.y) / 2 - r.top) / r.height - 0.5;
          panZoom.zoomAt(after / before, cx, cy);
        }
      } else {
        const dx = e.clientX - prev.x;
        const dy = e.clientY - prev.y;
        moved.current += Math.abs(dx) + Math.abs(dy);
        if (moved.current > 4) {
          panZoom.panBy(dx / r.width, dy / r.height);
          try {
            e.currentTarget.setPointerCapture(e.pointerId);
          } catch {
            // A pointer the browser no longer tracks: the drag simply ends at the panel's edge.
          }
        }
      }
      pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
    },
    onPointerUp: (e: ReactPointerEvent<HTMLDivElement>) => {
      pointers.current.delete(e.pointerId);
    },
    onPointerCancel: (e: ReactPointerEvent<HTMLDivElement>) => {
      pointers.current.delete(e.pointerId);
    },
  };
  /** A click that ended a drag is not a click. */
  const wasDrag = () => moved.current > 4;
  return { ref, handlers, wasDrag };
}

/** A map layer drawn into a canvas of its own size; the browser scales it smoothly, CSS opacity is its alpha. */
function LayerCanvas({ layer, opacity }: { layer: MapLayer | null; opacity: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const side = layer ? (layer instanceof HTMLImageElement ? layer.naturalWidth : layer.width) : 1;
  useEffect(() => {
    const ctx = canvas.current?.getContext("2d");
    if (!ctx) return;
    ctx.clearRect(0, 0, side, side);
    if (layer) ctx.drawImage(layer, 0, 0, side, side);
  }, [layer, side]);
  return (
    <canvas
      ref={canvas}
      width={side}
      height={side}
      aria-hidden
      style={{ opacity }}
      className="pointer-events-none absolute inset-0 h-full w-full"
      data-testid="map-layer"
    />
  );
}

/**
 * A grid panel: the picture under the shared zoom; a click or Space opens the comparison view. With `map`, the
 * panel is the original with that map composited over it at `opacity` (a raw map coloured in the browser).
 */
export function PanZoomImage({
  src,
  alt,
  panZoom,
  onOpen,
  map,
}: {
  src: string;
  alt: string;
  panZoom: PanZoom;
  onOpen: () => void;
  map?: { layer: MapLayer | null; opacity: number };
}) {
  const { ref, handlers, wasDrag } = usePanZoomGestures(panZoom);
  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (e.key === " ") {
      e.preventDefault();
      onOpen();
    }
  };
  return (
    <div
      ref={ref}
      {...handlers}
      onClick={() => !wasDrag() && onOpen()}
      className="aspect-square w-full cursor-zoom-in touch-none overflow-hidden rounded bg-slate-900"
      data-testid="panel"
    >
      {map ? (
        <div
          role="img"
          aria-label={alt}
          tabIndex={0}
          aria-describedby="panel-help"
          onKeyDown={onKeyDown}
          style={transformOf(panZoom.view)}
          className="relative block aspect-square w-full"
        >
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src={src} alt="" draggable={false} className="absolute inset-0 h-full w-full object-contain" />
          <LayerCanvas layer={map.layer} opacity={map.opacity} />
        </div>
      ) : (
        // eslint-disable-next-line @next/next/no-img-element
        <img
          src={src}
          alt={alt}
          tabIndex={0}
          draggable={false}
          aria-describedby="panel-help"
          onKeyDown={onKeyDown}
          style={transformOf(panZoom.view)}
          className="block aspect-square w-full object-contain"
        />
      )}
    </div>
  );
}
