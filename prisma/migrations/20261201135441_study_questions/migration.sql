-- Questions per study, answered per question. Additive: a study stored before this has "questions" = [] and reads
-- back as the default template (best map, rationale, confidence) built from its settings, so its answers stay valid.
CREATE TYPE "BestMapOption" AS ENUM ('NONE', 'CANNOT_DECIDE');

ALTER TABLE "Study" ADD COLUMN     "questions" JSONB NOT NULL DEFAULT '[]';

ALTER TABLE "Response" ADD COLUMN     "chosenOption" "BestMapOption",
ADD COLUMN     "draftOption" "BestMapOption",
ADD COLUMN     "answers" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "draftAnswers" JSONB;
