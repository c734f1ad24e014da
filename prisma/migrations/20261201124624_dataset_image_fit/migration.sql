-- How an import made non-square images square; datasets imported before this were centre-cropped.
CREATE TYPE "ImageFit" AS ENUM ('COVER', 'CONTAIN');

ALTER TABLE "Dataset" ADD COLUMN     "imageFit" "ImageFit" NOT NULL DEFAULT 'COVER';
