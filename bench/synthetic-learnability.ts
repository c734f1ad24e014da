// Measures that the synthetic set is learnable: trains a small CNN (3 conv layers, global average pooling,
// 2 logits) on a seeded synthetic set and prints the validation AUC per epoch, then the Grad-CAM localisation
// of the trained net against the lesion masks. Not a unit test (several minutes on the pure-JS cpu backend);
// run with `npx tsx bench/synthetic-learnability.ts [size] [count] [epochs]`.
import * as tf from "@tensorflow/tfjs";
import { generateSyntheticSet } from "@/lib/ml/data/synthetic-dermoscopy";
import { stratifiedSplit } from "@/lib/ml/data/split";
import { aucRoc } from "@/lib/ml/metrics/auc";
import { localisationMetrics } from "@/lib/ml/metrics/localisation";
import { gradCam } from "@/lib/ml/gradcam/gradcam";

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 32);
  const count = Number(process.argv[3] ?? 500);
  const epochs = Number(process.argv[4] ?? 12);
  await tf.setBackend("cpu");

  const set = generateSyntheticSet({ count, size, seed: 77 });
  const { trainIndices, validationIndices } = stratifiedSplit(
    set.map((c) => ({ label: c.label, key: c.name })),
    { seed: 1 },
  );
  const toTensors = (indices: number[]) => {
    const x = new Float32Array(indices.length * size * size * 3);
    indices.forEach((idx, k) => set[idx].rgb.forEach((v, j) => (x[k * size * size * 3 + j] = v / 127.5 - 1)));
    return {
      x: tf.tensor4d(x, [indices.length, size, size, 3]),
      y: tf
        .oneHot(
          indices.map((i) => set[i].label),
          2,
        )
        .toFloat(),
    };
  };
  const train = toTensors(trainIndices);
  const val = toTensors(validationIndices);

  const input = tf.input({ shape: [size, size, 3] });
  let h: tf.SymbolicTensor = input;
  [8, 16, 32].forEach((filters, i) => {
    const name = i === 2 ? "layer4" : `conv${i + 1}`; // Grad-CAM target, as in the ResNet builder
    h = tf.layers
      .conv2d({
        name,
        filters,
        kernelSize: 3,
        padding: "same",
        activation: "relu",
        kernelInitializer: tf.initializers.heNormal({ seed: i + 1 }),
      })
      .apply(h) as tf.SymbolicTensor;
    if (i < 2) h = tf.layers.maxPooling2d({ poolSize: 2 }).apply(h) as tf.SymbolicTensor;
  });
  h = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
  const logits = tf.layers
    .dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }) })
    .apply(h) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: logits });
  model.compile({
    optimizer: tf.train.adam(0.003),
    loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
  });

  const started = Date.now();
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const history = await model.fit(train.x, train.y, { epochs: 1, batchSize: 32, shuffle: true, verbose: 0 });
    const probs = tf.tidy(() =>
      tf
        .softmax(model.predict(val.x) as tf.Tensor)
        .slice([0, 1], [-1, 1])
        .dataSync(),
    );
    const auc = aucRoc(
      Array.from(probs),
      validationIndices.map((i) => set[i].label),
    );
    console.log(
      `epoch ${epoch} loss ${(history.history.loss[0] as number).toFixed(3)} val AUC ${auc?.toFixed(3)} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
  }

  // Grad-CAM of the ground-truth class on the validation images, scored against the lesion masks.
  const results = await gradCam(model, val.x, { targets: validationIndices.map((i) => set[i].label) });
  const scores = results.map((r, k) => localisationMetrics(r.heatmap, set[validationIndices[k]].mask));
  const mean = (f: (m: (typeof scores)[number]) => number) => scores.reduce((s, m) => s + f(m), 0) / scores.length;
  const lesionShare =
    validationIndices.reduce((s, i) => s + set[i].mask.reduce((a, b) => a + b, 0), 0) /
    (validationIndices.length * size * size);
  console.log(
    `Grad-CAM on ${scores.length} validation images: pointing game ${mean((m) => (m.pointingHit ? 1 : 0)).toFixed(2)}, ` +
      `energy inside mask ${mean((m) => m.energyInside).toFixed(2)} (lesion covers ${lesionShare.toFixed(2)} of the image), ` +
      `top-15 % IoU ${mean((m) => m.topRegionIou).toFixed(2)}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
