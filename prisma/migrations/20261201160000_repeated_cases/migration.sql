-- Repeated cases (study setting `repeatedCases`): a reader reads k cases a second time at the end, with a fresh slot
-- order, for intra-reader agreement. The second reading has its own slot order, blind tokens (through its slot order)
-- and answer, so "repeat" (0 = first reading, 1 = repeated reading) joins the unique keys. Additive: every row stored
-- before this is a first reading.
ALTER TABLE "SlotOrder" ADD COLUMN "repeat" INTEGER NOT NULL DEFAULT 0;
DROP INDEX "SlotOrder_readerId_studyCaseId_key";
CREATE UNIQUE INDEX "SlotOrder_readerId_studyCaseId_repeat_key" ON "SlotOrder"("readerId", "studyCaseId", "repeat");

ALTER TABLE "Response" ADD COLUMN "repeat" INTEGER NOT NULL DEFAULT 0;
DROP INDEX "Response_studyCaseId_readerId_key";
CREATE UNIQUE INDEX "Response_studyCaseId_readerId_repeat_key" ON "Response"("studyCaseId", "readerId", "repeat");

-- Which cases the reader repeats: the first k of this seeded permutation of the study's caseIndex values.
ALTER TABLE "Invitation" ADD COLUMN "repeatOrder" INTEGER[] DEFAULT ARRAY[]::INTEGER[];
