# Per-arm counts and shares and Fleiss' kappa from a Focus tidy CSV, as the results page shows them.
# Usage: Rscript tidy_summary.R focus-study-<id>-<stamp>-tidy.csv   (base R; irr::kappam.fleiss gives the same kappa)
path <- commandArgs(trailingOnly = TRUE)[1]
d <- read.csv(path, encoding = "UTF-8", stringsAsFactors = FALSE)
# As the page counts: no revoked or excluded reader, first readings only (repeat = 1 is for intra-reader agreement).
best <- d[d$question == "best_map" & !(d$reader_status %in% c("revoked", "excluded")) & d$repeat == 0, ]
counts <- table(best$answer)
print(counts)
print(prop.table(counts))
tab <- as.matrix(table(best$case_id, best$answer))  # case x arm counts
k <- unique(rowSums(tab))
if (length(k) == 1 && k >= 2) {
  p_bar <- mean((rowSums(tab^2) - k) / (k * (k - 1)))
  p_e <- sum((colSums(tab) / sum(tab))^2)
  cat("Fleiss' kappa:", if (p_e < 1) (p_bar - p_e) / (1 - p_e) else NA, "\n")
} else {
  cat("Fleiss' kappa: needs the same number (>= 2) of readers on every case\n")
}
