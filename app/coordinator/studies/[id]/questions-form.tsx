"use client";
import type { StudyFormState } from "../actions";
import { QuestionsEditor } from "../questions-editor";
import { StudyEditForm } from "./study-edit-form";
import type { StudyQuestion } from "@/lib/studies/study-questions";

export function QuestionsForm({
  action,
  questions,
}: {
  action: (prev: StudyFormState, form: FormData) => Promise<StudyFormState>;
  questions: StudyQuestion[];
}) {
  return (
    <StudyEditForm action={action} submitLabel="Save questions">
      {(errors) => <QuestionsEditor initial={questions} errors={errors} />}
    </StudyEditForm>
  );
}
