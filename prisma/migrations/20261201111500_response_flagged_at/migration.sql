-- A reader can flag a case to come back to it; kept apart from the answer and the draft.
ALTER TABLE "Response" ADD COLUMN     "flaggedAt" TIMESTAMP(3);
