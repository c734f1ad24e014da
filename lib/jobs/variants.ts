// The trainer names variants in lower case ("cbam"); the database enum in upper case (CBAM).
import { Variant as DbVariant } from "@/lib/db/client";
import { VARIANTS, type Variant } from "@/lib/ml/models/architecture";

export function toDbVariant(v: Variant): DbVariant {
  return v.toUpperCase() as DbVariant;
}

export function fromDbVariant(v: DbVariant): Variant {
  const lower = v.toLowerCase();
  if (!(VARIANTS as readonly string[]).includes(lower)) throw new Error(`unknown variant ${v}`);
  return lower as Variant;
}
