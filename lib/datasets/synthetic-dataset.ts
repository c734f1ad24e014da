// The built-in synthetic dermoscopy set (lib/ml/data/synthetic-dermoscopy.ts) as a database dataset: every
// image has a lesion mask, so heat-maps of its models always get localisation metrics.
import type { Dataset } from "@/lib/db/client";
import { generateSyntheticCase, syntheticCaseName, syntheticSetLabels } from "@/lib/ml/data/synthetic-dermoscopy";
import { DISPLAY_MAX_SIDE } from "@/lib/image-codec/decode";
import { syntheticInputSchema, type SyntheticInput } from "./dataset-inputs";
import {
  assertDatasetNameFree,
  createDatasetRows,
  dropDuplicates,
  storeDatasetImage,
  type StoredImage,
} from "./persist-dataset";

export const SYNTHETIC_CLASS_NAMES: [string, string] = ["benign", "malignant"];

/**
 * The generator draws in image-relative units, so the same case at 4x the side is the same picture, sharper: the
 * display copy readers see (about 50 ms per image at 384 px).
 */
const DISPLAY_SCALE = 4;

export async function createSyntheticDataset(input: SyntheticInput): Promise<Dataset> {
  const opts = syntheticInputSchema.parse(input);
  await assertDatasetNameFree(opts.name);
  // Case by case rather than generateSyntheticSet, so a large set never sits in memory as pixels.
  const labels = syntheticSetLabels(opts.count, opts.seed);
  const stored: StoredImage[] = [];
  for (let index = 0; index < labels.length; index++) {
    const c = generateSyntheticCase(opts.seed, index, opts.size, { label: labels[index] });
    const name = syntheticCaseName(index);
    const displaySide = Math.min(DISPLAY_MAX_SIDE, DISPLAY_SCALE * opts.size);
    stored.push(
      await storeDatasetImage({
        originalName: `${SYNTHETIC_CLASS_NAMES[c.label]}/${name}.png`,
        label: c.label,
        rgb: c.rgb,
        size: opts.size,
        mask: c.mask,
        display: {
          rgb: generateSyntheticCase(opts.seed, index, displaySide, { label: labels[index] }).rgb,
          side: displaySide,
        },
      }),
    );
  }
  const { kept, skipped } = dropDuplicates(stored);
  return createDatasetRows(
    {
      name: opts.name,
      modality: "SYNTHETIC",
      description: `Synthetic dermoscopy (ABCD-rule lesions with label-independent distractors), ${opts.count} cases, seed ${opts.seed}.`,
      classNames: SYNTHETIC_CLASS_NAMES,
      imageSize: opts.size,
      hasMasks: true,
      splitSeed: opts.splitSeed ?? opts.seed,
      source: `synthetic-dermoscopy seed=${opts.seed} count=${opts.count} size=${opts.size}`,
      createdById: opts.createdById,
    },
    kept,
    skipped,
  );
}
