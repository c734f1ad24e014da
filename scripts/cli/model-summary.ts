// focus model:summary --variant <v> --width <w> --size <px> [--json]  (no database)
import type { Command } from "commander";
import { modelSummary } from "@/lib/ml/models/param-count";
import { VARIANTS, type Variant } from "@/lib/ml/models/architecture";
import { trainParamsSchema } from "@/lib/ml/train/train-params";
import { choiceOption, integerOption, schemaNumberOption } from "./arguments";

export function registerModelSummary(program: Command): void {
  program
    .command("model:summary")
    .description("parameter count of a ResNet-18 variant (analytic, no weights built)")
    .requiredOption("--variant <v>", VARIANTS.join(", "), choiceOption("--variant", VARIANTS))
    .option(
      "--width <w>",
      "channel width multiplier",
      schemaNumberOption("--width", trainParamsSchema.shape.width.unwrap()),
      1,
    )
    .option(
      "--size <px>",
      "input size (does not change the count: global average pooling)",
      integerOption("--size", 1, 4096),
      224,
    )
    .option("--json", "print JSON")
    .action((o: { variant: Variant; width: number; size: number; json?: boolean }) => {
      const summary = modelSummary(o.variant, o.width, o.size);
      if (o.json) console.log(JSON.stringify(summary));
      else
        console.log(
          `${summary.variant} ResNet-18, width ${summary.width}, ${summary.inputSize} px: ${summary.params.toLocaleString("en")} parameters`,
        );
    });
}
