// Writes a synthetic set as PNG files in the folder layout the importer reads (dir/benign, dir/malignant,
// dir/masks with the same file names), for demos and import tests. Kept apart from the generator so that the
// generator stays free of IO and of sharp.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encodeGrayPng, encodeRgbPng } from "../../image-codec/encode-png";
import { generateSyntheticSet, type SyntheticSetOptions } from "./synthetic-dermoscopy";

export const SYNTHETIC_CLASS_FOLDERS = { 0: "benign", 1: "malignant" } as const;

export interface WrittenSyntheticSet {
  benign: number;
  malignant: number;
  /** Relative paths of the images, e.g. "malignant/case-0003.png". */
  files: string[];
}

export async function writeSyntheticSetToFolder(dir: string, options: SyntheticSetOptions): Promise<WrittenSyntheticSet> {
  const set = generateSyntheticSet(options);
  for (const folder of [...Object.values(SYNTHETIC_CLASS_FOLDERS), "masks"]) await mkdir(join(dir, folder), { recursive: true });
  const files: string[] = [];
  for (const c of set) {
    const file = `${SYNTHETIC_CLASS_FOLDERS[c.label]}/${c.name}.png`;
    await writeFile(join(dir, file), await encodeRgbPng(c.rgb, options.size, options.size));
    await writeFile(join(dir, "masks", `${c.name}.png`), await encodeGrayPng(c.mask.map((m) => m * 255), options.size, options.size));
    files.push(file);
  }
  const malignant = set.filter((c) => c.label === 1).length;
  return { benign: set.length - malignant, malignant, files };
}
