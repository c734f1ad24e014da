// The colour maps a study may choose for its heat-maps (study settings own the choice; colour-map.ts the colours).
// Kept apart from the colour tables so that lib/studies can name them without importing any colour code.

export const COLOUR_MAPS = ["jet", "turbo", "viridis"] as const;
export type ColourMapName = (typeof COLOUR_MAPS)[number];

export const COLOUR_MAP_LABELS: Record<ColourMapName, string> = {
  jet: "Jet (as in the paper)",
  turbo: "Turbo (a smoother rainbow)",
  viridis: "Viridis (perceptually uniform, colour-blind safe)",
};
