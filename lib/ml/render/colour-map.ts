// Colour maps and alpha blending, pure (no IO; the reader's browser colours maps with the same code). Design §4:
// heat-maps are shown as jet over the image, as in the paper; a study may choose turbo or viridis instead
// (perceptually more even; viridis also reads in grey and for red-green colour blindness).
import { interpolateTurbo, interpolateViridis } from "d3-scale-chromatic";
import { rgb } from "d3-color";
import type { ColourMapName } from "./colour-map-names";

export type { ColourMapName };

/**
 * Jet colour for v in [0, 1] (values outside are clamped): dark blue (0, 0, 128) -> blue -> cyan -> yellow ->
 * red -> dark red (128, 0, 0). The piecewise-linear form of MATLAB's/OpenCV's jet, which the Grad-CAM paper's
 * figures and pytorch-grad-cam use; written out here so the output does not depend on a library's table.
 */
export function jetColour(v: number): [number, number, number] {
  const x = Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
  const channel = (centre: number) => Math.min(1, Math.max(0, 1.5 - Math.abs(4 * x - centre)));
  return [toByte(channel(3)), toByte(channel(2)), toByte(channel(1))];
}

function toByte(unit: number): number {
  return Math.round(unit * 255);
}

/** Colours a heat-map (values in [0, 1]) pixel by pixel; returns interleaved RGB bytes. */
export function heatmapToJetRgb(heat: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(heat.length * 3);
  for (let i = 0; i < heat.length; i++) {
    const [r, g, b] = jetColour(heat[i]);
    out[3 * i] = r;
    out[3 * i + 1] = g;
    out[3 * i + 2] = b;
  }
  return out;
}

/** out = (1 - alpha) * image + alpha * jet(heat), per channel, rounded to bytes. */
export function blendHeatmapOverRgb(rgb: ArrayLike<number>, heat: ArrayLike<number>, alpha = 0.5): Uint8Array {
  if (rgb.length !== heat.length * 3) {
    throw new RangeError(`image has ${rgb.length / 3} pixels but the heat-map has ${heat.length}`);
  }
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`alpha must be in [0, 1], got ${alpha}`);
  const jet = heatmapToJetRgb(heat);
  const out = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) out[i] = Math.round((1 - alpha) * rgb[i] + alpha * jet[i]);
  return out;
}

function d3Colour(interpolate: (t: number) => string): (v: number) => [number, number, number] {
  return (v) => {
    const c = rgb(interpolate(Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0));
    return [Math.round(c.r), Math.round(c.g), Math.round(c.b)];
  };
}

const COLOUR_OF: Record<ColourMapName, (v: number) => [number, number, number]> = {
  jet: jetColour,
  // d3-scale-chromatic: turbo is Mikhailov's polynomial fit of Google's map; viridis is matplotlib's table.
  turbo: d3Colour(interpolateTurbo),
  viridis: d3Colour(interpolateViridis),
};

export function colourOf(map: ColourMapName, v: number): [number, number, number] {
  return COLOUR_OF[map](v);
}

/** 256 colours, entry i for the value i / 255: one table look-up per pixel when colouring a map. */
export function colourTable(map: ColourMapName): Uint8Array {
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) table.set(COLOUR_OF[map](i / 255), 3 * i);
  return table;
}

/** A CSS gradient from low to high (left to right) for the legend of a colour map. */
export function legendGradient(map: ColourMapName, stops = 11): string {
  const parts = Array.from({ length: stops }, (_, i) => {
    const v = i / (stops - 1);
    return `rgb(${colourOf(map, v).join(",")}) ${Math.round(v * 100)}%`;
  });
  return `linear-gradient(to right, ${parts.join(", ")})`;
}
