"use client";
// The comparison view: the original beside one or two heat-maps, as large as the screen allows, under the same
// zoom and pan as the grid. Drawn on canvases from the maps the grid already loaded (the raw class-activation
// map, up-sampled and coloured in the browser, over the display copy), so it fetches nothing new; the opacity
// slider is the overlay's alpha, and the hide key sets it to zero while held.
import { useEffect, useRef, useState } from "react";
import type { CaseView } from "@/lib/studies/reader-survey";
import { legendGradient } from "@/lib/ml/render/colour-map";
import { Modal } from "./modal";
import { usePanZoomGestures, type PanZoom, type View } from "./pan-zoom";
import type { MapLayer } from "./map-layers";

const LEGEND_WORDS = {
  jet: "dark blue is low attention, dark red is high",
  turbo: "dark blue is low attention, dark red is high",
  viridis: "dark purple is low attention, yellow is high",
} as const;

function useImage(src: string) {
  const [img, setImg] = useState<HTMLImageElement | null>(null);
  useEffect(() => {
    const i = new Image();
    i.onload = () => setImg(i);
    i.src = src;
    return () => {
      i.onload = null;
    };
  }, [src]);
  return img;
}

function Panel(props: {
  label: string;
  base: HTMLImageElement | null;
  over: MapLayer | null;
  alpha: number;
  view: View;
  size: number;
  panZoom: PanZoom;
}) {
  const { label, base, over, alpha, view, size, panZoom } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const { ref, handlers } = usePanZoomGestures(panZoom);
  const px = Math.max(1, Math.round(size * (typeof window === "undefined" ? 1 : window.devicePixelRatio || 1)));
  useEffect(() => {
    const ctx = canvas.current?.getContext("2d");
    if (!ctx) return;
    // Smooth scaling: the map is a continuous field, and the display copy is sharper than most panels.
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = "high";
    ctx.fillStyle = "#0f172a";
    ctx.fillRect(0, 0, px, px);
    const side = px * view.scale;
    const dx = px / 2 + view.x * px - side / 2;
    const dy = px / 2 + view.y * px - side / 2;
    if (base) ctx.drawImage(base, dx, dy, side, side);
    if (over && alpha > 0) {
      ctx.globalAlpha = alpha;
      ctx.drawImage(over, dx, dy, side, side);
      ctx.globalAlpha = 1;
    }
  }, [base, over, alpha, view, px]);
  return (
    <figure className="flex flex-col items-center">
      <div ref={ref} {...handlers} className="touch-none cursor-grab" style={{ width: size, height: size }}>
        <canvas
          ref={canvas}
          width={px}
          height={px}
          role="img"
          aria-label={label}
          style={{ width: size, height: size }}
          data-testid="compare-canvas"
        />
      </div>
      <figcaption className="text-sm font-medium">{label}</figcaption>
    </figure>
  );
}

function useViewport() {
  const [vp, setVp] = useState({ w: 1024, h: 768 });
  useEffect(() => {
    const update = () => setVp({ w: window.innerWidth, h: window.innerHeight });
    update();
    window.addEventListener("resize", update);
    return () => window.removeEventListener("resize", update);
  }, []);
  return vp;
}

