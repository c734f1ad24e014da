// Grad-CAM: Selvaraju, Cogswell, Das, Vedantam, Parikh, Batra, "Grad-CAM: Visual Explanations from Deep
// Networks via Gradient-based Localization", ICCV 2017.
//
//   alpha_k^c = 1/Z * sum_ij dy^c / dA_ij^k          (eq. 1: channel weight = spatial mean of the gradient)
//   L^c       = ReLU( sum_k alpha_k^c A^k )           (eq. 2)
//
// y^c is the pre-softmax logit of the target class, A the output of the last stage ("layer4" in the ResNet
// builder). The map is then bilinearly up-sampled, once, to the size it is shown at (the input size unless asked
// otherwise; half-pixel centres, as OpenCV's resize and PyTorch's interpolate(align_corners=False) used by the
// reference implementations) and min-max normalised per image; a map with no positive evidence stays all zero
// rather than being divided by zero.
//
// The gradient with respect to an intermediate feature map is taken by splitting the model in two at that
// layer: a feature model (input -> A) and a head model (A -> logits) rebuilt from the layers downstream of it,
// sharing their weights. This works for any functional model whose layers after A depend only on A.
import * as tf from "@tensorflow/tfjs";

export interface GradCamOptions {
  /** Target class per image (the design's default is the ground-truth class). Without it: the predicted class. */
  targets?: readonly number[];
  /** Name of the layer whose output is the feature map A. */
  layerName?: string;
  /**
   * Side of the square map returned, e.g. the stored image's size when it is larger than the model's input;
   * default: the input's height and width. The class-activation map is up-sampled straight to it.
   */
  outputSize?: number;
}

export interface GradCamResult {
  /** Row-major height x width (the input's, or the requested output size), values in [0, 1]. */
  heatmap: Float32Array;
  width: number;
  height: number;
  /** Softmax over the model's logits. */
  probabilities: number[];
  predictedClass: number;
  targetClass: number;
  /** Softmax probability of the target class (the P printed under each map in the paper). */
  targetProbability: number;
  /**
   * The class-activation map before up-sampling (layer4's grid, e.g. 7x7 at 224 px), min-max normalised per image.
   * Bilinear interpolation never leaves the range of its corner values, so `heatmap` is exactly this grid
   * up-sampled (the same extremes, hence the same normalisation).
   */
  cam: { width: number; height: number; values: Float32Array };
}

interface SplitModel {
  features: tf.LayersModel;
  head: tf.LayersModel;
}

const splitCache = new WeakMap<tf.LayersModel, Map<string, SplitModel>>();

/** Builds (once per model and layer) the feature model and the head model that share the original weights. */
export function splitModelAtLayer(model: tf.LayersModel, layerName: string): SplitModel {
  let perLayer = splitCache.get(model);
  if (!perLayer) {
    perLayer = new Map();
    splitCache.set(model, perLayer);
  }
  const cached = perLayer.get(layerName);
  if (cached) return cached;

  const layer = model.getLayer(layerName); // throws with the layer name if absent
  if (layer.inboundNodes.length !== 1) {
    throw new Error(`Grad-CAM: layer "${layerName}" is used ${layer.inboundNodes.length} times; expected once`);
  }
  const featureTensor = layer.inboundNodes[0].outputTensors;
  if (featureTensor.length !== 1 || featureTensor[0].shape.length !== 4) {
    throw new Error(
      `Grad-CAM: layer "${layerName}" must have one 4-D output (NHWC), got ${JSON.stringify(featureTensor.map((t) => t.shape))}`,
    );
  }
  if (model.outputs.length !== 1)
    throw new Error(`Grad-CAM: expected a model with one output (the logits), got ${model.outputs.length}`);

  const features = tf.model({ inputs: model.inputs, outputs: featureTensor[0] });
  const headInput = tf.input({ shape: featureTensor[0].shape.slice(1) });
  const mapped = new Map<number, tf.SymbolicTensor>([[featureTensor[0].id, headInput]]);
  // model.layers is in topological order, so every producer is visited before its consumers.
  for (const candidate of model.layers) {
    // Snapshot: applying the layer below appends a node to this very list.
    for (const node of candidate.inboundNodes.slice()) {
      const inputs = node.inputTensors.map((t) => mapped.get(t.id));
      const known = inputs.filter((t) => t !== undefined).length;
      if (known === 0) continue;
      if (known < inputs.length) {
        throw new Error(
          `Grad-CAM: layer "${candidate.name}" combines the output of "${layerName}" with earlier tensors; cannot split the model there`,
        );
      }
      const applied = candidate.apply(inputs.length === 1 ? inputs[0]! : (inputs as tf.SymbolicTensor[]));
      const outputs = Array.isArray(applied) ? applied : [applied];
      node.outputTensors.forEach((t, i) => mapped.set(t.id, outputs[i] as tf.SymbolicTensor));
    }
  }
  const logits = mapped.get(model.outputs[0].id);
  if (!logits) throw new Error(`Grad-CAM: the model output does not depend on layer "${layerName}"`);
  const split = { features, head: tf.model({ inputs: headInput, outputs: logits }) };
  perLayer.set(layerName, split);
  return split;
}

