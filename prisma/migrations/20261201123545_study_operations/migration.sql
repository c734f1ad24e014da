-- Study operations: archive, reminder schedule, per-reader case order, reader exclusion.
ALTER TABLE "Study" ADD COLUMN "archivedAt" TIMESTAMP(3);
ALTER TABLE "Study" ADD COLUMN "reminderIntervalDays" INTEGER;
ALTER TABLE "Study" ADD COLUMN "nextReminderAt" TIMESTAMP(3);

ALTER TABLE "Invitation" ADD COLUMN "caseOrder" INTEGER[] DEFAULT ARRAY[]::INTEGER[];
ALTER TABLE "Invitation" ADD COLUMN "excludedAt" TIMESTAMP(3);
ALTER TABLE "Invitation" ADD COLUMN "lastRemindedAt" TIMESTAMP(3);
