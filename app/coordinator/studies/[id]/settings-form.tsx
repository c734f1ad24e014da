"use client";
import type { StudyFormState } from "../actions";
import { SettingsFields } from "../settings-fields";
import { StudyEditForm } from "./study-edit-form";
import type { StudySettings } from "@/lib/studies/study-settings";

export function SettingsForm({
  action,
  settings,
}: {
  action: (prev: StudyFormState, form: FormData) => Promise<StudyFormState>;
  settings: StudySettings;
}) {
  return (
    <StudyEditForm action={action} submitLabel="Save settings">
      {(errors) => <SettingsFields settings={settings} errors={errors} />}
    </StudyEditForm>
  );
}