/**
 * Bilinear up-sampling of [N, h, w, 1] class-activation maps to the input size with half-pixel centres, then
 * per-image min-max normalisation (an all-zero map stays zero). Half-pixel centres put each cell's value at the
 * centre of the input region it covers and clamp beyond the outermost centres, so a border cell that holds the
 * maximum becomes a plateau reaching the image edge (a 2x2 map at 64 px: four 16x16 corner blocks).
 */
export function upsampleCam(cam: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  return tf.tidy(() => {
    const upsampled = tf.image.resizeBilinear(cam, [height, width], false, true);
    const min = tf.min(upsampled, [1, 2, 3], true);
    const max = tf.max(upsampled, [1, 2, 3], true);
    return tf.divNoNan<tf.Tensor4D>(tf.sub(upsampled, min), tf.sub(max, min));
  });
}

/**
 * Grad-CAM for a batch of NHWC float32 images (already pre-processed as the model expects). Samples do not
 * interact at inference (batch norm uses its moving statistics), so one backward pass of the sum of the target
 * logits yields every image's own gradient.
 */
export async function gradCam(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  options: GradCamOptions = {},
): Promise<GradCamResult[]> {
  const layerName = options.layerName ?? "layer4";
  const [batch, inputHeight, inputWidth] = images.shape;
  const size = options.outputSize;
  if (size !== undefined && (!Number.isInteger(size) || size < 1))
    throw new RangeError(`Grad-CAM: output size ${size} is not a positive integer`);
  const [height, width] = size === undefined ? [inputHeight, inputWidth] : [size, size];
  if (options.targets && options.targets.length !== batch) {
    throw new RangeError(`Grad-CAM: ${options.targets.length} targets for ${batch} images`);
  }
  const { features, head } = splitModelAtLayer(model, layerName);

  const [heatTensor, probTensor, targetTensor, camTensor] = tf.tidy(
    (): [tf.Tensor2D, tf.Tensor2D, tf.Tensor, tf.Tensor4D] => {
      const a = features.predict(images) as tf.Tensor4D;
      const logits = head.predict(a) as tf.Tensor2D;
      const numClasses = logits.shape[1];
      const targets = options.targets
        ? tf.tensor1d(
            options.targets.map((t) => {
              if (!Number.isInteger(t) || t < 0 || t >= numClasses)
                throw new RangeError(`Grad-CAM: target ${t} is not a class index < ${numClasses}`);
              return t;
            }),
            "int32",
          )
        : tf.argMax(logits, 1).toInt();
      const selector = tf.oneHot(targets, numClasses).toFloat();

      const targetLogitSum = (fm: tf.Tensor): tf.Scalar =>
        tf.sum(tf.mul(head.apply(fm, { training: false }) as tf.Tensor, selector));
      const grads = tf.grad(targetLogitSum)(a) as tf.Tensor4D;
      const alpha = tf.mean(grads, [1, 2], true); // eq. 1, [N, 1, 1, C]
      const cam = tf.relu(tf.sum(tf.mul(a, alpha), 3, true)) as tf.Tensor4D; // eq. 2, [N, h, w, 1]
      const normalised = upsampleCam(cam, height, width);
      const camMin = tf.min(cam, [1, 2, 3], true);
      const rawNormalised = tf.divNoNan<tf.Tensor4D>(tf.sub(cam, camMin), tf.sub(tf.max(cam, [1, 2, 3], true), camMin));
      return [normalised.reshape<tf.Tensor2D>([batch, height * width]), tf.softmax(logits), targets, rawNormalised];
    },
  );

  try {
    const [heat, probs, targetValues, camValues] = await Promise.all([
      heatTensor.data(),
      probTensor.data(),
      targetTensor.data(),
      camTensor.data(),
    ]);
    const numClasses = probTensor.shape[1];
    const [, camHeight, camWidth] = camTensor.shape;
    const camCells = camHeight * camWidth;
    return Array.from({ length: batch }, (_, n) => {
      const probabilities = Array.from(probs.subarray(n * numClasses, (n + 1) * numClasses));
      let predictedClass = 0;
      probabilities.forEach((p, c) => {
        if (p > probabilities[predictedClass]) predictedClass = c;
      });
      const targetClass = targetValues[n];
      return {
        heatmap: Float32Array.from(heat.subarray(n * height * width, (n + 1) * height * width)),
        width,
        height,
        probabilities,
        predictedClass,
        targetClass,
        targetProbability: probabilities[targetClass],
        cam: {
          width: camWidth,
          height: camHeight,
          values: Float32Array.from(camValues.subarray(n * camCells, (n + 1) * camCells)),
        },
      };
    });
  } finally {
    heatTensor.dispose();
    probTensor.dispose();
    targetTensor.dispose();
    camTensor.dispose();
  }
}
