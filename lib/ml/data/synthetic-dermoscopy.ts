// A seeded synthetic "dermoscopy" data set: built in so that the whole pipeline (training, Grad-CAM, reader
// studies, localisation metrics) can be demonstrated and tested without patient data or downloads.
//
// The class signal follows the ABCD rule of dermoscopy (Stolz et al. 1994): benign lesions (label 0) are round,
// symmetric, with a regular border and one colour; malignant lesions (label 1) are asymmetric, with an irregular
// border and several colours (dark brown, black, blue-grey, red, light brown). Sizes, positions and base colours
// overlap between the classes, so no single pixel decides the label; a small CNN must look at shape and colour
// variation across the lesion.
//
// Distractors, drawn from their own random stream so they are independent of the label (not shortcuts):
// skin tone and texture, hair strokes, a ruler along one edge, dermoscope vignetting, sensor noise and an
// exposure gain. `rulerRate` can deliberately make the ruler a shortcut (as in real collections, where rulers
// are more common next to lesions that were excised) to study whether heat-maps expose it.
//
// Pure: no IO. Same (seed, index, size, options) => identical bytes. Everything is computed in image-relative
// coordinates, so the same case at 32 px and at 224 px shows the same scene.
import { combineSeeds, mulberry32, shuffled, type Random } from "./seeded-random";

export type Label = 0 | 1;

export interface SyntheticDistractors {
  /** 0 (light) .. 1 (dark). */
  skinTone: number;
  hairCount: number;
  ruler: "none" | "top" | "bottom" | "left" | "right";
  vignetting: boolean;
}

export interface SyntheticCase {
  /** Interleaved RGB, size * size * 3. */
  rgb: Uint8Array;
  /** 1 inside the lesion, 0 elsewhere; size * size. */
  mask: Uint8Array;
  label: Label;
  /** Number of distinct lesion colours drawn (1 for benign). */
  colourCount: number;
  distractors: SyntheticDistractors;
}

export interface SyntheticCaseOptions {
  /** Forces the label; by default it is drawn from the case's own seed with probability 1/2. */
  label?: Label;
  /** Probability of a ruler per class; default 0.3 for both (no shortcut). */
  rulerRate?: { benign: number; malignant: number };
}

export interface SyntheticSetOptions {
  count: number;
  size: number;
  seed: number;
  /** Share of malignant cases; the count is exact: round(count * positiveShare). */
  positiveShare?: number;
  rulerRate?: SyntheticCaseOptions["rulerRate"];
}

export interface NamedSyntheticCase extends SyntheticCase {
  /** Stable file stem, e.g. "case-0007" (unique across classes, so masks/ can use the same name). */
  name: string;
  index: number;
}

type Rgb = [number, number, number];

const LIGHT_SKIN: Rgb = [238, 206, 184];
const DARK_SKIN: Rgb = [122, 82, 58];

// Benign lesions take one colour from this light-to-dark brown range.
const BENIGN_LIGHT: Rgb = [176, 118, 78];
const BENIGN_DARK: Rgb = [92, 56, 36];

// Malignant palette (ABCD "C" colours). Browns overlap the benign range on purpose.
const MALIGNANT_PALETTE: Rgb[] = [
  [150, 96, 62], // light brown
  [88, 52, 34], // dark brown
  [38, 28, 26], // black
  [96, 108, 132], // blue-grey
  [168, 72, 70], // red
];

function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