export function CompareDialog({
  view,
  initial,
  panZoom,
  layers,
  opacity,
  onOpacity,
  onClose,
}: {
  view: CaseView;
  initial: number;
  panZoom: PanZoom;
  /** Per slot, the map as loaded for the grid (null while loading). */
  layers: (MapLayer | null)[];
  /** Overlay opacity in percent, shared with the grid. */
  opacity: number;
  onOpacity: (percent: number) => void;
  onClose: () => void;
}) {
  const n = view.slots.length;
  const [shown, setShown] = useState<number[]>([Math.max(0, initial)]);
  const [hidden, setHidden] = useState(false);
  const original = useImage(view.imageUrl);
  // Older cases' overlays are jet, whatever the study chose later.
  const colourMap = view.mapFormat === "cam" ? view.colourMap : "jet";
  const vp = useViewport();
  const panels = 1 + shown.length;
  // Largest square panels that fit beside each other (or stacked on a tall screen) with the toolbar.
  const tall = vp.h > vp.w * 1.2;
  const size = Math.floor(
    Math.max(
      120,
      tall ? Math.min(vp.w - 64, (vp.h - 230) / panels) : Math.min((vp.w - 64 - 16 * panels) / panels, vp.h - 230),
    ),
  );

  const toggle = (i: number) =>
    setShown((s) => (s.includes(i) ? (s.length > 1 ? s.filter((x) => x !== i) : s) : [...s, i].slice(-2)));
  const cycle = (d: number) =>
    setShown((s) => [(s[0] + d + n) % n, ...s.slice(1)].filter((x, k, a) => a.indexOf(x) === k));

  useEffect(() => {
    const up = (e: KeyboardEvent) => (e.key === "h" || e.key === "H") && setHidden(false);
    const blur = () => setHidden(false);
    window.addEventListener("keyup", up);
    window.addEventListener("blur", blur);
    return () => {
      window.removeEventListener("keyup", up);
      window.removeEventListener("blur", blur);
    };
  }, []);

  const alpha = hidden ? 0 : opacity / 100;
  const names = shown.map((i) => `Model ${view.slots[i].letter}`).join(" and ");
  return (
    <Modal
      label={`Comparison: original and ${names}`}
      onClose={onClose}
      onKeyDown={(e) => {
        const inRange = e.target instanceof HTMLInputElement && e.target.type === "range";
        if (e.key === "h" || e.key === "H") {
          setHidden(true);
        } else if (/^[1-9]$/.test(e.key) && Number(e.key) <= n) {
          e.preventDefault();
          toggle(Number(e.key) - 1);
        } else if (!inRange && (e.key === "ArrowRight" || e.key === "ArrowLeft")) {
          e.preventDefault();
          cycle(e.key === "ArrowRight" ? 1 : -1);
        } else if (e.key === "+" || e.key === "=") {
          panZoom.zoomAt(1.25);
        } else if (e.key === "-" || e.key === "−") {
          panZoom.zoomAt(0.8);
        } else if (e.key === "0") {
          panZoom.reset();
        }
      }}
    >
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span className="font-medium">Maps (keys 1–{n}, ← →):</span>
        {view.slots.map((s, i) => (
          <button
            key={s.letter}
            type="button"
            aria-pressed={shown.includes(i)}
            onClick={() => toggle(i)}
            className={`rounded border px-2 py-0.5 ${shown.includes(i) ? "border-blue-700 bg-blue-700 text-white" : ""}`}
          >
            Model {s.letter}
          </button>
        ))}
        <label className="flex items-center gap-2">
          Overlay opacity
          <input
            type="range"
            min={0}
            max={100}
            step={5}
            value={opacity}
            onChange={(e) => onOpacity(Number(e.target.value))}
          />
          <output className="w-10 tabular-nums">{opacity} %</output>
        </label>
        <span className="text-slate-700">Hold H to hide the maps</span>
        <span className="flex items-center gap-1">
          <button
            type="button"
            onClick={() => panZoom.zoomAt(0.8)}
            className="rounded border px-2"
            aria-label="Zoom out"
          >
            −
          </button>
          <span className="w-12 text-center tabular-nums" data-testid="zoom-level">
            {Math.round(panZoom.view.scale * 100)} %
          </span>
          <button
            type="button"
            onClick={() => panZoom.zoomAt(1.25)}
            className="rounded border px-2"
            aria-label="Zoom in"
          >
            +
          </button>
          <button type="button" onClick={panZoom.reset} className="rounded border px-2">
            Reset
          </button>
        </span>
        <button type="button" autoFocus onClick={onClose} className="ml-auto rounded border px-3 py-0.5">
          Close
        </button>
      </div>
      <div className={`mt-2 flex justify-center gap-4 ${tall ? "flex-col items-center" : ""}`}>
        <Panel
          label={`Original image, case ${view.caseNumber}`}
          base={original}
          over={null}
          alpha={0}
          view={panZoom.view}
          size={size}
          panZoom={panZoom}
        />
        {shown.map((i) => (
          <Panel
            key={i}
            label={`Model ${view.slots[i].letter}`}
            base={original}
            over={layers[i] ?? null}
            alpha={alpha}
            view={panZoom.view}
            size={size}
            panZoom={panZoom}
          />
        ))}
      </div>
      <div
        className="mx-auto mt-2 w-64 text-xs"
        role="img"
        aria-label={`Colour legend: ${LEGEND_WORDS[colourMap]}`}
        data-colour-map={colourMap}
      >
        <div className="h-3 rounded" style={{ background: legendGradient(colourMap) }} />
        <div className="flex justify-between text-slate-700">
          <span>low</span>
          <span>attention</span>
          <span>high</span>
        </div>
      </div>
    </Modal>
  );
}
