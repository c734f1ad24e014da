-- A run requeued because its worker's heartbeat went stale remembers which worker it lost and when.
ALTER TABLE "ModelRun" ADD COLUMN "lostWorkerId" TEXT,
ADD COLUMN "workerLostAt" TIMESTAMP(3);
