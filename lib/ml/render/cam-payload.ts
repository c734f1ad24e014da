// The raw class-activation map as stored by heat-map jobs and sent to the reader's browser, which upsamples and
// colours it over the display copy. Pure (no Node or DOM APIs), so the browser decodes with the same code.
//
// Every payload has the same length, whatever the grid (3x3 at 96 px, 7x7 at 224 px, up to 64x64): the file size
// of a case's maps must not tell one model from another (blinding, lib/blinding/README.md). Layout, little-endian:
//   0..3   "FCAM"
//   4      format version (1)
//   5      reserved (0)
//   6..7   width  (uint16, cells)
//   8..9   height (uint16, cells)
//   10..15 reserved (0)
//   16..   width * height uint16 values, row-major, value / 65535 in [0, 1]; zero padding to CAM_PAYLOAD_BYTES.
// 16 bits keep far more precision than the 8-bit colour it ends up as; floats would only make the file larger.

export const CAM_MAX_SIDE = 64;
const HEADER_BYTES = 16;
export const CAM_PAYLOAD_BYTES = HEADER_BYTES + 2 * CAM_MAX_SIDE * CAM_MAX_SIDE;
const MAGIC = [0x46, 0x43, 0x41, 0x4d]; // "FCAM"
const VERSION = 1;

export interface CamGrid {
  width: number;
  height: number;
  /** Row-major, values in [0, 1]. */
  values: Float32Array;
}

function checkSide(side: number, what: string): void {
  if (!Number.isInteger(side) || side < 1 || side > CAM_MAX_SIDE)
    throw new RangeError(`class-activation map ${what} ${side} is not an integer in 1..${CAM_MAX_SIDE}`);
}

/** The fixed-length payload of a map (values are clamped to [0, 1]; NaN counts as 0). */
export function encodeCamPayload(cam: CamGrid): Uint8Array {
  checkSide(cam.width, "width");
  checkSide(cam.height, "height");
  if (cam.values.length !== cam.width * cam.height)
    throw new RangeError(`class-activation map has ${cam.values.length} values, not ${cam.width} x ${cam.height}`);
  const bytes = new Uint8Array(CAM_PAYLOAD_BYTES);
  const view = new DataView(bytes.buffer);
  MAGIC.forEach((b, i) => (bytes[i] = b));
  bytes[4] = VERSION;
  view.setUint16(6, cam.width, true);
  view.setUint16(8, cam.height, true);
  for (let i = 0; i < cam.values.length; i++) {
    const v = cam.values[i];
    const unit = Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
    view.setUint16(HEADER_BYTES + 2 * i, Math.round(unit * 65535), true);
  }
  return bytes;
}

/** Reads a payload back; throws on anything that is not one (wrong length, magic, version or grid). */
export function decodeCamPayload(payload: ArrayBuffer | Uint8Array): CamGrid {
  const bytes = payload instanceof Uint8Array ? payload : new Uint8Array(payload);
  if (bytes.length !== CAM_PAYLOAD_BYTES)
    throw new RangeError(`a map payload has ${CAM_PAYLOAD_BYTES} bytes, got ${bytes.length}`);
  if (MAGIC.some((b, i) => bytes[i] !== b) || bytes[4] !== VERSION) throw new RangeError("not a map payload");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint16(6, true);
  const height = view.getUint16(8, true);
  checkSide(width, "width");
  checkSide(height, "height");
  const values = new Float32Array(width * height);
  for (let i = 0; i < values.length; i++) values[i] = view.getUint16(HEADER_BYTES + 2 * i, true) / 65535;
  return { width, height, values };
}

/**
 * Bilinear upsampling of a grid to side x side with half-pixel centres (as Grad-CAM's own upsampling, OpenCV's
 * resize and PyTorch's interpolate(align_corners=False)): each cell's value sits at the centre of the region it
 * covers, and beyond the outermost centres the edge value holds. The browser draws this; tests compare with it.
 */
export function upsampleCamBilinear(cam: CamGrid, side: number): Float32Array {
  const out = new Float32Array(side * side);
  const { width, height, values } = cam;
  const sx = width / side;
  const sy = height / side;
  for (let y = 0; y < side; y++) {
    const fy = Math.min(height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < side; x++) {
      const fx = Math.min(width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(width - 1, x0 + 1);
      const wx = fx - x0;
      const top = values[y0 * width + x0] * (1 - wx) + values[y0 * width + x1] * wx;
      const bottom = values[y1 * width + x0] * (1 - wx) + values[y1 * width + x1] * wx;
      out[y * side + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}
