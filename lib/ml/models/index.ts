/** Public API of the model package (ResNet-18 with optional SE, CBAM or GC attention). */
export { buildModel, GRADCAM_LAYER, VARIANTS, type BuildModelOptions, type Variant } from "./build-model";
export { isVariant, scaledChannels, hiddenUnits } from "./architecture";
export { analyticParamCount, attentionParams, countTrainableParams, modelSummary, type ModelSummary } from "./param-count";
export { fileSystemIOHandler, loadModel, saveModel, MODEL_JSON } from "./save-load";
export { ScaleShiftBatchNorm } from "./layers";
