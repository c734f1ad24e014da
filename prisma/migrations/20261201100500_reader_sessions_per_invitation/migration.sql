-- CreateEnum
CREATE TYPE "ReentryKind" AS ENUM ('COORDINATOR_LINK', 'EMAIL_LINK');

-- AlterTable: existing invitations keep the name and specialty their reader's shared account holds today
ALTER TABLE "Invitation" ADD COLUMN     "readerName" TEXT,
ADD COLUMN     "specialty" "Specialty";

UPDATE "Invitation" AS i SET "readerName" = u."name", "specialty" = COALESCE(u."specialty", 'OTHER')
  FROM "User" AS u WHERE u."id" = i."readerId";

ALTER TABLE "Invitation" ALTER COLUMN "readerName" SET NOT NULL,
ALTER COLUMN "specialty" SET NOT NULL;

-- CreateTable
CREATE TABLE "ReentryToken" (
    "id" TEXT NOT NULL,
    "invitationId" TEXT NOT NULL,
    "kind" "ReentryKind" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReentryToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReentryToken_tokenHash_key" ON "ReentryToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ReentryToken_invitationId_kind_idx" ON "ReentryToken"("invitationId", "kind");

-- AddForeignKey
ALTER TABLE "ReentryToken" ADD CONSTRAINT "ReentryToken_invitationId_fkey" FOREIGN KEY ("invitationId") REFERENCES "Invitation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReentryToken" ADD CONSTRAINT "ReentryToken_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
