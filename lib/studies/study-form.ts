// The coordinator's study form: FormData mapped to the draft schema's shape (parsed by parseStudyDraft).
const bool = (form: FormData, name: string) => form.get(name) === "on" || form.get(name) === "true";
const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : undefined;
};

/** The settings part of a form (checkboxes are absent when unticked). */
export function settingsFromForm(form: FormData): Record<string, unknown> {
  const specialty = text(form, "targetSpecialty");
  return {
    showProbabilities: bool(form, "showProbabilities"),
    allowRevisit: bool(form, "allowRevisit"),
    targetSpecialty: specialty ? specialty : null,
    colourMap: text(form, "colourMap") ?? "jet",
    ...operationsFromForm(form),
  };
}

/** Case order, repeated cases and invitation expiry (operations-fields.tsx); an empty field falls back to the schema's default. */
function operationsFromForm(form: FormData): Record<string, unknown> {
  const order = text(form, "caseOrder");
  const days = text(form, "invitationExpiryDays")?.trim();
  const repeated = text(form, "repeatedCases")?.trim();
  return {
    ...(order ? { caseOrder: order } : {}),
    ...(days ? { invitationExpiryDays: Number(days) } : {}),
    ...(repeated ? { repeatedCases: Number(repeated) } : {}),
  };
}

/**
 * The questions editor's one JSON field; absent when the form has no editor. Text that is not JSON goes on as it is,
 * so that the schema names the field instead of the form failing silently.
 */
export function questionsFromForm(form: FormData): unknown {
  const raw = text(form, "questions");
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** Maps the study form's fields to the draft schema's shape; parsed once by parseStudyDraft. */
export function draftInputFromForm(form: FormData): Record<string, unknown> {
  const mode = text(form, "caseMode");
  return {
    title: text(form, "title") ?? "",
    instructions: text(form, "instructions") ?? "",
    question: text(form, "question") ?? "",
    datasetId: text(form, "datasetId") ?? "",
    modelRunIds: form.getAll("modelRunId").map(String),
    cases:
      mode === "pick"
        ? { mode, imageIds: form.getAll("imageId").map(String) }
        : { mode, size: text(form, "sampleSize") ?? "", seed: text(form, "sampleSeed") ?? "" },
    settings: settingsFromForm(form),
    questions: questionsFromForm(form),
  };
}
