/**
 * Scans what a reader's browser receives (HTML, RSC/JSON payloads, headers, URLs, PNG text chunks) for
 * anything that names an arm. Used by tests: a single leaked "cbam" or run id unblinds the whole study.
 *
 * Two matching modes, because the two kinds of identifier fail in opposite ways:
 *   - "substring" (ids: cuids, uuids, job / run / heat-map ids, storage hashes, the study seed). These are
 *     long random strings; they never occur by chance, so any occurrence anywhere, even inside a longer word
 *     or a URL, is a leak. Case-insensitive, because uuids are printed in both cases.
 *   - "word" (variant names: baseline, se, cbam, gc, ...). Short words occur inside ordinary words
 *     ("second", "session", "gcse", "cbams"), so a match must not be preceded or followed by an ASCII letter
 *     or digit. Punctuation, including "_" and "-", counts as a boundary so that "resnet_se", "SE-ResNet"
 *     and "model-gc" ARE flagged (JavaScript's \b would miss "resnet_se", since "_" is a word character).
 *     Trade-off: false positives where a variant name is a real word or token of its own: French/Spanish
 *     "se", "GC" in prose, the CSS keyword `baseline` (`align-items: baseline`), and two-letter identifiers
 *     such as `se` or `gc` in minified JavaScript. So scan visible text, HTML markup and JSON payloads in word
 *     mode, and scan CSS and JS bundles in substring mode only. False negatives: camelCase joins such as
 *     "useSeBlock" are not flagged (the "e" after "S" is not a boundary).
 */

export type ScanMode = "substring" | "word";

/** Returns the forbidden terms found in `text` (each once, in the order given). */
export function findForbidden(text: string, forbidden: string[], mode: ScanMode = "substring"): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const haystack = text.toLowerCase();
  for (const term of forbidden) {
    const needle = term.toLowerCase();
    if (needle.length === 0 || seen.has(needle)) continue;
    const hit = mode === "substring" ? haystack.includes(needle) : wordPattern(needle).test(haystack);
    if (hit) {
      found.push(term);
      seen.add(needle);
    }
  }
  return found;
}

function wordPattern(lowerCaseTerm: string): RegExp {
  const escaped = lowerCaseTerm.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![a-z0-9])${escaped}(?![a-z0-9])`);
}

export type ForbiddenTerms = {
  /** Matched in "word" mode. */
  words: string[];
  /** Matched in "substring" mode. */
  substrings: string[];
};

/**
 * Other names the known variants go by in the papers and in code; a page saying "Squeeze-and-Excitation"
 * unblinds as surely as one saying "se".
 */
const VARIANT_ALIASES: Record<string, string[]> = {
  baseline: ["baseline", "plain resnet"],
  se: ["se", "squeeze-and-excitation", "squeeze and excitation", "senet"],
  cbam: ["cbam", "convolutional block attention"],
  gc: ["gc", "gcnet", "global context"],
};

/**
 * Shorter ids would match by chance (a 4-character id is in any large bundle), so a substring scan over
 * them would only produce noise; refuse them loudly instead of scanning meaninglessly.
 */
const MIN_ID_LENGTH = 8;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Everything that must never reach a reader of this study. `variants` are the arms' variant keys or display
 * names; `ids` are every identifier tied to an arm (model run ids, job ids, heat-map ids, content hashes of
 * heat-map files) plus the study seed and the token secret.
 */
export function forbiddenTermsForStudy({ variants, ids }: { variants: string[]; ids: string[] }): ForbiddenTerms {
  const words = new Set<string>();
  for (const variant of variants) {
    const key = variant.trim().toLowerCase();
    if (!key) continue;
    words.add(key);
    for (const alias of VARIANT_ALIASES[key] ?? []) words.add(alias);
  }

  const substrings = new Set<string>();
  for (const id of ids) {
    if (id.length < MIN_ID_LENGTH) {
      throw new RangeError(`id "${id}" is too short (< ${MIN_ID_LENGTH}) to scan for as a substring`);
    }
    substrings.add(id.toLowerCase());
    // A uuid is often printed without its dashes (file names, hex dumps).
    if (UUID.test(id)) substrings.add(id.replace(/-/g, "").toLowerCase());
  }
  return { words: [...words], substrings: [...substrings] };
}

/** Both scans at once: every leaked term, variant names first. */
export function findStudyLeaks(text: string, terms: ForbiddenTerms): string[] {
  return [...findForbidden(text, terms.words, "word"), ...findForbidden(text, terms.substrings, "substring")];
}

/** One file a reader's browser received: the case it belongs to, its kind (e.g. "map"), its size in bytes. */
export interface ReceivedFile {
  caseNumber: number;
  kind: string;
  bytes: number;
}

/**
 * Sizes that could tell models apart: for each case and kind of per-slot file (the raw maps), every file must
 * have the same size, or a reader could follow one model from case to case by the size of its file. Returns one
 * line per (case, kind) whose sizes differ. Files of a kind that exists once per case (the original's display
 * copy, the same for every model) cannot differ and pass.
 */
export function findSizeFingerprints(files: readonly ReceivedFile[]): string[] {
  const sizes = new Map<string, Set<number>>();
  for (const f of files) {
    const key = `case ${f.caseNumber} ${f.kind}`;
    sizes.set(key, (sizes.get(key) ?? new Set()).add(f.bytes));
  }
  return [...sizes]
    .filter(([, s]) => s.size > 1)
    .map(([key, s]) => `${key} files differ in size (${[...s].sort((a, b) => a - b).join(", ")} bytes)`);
}