function lerpRgb(a: Rgb, b: Rgb, t: number): Rgb {
  return [lerp(a[0], b[0], t), lerp(a[1], b[1], t), lerp(a[2], b[2], t)];
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** A smooth random field: a few sinusoids of given spatial frequency (cycles per image). */
interface Wave {
  fx: number;
  fy: number;
  phase: number;
  amp: number;
}

function randomWaves(random: Random, n: number, freq: number, amp: number): Wave[] {
  return Array.from({ length: n }, () => {
    const angle = random.uniform(0, 2 * Math.PI);
    const f = freq * random.uniform(0.6, 1.4);
    return { fx: f * Math.cos(angle), fy: f * Math.sin(angle), phase: random.uniform(0, 2 * Math.PI), amp: amp * random.uniform(0.5, 1) };
  });
}

function waveField(waves: Wave[], u: number, v: number): number {
  let s = 0;
  for (const w of waves) s += w.amp * Math.sin(2 * Math.PI * (w.fx * u + w.fy * v) + w.phase);
  return s;
}

/** Border radius as a function of angle: r0 * (1 + sum of harmonics), with an elliptical stretch. */
interface Harmonic {
  k: number;
  amp: number;
  phase: number;
}

interface LesionShape {
  cx: number;
  cy: number;
  r0: number;
  aspect: number;
  rotation: number;
  harmonics: Harmonic[];
}

/** An upper bound of borderRadius over all angles (the ellipse factor is at most 1). */
function maxBorderRadius(shape: LesionShape): number {
  return shape.r0 * Math.max(0.35, 1 + shape.harmonics.reduce((s, h) => s + Math.abs(h.amp), 0));
}

function borderRadius(shape: LesionShape, theta: number): number {
  let f = 1;
  for (const h of shape.harmonics) f += h.amp * Math.cos(h.k * theta + h.phase);
  // Ellipse in the rotated frame: r(θ) = 1 / sqrt(cos²/a² + sin²), with a <= 1 squeezing one axis.
  const t = theta - shape.rotation;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const ellipse = 1 / Math.sqrt((c * c) / (shape.aspect * shape.aspect) + s * s);
  return shape.r0 * ellipse * Math.max(0.35, f);
}

function drawLesionShape(random: Random, label: Label): LesionShape {
  const cx = 0.5 + random.uniform(-0.1, 0.1);
  const cy = 0.5 + random.uniform(-0.1, 0.1);
  const r0 = random.uniform(0.17, 0.27);
  const rotation = random.uniform(0, Math.PI);
  const harmonics: Harmonic[] = [];
  let aspect: number;
  if (label === 0) {
    // Round, regular: nearly circular with a barely wavy border.
    aspect = random.uniform(0.85, 1);
    for (const k of [2, 3]) harmonics.push({ k, amp: random.uniform(0, 0.035), phase: random.uniform(0, 2 * Math.PI) });
  } else {
    // Asymmetric (low harmonics) and irregular (high harmonics); a severity factor leaves some mild cases.
    aspect = random.uniform(0.65, 1);
    const severity = random.uniform(0.55, 1);
    for (const k of [1, 2, 3]) harmonics.push({ k, amp: severity * random.uniform(0.06, 0.18), phase: random.uniform(0, 2 * Math.PI) });
    for (let j = 0; j < 3; j++) {
      harmonics.push({ k: random.int(5, 13), amp: severity * random.uniform(0.03, 0.08), phase: random.uniform(0, 2 * Math.PI) });
    }
  }
  return { cx, cy, r0, aspect, rotation, harmonics };
}

/** Colour regions of a malignant lesion: warped Voronoi cells around seed points, each cell one palette colour. */
interface ColourSeed {
  x: number;
  y: number;
  colour: Rgb;
}

function drawLesionColours(random: Random, label: Label, shape: LesionShape): { seeds: ColourSeed[]; colourCount: number } {
  if (label === 0) {
    const colour = lerpRgb(BENIGN_LIGHT, BENIGN_DARK, random.next());
    return { seeds: [{ x: shape.cx, y: shape.cy, colour }], colourCount: 1 };
  }
  const colourCount = random.int(2, 4);
  const colours = shuffled(MALIGNANT_PALETTE, random).slice(0, colourCount);
  const seeds: ColourSeed[] = [];
  // Two seeds per colour gives blotchy, asymmetric regions rather than neat sectors.
  for (let j = 0; j < colourCount * 2; j++) {
    const angle = random.uniform(0, 2 * Math.PI);
    const dist = shape.r0 * Math.sqrt(random.next()) * 0.9;
    seeds.push({ x: shape.cx + dist * Math.cos(angle), y: shape.cy + dist * Math.sin(angle), colour: colours[j % colourCount] });
  }
  return { seeds, colourCount };
}

/** A hair: a quadratic Bézier flattened to a polyline, with a width in image-relative units. */
interface Hair {
  points: Array<[number, number]>;
  halfWidth: number;
  shade: number;
  /** Bounding box of the polyline, to skip the distance computation for pixels far from it. */
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

function drawHairs(random: Random): Hair[] {
  const count = random.chance(0.5) ? random.int(1, 5) : 0;
  const hairs: Hair[] = [];
  for (let h = 0; h < count; h++) {
    const x0 = random.uniform(-0.1, 1.1);
    const y0 = random.uniform(-0.1, 1.1);
    const angle = random.uniform(0, 2 * Math.PI);
    const length = random.uniform(0.3, 0.9);
    const x2 = x0 + length * Math.cos(angle);
    const y2 = y0 + length * Math.sin(angle);
    const bend = random.uniform(-0.2, 0.2);
    const x1 = (x0 + x2) / 2 - bend * Math.sin(angle);
    const y1 = (y0 + y2) / 2 + bend * Math.cos(angle);
    const points: Array<[number, number]> = [];
    const steps = 24;
    for (let i = 0; i <= steps; i++) {
      const t = i / steps;
      const a = (1 - t) * (1 - t);
      const b = 2 * (1 - t) * t;
      const c = t * t;
      points.push([a * x0 + b * x1 + c * x2, a * y0 + b * y1 + c * y2]);
    }
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    hairs.push({
      points,
      halfWidth: random.uniform(0.003, 0.006),
      shade: random.uniform(20, 60),
      minX: Math.min(...xs),
      maxX: Math.max(...xs),
      minY: Math.min(...ys),
      maxY: Math.max(...ys),
    });
  }
  return hairs;
}

function distanceToPolyline(px: number, py: number, points: Array<[number, number]>): number {
  let best = Infinity;
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = points[i - 1];
    const [bx, by] = points[i];
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? clamp01(((px - ax) * dx + (py - ay) * dy) / len2) : 0;
    const ex = px - (ax + t * dx);
    const ey = py - (ay + t * dy);
    const d = ex * ex + ey * ey;
    if (d < best) best = d;
  }
  return Math.sqrt(best);
}

/** Ruler: a pale band along one edge with dark ticks every 1/25 of the image, longer every fifth tick. */
function rulerPixel(side: SyntheticDistractors["ruler"], u: number, v: number): number | null {
  if (side === "none") return null;
  const band = 0.09;
  // along: position along the edge; across: distance from the edge
  const [along, across] = side === "top" ? [u, v] : side === "bottom" ? [u, 1 - v] : side === "left" ? [v, u] : [v, 1 - u];
  if (across > band) return null;
  const tickIndex = Math.round(along * 25);
  const nearTick = Math.abs(along * 25 - tickIndex) < 0.18;
  const tickLength = tickIndex % 5 === 0 ? 0.75 * band : 0.4 * band;
  return nearTick && across < tickLength ? 45 : 226;
}

/**
 * One case. `index` selects the case within the seed's stream; cases are independent of each other, so a set
 * can be generated in any order or in parallel.
 */
export function generateSyntheticCase(seed: number, index: number, size: number, options: SyntheticCaseOptions = {}): SyntheticCase {
  if (!Number.isInteger(size) || size < 8) throw new RangeError(`size must be an integer >= 8, got ${size}`);
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`index must be a non-negative integer, got ${index}`);
  const labelRandom = mulberry32(combineSeeds(seed, index, 0));
  const drawnLabel: Label = labelRandom.chance(0.5) ? 1 : 0;
  const label = options.label ?? drawnLabel;

  // Distractors come from their own stream, drawn before (and regardless of) the label.
  const scene = mulberry32(combineSeeds(seed, index, 1));
  const skinTone = scene.next();
  const skin = lerpRgb(LIGHT_SKIN, DARK_SKIN, skinTone);
  const redness = scene.uniform(-8, 12);
  skin[0] += redness;
  skin[2] -= redness / 2;
  const skinTexture = randomWaves(scene, 3, 4, 0.05);
  const hairs = drawHairs(scene);
  const rulerRoll = scene.next();
  const rulerSide = (["top", "bottom", "left", "right"] as const)[scene.int(0, 3)];
  const vignetting = scene.chance(0.5);
  const vignetteStrength = scene.uniform(0.35, 0.8);
  const vignetteStart = scene.uniform(0.45, 0.7);
  const gain = scene.uniform(0.9, 1.1);
  const noiseSeed = scene.int(0, 0x7fffffff);
  const rates = options.rulerRate ?? { benign: 0.3, malignant: 0.3 };
  const ruler: SyntheticDistractors["ruler"] = rulerRoll < (label === 1 ? rates.malignant : rates.benign) ? rulerSide : "none";

  const lesionRandom = mulberry32(combineSeeds(seed, index, 2));
  const shape = drawLesionShape(lesionRandom, label);
  const { seeds, colourCount } = drawLesionColours(lesionRandom, label, shape);
  const colourWarp = randomWaves(lesionRandom, 3, 3, 0.04);
  const opacity = lesionRandom.uniform(0.8, 0.97);
  const lesionTexture = randomWaves(lesionRandom, 2, 9, 0.05);

  const noise = mulberry32(noiseSeed);
  const rgb = new Uint8Array(size * size * 3);
  const mask = new Uint8Array(size * size);
  const pixel = 1 / size;
  // Pixels beyond these distances get zero coverage; skipping them saves most of the trigonometry.
  const lesionReach = maxBorderRadius(shape) + pixel;

  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) * pixel;
      const v = (y + 0.5) * pixel;
      const texture = 1 + waveField(skinTexture, u, v);
      let r = skin[0] * texture;
      let g = skin[1] * texture;
      let b = skin[2] * texture;

      // Lesion: signed distance to the border along the ray from the centre, in pixels, for anti-aliasing.
      const dx = u - shape.cx;
      const dy = v - shape.cy;
      const dist = Math.sqrt(dx * dx + dy * dy);
      const border = dist > lesionReach ? 0 : borderRadius(shape, Math.atan2(dy, dx));
      mask[y * size + x] = dist < border ? 1 : 0;
      const coverage = dist > lesionReach ? 0 : clamp01((border - dist) * size + 0.5);
      if (coverage > 0) {
        const wx = u + waveField(colourWarp, u, v);
        const wy = v + waveField(colourWarp, v, u);
        let nearest = seeds[0];
        let nearestD = Infinity;
        for (const s of seeds) {
          const d = (wx - s.x) ** 2 + (wy - s.y) ** 2;
          if (d < nearestD) {
            nearestD = d;
            nearest = s;
          }
        }
        const shade = 1 + waveField(lesionTexture, u, v);
        const a = coverage * opacity;
        r = lerp(r, nearest.colour[0] * shade, a);
        g = lerp(g, nearest.colour[1] * shade, a);
        b = lerp(b, nearest.colour[2] * shade, a);
      }

      for (const hair of hairs) {
        // At least ~0.7 px wide so hairs stay visible at 32 px.
        const halfWidthPx = Math.max(0.35, hair.halfWidth * size);
        const reach = (halfWidthPx + 1) * pixel;
        if (u < hair.minX - reach || u > hair.maxX + reach || v < hair.minY - reach || v > hair.maxY + reach) continue;
        const d = distanceToPolyline(u, v, hair.points);
        const hairCoverage = clamp01(halfWidthPx + 0.5 - d * size);
        if (hairCoverage > 0) {
          r = lerp(r, hair.shade, hairCoverage);
          g = lerp(g, hair.shade * 0.85, hairCoverage);
          b = lerp(b, hair.shade * 0.75, hairCoverage);
        }
      }

      const rulerValue = rulerPixel(ruler, u, v);
      if (rulerValue !== null) {
        r = rulerValue;
        g = rulerValue;
        b = rulerValue;
      }

      let light = gain;
      if (vignetting) {
        const rho = Math.sqrt((u - 0.5) ** 2 + (v - 0.5) ** 2) / Math.SQRT1_2;
        const fall = Math.max(0, rho - vignetteStart) / (1 - vignetteStart);
        light *= 1 - vignetteStrength * fall * fall;
      }
      const o = 3 * (y * size + x);
      rgb[o] = toByte(r * light + 4 * noise.normal());
      rgb[o + 1] = toByte(g * light + 4 * noise.normal());
      rgb[o + 2] = toByte(b * light + 4 * noise.normal());
    }
  }

  return { rgb, mask, label, colourCount, distractors: { skinTone, hairCount: hairs.length, ruler, vignetting } };
}

