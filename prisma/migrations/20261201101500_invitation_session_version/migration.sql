-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN     "sessionVersion" INTEGER NOT NULL DEFAULT 0;
