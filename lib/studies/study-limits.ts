// The case limit, owned here so that the draft schema (cases) and the settings schema (repeated cases) share it
// without importing each other.
export const MAX_CASES = 500;
