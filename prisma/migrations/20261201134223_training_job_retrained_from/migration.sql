-- A training job may train a finished job again; the link survives as NULL when the old job is deleted.
ALTER TABLE "TrainingJob" ADD COLUMN     "retrainedFromId" TEXT;

ALTER TABLE "TrainingJob" ADD CONSTRAINT "TrainingJob_retrainedFromId_fkey" FOREIGN KEY ("retrainedFromId") REFERENCES "TrainingJob"("id") ON DELETE SET NULL ON UPDATE CASCADE;
