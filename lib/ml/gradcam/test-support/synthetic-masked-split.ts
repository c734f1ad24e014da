// The synthetic dermoscopy set split 80/20 (stratified), keeping each case's lesion mask for localisation.
// Same generator and split seed as the trainer's test fixtures (lib/ml/train/test-support/synthetic-run.ts).
import { stratifiedSplit } from "@/lib/ml/data/split";
import { generateSyntheticSet } from "@/lib/ml/data/synthetic-dermoscopy";
import type { MaskedImage } from "../localisation-summary";

export function syntheticMaskedSplit(
  count: number,
  size: number,
  seed: number,
): { train: MaskedImage[]; val: MaskedImage[] } {
  const set = generateSyntheticSet({ count, size, seed });
  const { trainIndices, validationIndices } = stratifiedSplit(
    set.map((c) => ({ label: c.label, key: c.name })),
    { seed: 3 },
  );
  const pick = (ix: number[]): MaskedImage[] =>
    ix.map((i) => ({ rgb: set[i].rgb, mask: set[i].mask, label: set[i].label }));
  return { train: pick(trainIndices), val: pick(validationIndices) };
}