function toByte(x: number): number {
  return x <= 0 ? 0 : x >= 255 ? 255 : Math.round(x);
}

/** File stem of case `index` ("case-0007"); zero-padded so that names sort in index order. */
export function syntheticCaseName(index: number): string {
  return `case-${String(index).padStart(4, "0")}`;
}

/**
 * Labels of a set: exactly round(count * positiveShare) malignant cases, in a seeded random order.
 * Exposed separately so that callers can plan a set (or a split) without rendering pixels.
 */
export function syntheticSetLabels(count: number, seed: number, positiveShare = 0.5): Label[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  if (!(positiveShare >= 0 && positiveShare <= 1)) throw new RangeError(`positiveShare must be in [0, 1], got ${positiveShare}`);
  const positives = Math.round(count * positiveShare);
  const labels: Label[] = Array.from({ length: count }, (_, i) => (i < positives ? 1 : 0));
  return shuffled(labels, mulberry32(combineSeeds(seed, 0x5e7)));
}

export function generateSyntheticSet(options: SyntheticSetOptions): NamedSyntheticCase[] {
  const labels = syntheticSetLabels(options.count, options.seed, options.positiveShare ?? 0.5);
  return labels.map((label, index) => ({
    ...generateSyntheticCase(options.seed, index, options.size, { label, rulerRate: options.rulerRate }),
    name: syntheticCaseName(index),
    index,
  }));
}
