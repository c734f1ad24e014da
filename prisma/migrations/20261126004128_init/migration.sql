-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'COORDINATOR', 'RESEARCHER', 'SPECIALIST');

-- CreateEnum
CREATE TYPE "Specialty" AS ENUM ('DERMATOLOGY', 'RADIOLOGY', 'OTHER');

-- CreateEnum
CREATE TYPE "Modality" AS ENUM ('SKIN', 'CHEST_XRAY', 'MRI', 'CT', 'SYNTHETIC', 'OTHER');

-- CreateEnum
CREATE TYPE "ImageSplit" AS ENUM ('TRAIN', 'VALIDATION', 'TEST');

-- CreateEnum
CREATE TYPE "Variant" AS ENUM ('BASELINE', 'SE', 'CBAM', 'GC');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "StudyStatus" AS ENUM ('DRAFT', 'OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "InvitationStatus" AS ENUM ('PENDING', 'ACCEPTED', 'REVOKED');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "specialty" "Specialty",
    "pseudonym" TEXT NOT NULL,
    "passwordHash" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignInAttempt" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "success" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignInAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Dataset" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "modality" "Modality" NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "classNames" TEXT[],
    "imageSize" INTEGER NOT NULL,
    "hasMasks" BOOLEAN NOT NULL DEFAULT false,
    "splitSeed" INTEGER NOT NULL,
    "source" TEXT NOT NULL DEFAULT '',
    "importReport" JSONB NOT NULL DEFAULT '[]',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Image" (
    "id" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "originalName" TEXT NOT NULL,
    "label" INTEGER NOT NULL,
    "split" "ImageSplit" NOT NULL,
    "contentHash" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "fileKey" TEXT NOT NULL,
    "maskKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Image_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingJob" (
    "id" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "variants" "Variant"[],
    "seeds" INTEGER[],
    "params" JSONB NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrainingJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelRun" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "variant" "Variant" NOT NULL,
    "seed" INTEGER NOT NULL,
    "params" JSONB NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "epoch" INTEGER NOT NULL DEFAULT 0,
    "epochs" INTEGER NOT NULL,
    "history" JSONB NOT NULL DEFAULT '[]',
    "valAuc" DOUBLE PRECISION,
    "roc" JSONB,
    "etaSeconds" DOUBLE PRECISION,
    "backend" TEXT,
    "workerId" TEXT,
    "error" TEXT,
    "weightsKey" TEXT,
    "checkpointKey" TEXT,
    "readyForStudy" BOOLEAN NOT NULL DEFAULT false,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ModelRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Heatmap" (
    "id" TEXT NOT NULL,
    "modelRunId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "targetClass" INTEGER NOT NULL,
    "probability" DOUBLE PRECISION NOT NULL,
    "predictedClass" INTEGER NOT NULL,
    "overlayKey" TEXT NOT NULL,
    "mapKey" TEXT NOT NULL,
    "pointingHit" BOOLEAN,
    "energyInMask" DOUBLE PRECISION,
    "topIou" DOUBLE PRECISION,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Heatmap_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkerHeartbeat" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "backend" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "seenAt" TIMESTAMP(3) NOT NULL,
    "currentRunId" TEXT,

    CONSTRAINT "WorkerHeartbeat_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Study" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "instructions" TEXT NOT NULL DEFAULT '',
    "question" TEXT NOT NULL DEFAULT 'Which model focuses on the most clinically relevant region?',
    "status" "StudyStatus" NOT NULL DEFAULT 'DRAFT',
    "datasetId" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "designSeed" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "publishedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Study_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StudyArm" (
    "id" TEXT NOT NULL,
    "studyId" TEXT NOT NULL,
    "modelRunId" TEXT NOT NULL,
    "armIndex" INTEGER NOT NULL,

    CONSTRAINT "StudyArm_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StudyCase" (
    "id" TEXT NOT NULL,
    "studyId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "caseIndex" INTEGER NOT NULL,

    CONSTRAINT "StudyCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Invitation" (
    "id" TEXT NOT NULL,
    "studyId" TEXT NOT NULL,
    "readerId" TEXT NOT NULL,
    "invitedById" TEXT NOT NULL,
    "readerIndex" INTEGER NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "status" "InvitationStatus" NOT NULL DEFAULT 'PENDING',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastActiveAt" TIMESTAMP(3),

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlotOrder" (
    "id" TEXT NOT NULL,
    "readerId" TEXT NOT NULL,
    "studyCaseId" TEXT NOT NULL,
    "armOrder" INTEGER[],
    "firstSeenAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SlotOrder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BlindToken" (
    "token" TEXT NOT NULL,
    "slotOrderId" TEXT NOT NULL,
    "readerId" TEXT NOT NULL,
    "slot" INTEGER,

    CONSTRAINT "BlindToken_pkey" PRIMARY KEY ("token")
);

-- CreateTable
CREATE TABLE "Response" (
    "id" TEXT NOT NULL,
    "studyCaseId" TEXT NOT NULL,
    "readerId" TEXT NOT NULL,
    "chosenArmId" TEXT,
    "chosenSlot" INTEGER,
    "rationale" TEXT NOT NULL DEFAULT '',
    "confidence" INTEGER,
    "draftSlot" INTEGER,
    "draftRationale" TEXT,
    "draftConfidence" INTEGER,
    "draftSavedAt" TIMESTAMP(3),
    "clientTimeMs" INTEGER,
    "serverTimeMs" INTEGER,
    "submittedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Response_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "subject" TEXT NOT NULL DEFAULT '',
    "details" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "User_pseudonym_key" ON "User"("pseudonym");

-- CreateIndex
CREATE INDEX "SignInAttempt_key_createdAt_idx" ON "SignInAttempt"("key", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Dataset_name_key" ON "Dataset"("name");

-- CreateIndex
CREATE INDEX "Image_datasetId_split_label_idx" ON "Image"("datasetId", "split", "label");

-- CreateIndex
CREATE UNIQUE INDEX "Image_datasetId_contentHash_key" ON "Image"("datasetId", "contentHash");

-- CreateIndex
CREATE INDEX "ModelRun_status_idx" ON "ModelRun"("status");

-- CreateIndex
CREATE UNIQUE INDEX "ModelRun_jobId_variant_seed_key" ON "ModelRun"("jobId", "variant", "seed");

-- CreateIndex
CREATE UNIQUE INDEX "Heatmap_modelRunId_imageId_key" ON "Heatmap"("modelRunId", "imageId");

-- CreateIndex
CREATE UNIQUE INDEX "StudyArm_studyId_armIndex_key" ON "StudyArm"("studyId", "armIndex");

-- CreateIndex
CREATE UNIQUE INDEX "StudyArm_studyId_modelRunId_key" ON "StudyArm"("studyId", "modelRunId");

-- CreateIndex
CREATE UNIQUE INDEX "StudyCase_studyId_caseIndex_key" ON "StudyCase"("studyId", "caseIndex");

-- CreateIndex
CREATE UNIQUE INDEX "StudyCase_studyId_imageId_key" ON "StudyCase"("studyId", "imageId");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_tokenHash_key" ON "Invitation"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_studyId_readerId_key" ON "Invitation"("studyId", "readerId");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_studyId_readerIndex_key" ON "Invitation"("studyId", "readerIndex");

-- CreateIndex
CREATE UNIQUE INDEX "SlotOrder_readerId_studyCaseId_key" ON "SlotOrder"("readerId", "studyCaseId");

-- CreateIndex
CREATE UNIQUE INDEX "BlindToken_slotOrderId_slot_key" ON "BlindToken"("slotOrderId", "slot");

-- CreateIndex
CREATE UNIQUE INDEX "Response_studyCaseId_readerId_key" ON "Response"("studyCaseId", "readerId");

-- CreateIndex
CREATE INDEX "AuditEvent_action_createdAt_idx" ON "AuditEvent"("action", "createdAt");

-- AddForeignKey
ALTER TABLE "Dataset" ADD CONSTRAINT "Dataset_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Image" ADD CONSTRAINT "Image_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingJob" ADD CONSTRAINT "TrainingJob_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingJob" ADD CONSTRAINT "TrainingJob_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelRun" ADD CONSTRAINT "ModelRun_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "TrainingJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Heatmap" ADD CONSTRAINT "Heatmap_modelRunId_fkey" FOREIGN KEY ("modelRunId") REFERENCES "ModelRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Heatmap" ADD CONSTRAINT "Heatmap_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Study" ADD CONSTRAINT "Study_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Study" ADD CONSTRAINT "Study_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyArm" ADD CONSTRAINT "StudyArm_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyArm" ADD CONSTRAINT "StudyArm_modelRunId_fkey" FOREIGN KEY ("modelRunId") REFERENCES "ModelRun"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyCase" ADD CONSTRAINT "StudyCase_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyCase" ADD CONSTRAINT "StudyCase_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_readerId_fkey" FOREIGN KEY ("readerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_invitedById_fkey" FOREIGN KEY ("invitedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlotOrder" ADD CONSTRAINT "SlotOrder_readerId_fkey" FOREIGN KEY ("readerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlotOrder" ADD CONSTRAINT "SlotOrder_studyCaseId_fkey" FOREIGN KEY ("studyCaseId") REFERENCES "StudyCase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BlindToken" ADD CONSTRAINT "BlindToken_slotOrderId_fkey" FOREIGN KEY ("slotOrderId") REFERENCES "SlotOrder"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_studyCaseId_fkey" FOREIGN KEY ("studyCaseId") REFERENCES "StudyCase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_readerId_fkey" FOREIGN KEY ("readerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_chosenArmId_fkey" FOREIGN KEY ("chosenArmId") REFERENCES "StudyArm"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
