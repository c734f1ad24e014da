-- Held-out evaluation: test-split metrics on the run, per-image predictions, and the chance levels and blank-map flag
-- of each heat-map for the localisation summary. All additive and nullable, so older rows stay valid.
-- AlterTable
ALTER TABLE "ModelRun" ADD COLUMN     "testAuc" DOUBLE PRECISION,
ADD COLUMN     "testEvaluation" JSONB;

-- AlterTable
ALTER TABLE "Heatmap" ADD COLUMN     "blankMap" BOOLEAN,
ADD COLUMN     "chanceIou" DOUBLE PRECISION,
ADD COLUMN     "maskShare" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "RunPrediction" (
    "modelRunId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "probability" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "RunPrediction_pkey" PRIMARY KEY ("modelRunId","imageId")
);

-- CreateIndex
CREATE INDEX "RunPrediction_imageId_idx" ON "RunPrediction"("imageId");

-- AddForeignKey
ALTER TABLE "RunPrediction" ADD CONSTRAINT "RunPrediction_modelRunId_fkey" FOREIGN KEY ("modelRunId") REFERENCES "ModelRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunPrediction" ADD CONSTRAINT "RunPrediction_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

