"use client";
// The maps of a case as pictures the panels can draw. Raw class-activation maps (lib/ml/render/cam-payload.ts) are
// up-sampled bilinearly and coloured here, in the study's colour map, so the panels composite them over the
// original at the reader's opacity; older cases have pre-blended overlay PNGs instead. Each file is fetched once
// per case, through the reader's own token URLs.
import { useEffect, useState } from "react";
import type { CaseView } from "@/lib/studies/reader-survey";
import { decodeCamPayload, upsampleCamBilinear } from "@/lib/ml/render/cam-payload";
import { colourTable, type ColourMapName } from "@/lib/ml/render/colour-map";

/**
 * Side of the coloured raster: smooth on a full-screen panel (the browser scales it further with bilinear
 * smoothing, between neighbours that differ by a fraction of a colour step).
 */
export const MAP_RASTER = 512;

/** A map payload up-sampled to side x side and coloured: an opaque picture, drawn with the overlay's alpha. */
export function rasteriseCam(payload: ArrayBuffer, colourMap: ColourMapName, side = MAP_RASTER): HTMLCanvasElement {
  const values = upsampleCamBilinear(decodeCamPayload(payload), side);
  const table = colourTable(colourMap);
  const canvas = document.createElement("canvas");
  canvas.width = side;
  canvas.height = side;
  const ctx = canvas.getContext("2d")!;
  const image = ctx.createImageData(side, side);
  for (let i = 0; i < values.length; i++) {
    const k = 3 * Math.round(values[i] * 255);
    image.data[4 * i] = table[k];
    image.data[4 * i + 1] = table[k + 1];
    image.data[4 * i + 2] = table[k + 2];
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error("image not loaded"));
    img.src = src;
  });
}

async function loadLayer(
  slot: CaseView["slots"][number],
  colourMap: ColourMapName,
): Promise<HTMLCanvasElement | HTMLImageElement> {
  if (!slot.camUrl) return loadImage(slot.url);
  const res = await fetch(slot.camUrl, { cache: "no-store", credentials: "same-origin" });
  if (!res.ok) throw new Error(`map not loaded (${res.status})`);
  return rasteriseCam(await res.arrayBuffer(), colourMap);
}

export type MapLayer = HTMLCanvasElement | HTMLImageElement;

/** One picture per slot (null until loaded); "cam" layers are the bare coloured map, "overlay" ones pre-blended. */
export function useMapLayers(view: CaseView): (MapLayer | null)[] {
  const [layers, setLayers] = useState<(MapLayer | null)[]>(() => view.slots.map(() => null));
  const key = view.slots.map((s) => s.camUrl ?? s.url).join(" ");
  useEffect(() => {
    // The page remounts per case (its key), so the layers start empty for every case.
    let live = true;
    view.slots.forEach((slot, i) => {
      loadLayer(slot, view.colourMap).then(
        (layer) => live && setLayers((all) => all.map((l, k) => (k === i ? layer : l))),
        // A map that does not load stays blank (the panel shows the original alone); a reload tries again.
        () => undefined,
      );
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, view.colourMap]);
  return layers;
}
