-- Sharp pixels: a display copy per image and the raw class-activation map per heat-map, both optional so that
-- older rows stay valid (readers then see the model-size copy and the pre-blended overlay).
ALTER TABLE "Image" ADD COLUMN     "displayKey" TEXT;
ALTER TABLE "Heatmap" ADD COLUMN     "camKey" TEXT;
