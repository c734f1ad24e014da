// Shown where folder import is off, in the server's refusal and in the researcher's form (a client
// component, hence a module without Node imports).
export const IMPORT_ROOTS_HINT =
  "An operator enables it by setting FOCUS_IMPORT_ROOTS to the folders researchers may import from " +
  "(absolute paths separated by ':', e.g. /data/datasets) and restarting Focus.";
