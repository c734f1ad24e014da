// Public entry point of the reader-study statistics library.
export { type Answer, AnswerDataError, isMissingChoice } from "./answers";
export { CsvFormatError, answersFromCsv, parseCsv, readAnswerRows, readerGroupsFromCsv } from "./answers-csv";
export { type ChiSquareResult, chiSquareGoodnessOfFit } from "./chi-square";
export { cohenKappa, cohenKappaFromContingency, cohenKappaFromPairs, meanPairwiseCohenKappa, pairwiseCohenKappa } from "./cohen-kappa";
export { chiSquareCdf, chiSquareSurvival } from "./distributions";
export { fleissKappa, fleissKappaFromTable } from "./fleiss-kappa";
export { gwetAc1, gwetAc1FromTable } from "./gwet-ac1";
export { krippendorffAlpha, krippendorffAlphaNominalFromTable } from "./krippendorff-alpha";
export { type LocalisationAgreement, localisationAgreement } from "./localisation-agreement";
export { type CaseMajority, perCaseMajority } from "./majority";
export { type ExactMultinomialResult, exactMultinomialEqualP } from "./multinomial-exact";
export { buildRatingTable } from "./rating-table";
export { type GroupSummary, type StatsSummary, type SummaryOptions, summarize, summarizeByGroup } from "./summary";
export { formatSummaryTable } from "./summary-table";
export { wilsonInterval } from "./wilson";
