import sharp from "sharp";

/** A square PNG of seeded xorshift noise: distinct content per seed, so an importer sees no duplicates. */
export async function noisePng(seed: number, side: number): Promise<Buffer> {
  const px = Buffer.alloc(side * side * 3);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < px.length; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    px[i] = s & 255;
  }
  return sharp(px, { raw: { width: side, height: side, channels: 3 } })
    .png()
    .toBuffer();
}
