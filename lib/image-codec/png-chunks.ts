// Lists the chunk types of a PNG, so tests and storage checks can prove no text/metadata chunks were written
// (a heat-map file must not carry anything that could unblind a reader, e.g. a model name in a tEXt chunk).

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function listPngChunks(png: Uint8Array): string[] {
  for (let i = 0; i < PNG_SIGNATURE.length; i++) {
    if (png[i] !== PNG_SIGNATURE[i]) throw new Error("not a PNG: bad signature");
  }
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const types: string[] = [];
  let offset = 8;
  while (offset + 8 <= png.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(png[offset + 4], png[offset + 5], png[offset + 6], png[offset + 7]);
    types.push(type);
    offset += 12 + length; // length + type + data + CRC
    if (type === "IEND") break;
  }
  return types;
}

/**
 * Chunk types that may carry text, time stamps, EXIF or an embedded profile. libvips always writes pHYs (a
 * fixed pixel density, 72 dpi by default), which identifies nothing, so it is not in this list.
 */
export const METADATA_CHUNK_TYPES = ["tEXt", "zTXt", "iTXt", "tIME", "eXIf", "iCCP"] as const;
