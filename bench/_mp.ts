import * as tf from "@tensorflow/tfjs";
import { initBackend } from "@/lib/ml/backend/select-backend";
await initBackend({ log: () => {} });
for (const c of [16, 64]) {
  const x = tf.randomNormal([16, 32, 32, c]) as tf.Tensor4D;
  const f = () => tf.grad((xi: tf.Tensor) => tf.maxPool(xi as tf.Tensor4D, 3, 2, "same").sum())(x);
  for (let i = 0; i < 3; i++) f().dispose();
  const t = performance.now(); for (let i = 0; i < 10; i++) { const g = f(); g.dataSync(); g.dispose(); }
  console.log("c", c, "grad of maxpool ms", ((performance.now() - t) / 10).toFixed(2));
  const prof = await tf.profile(() => f());
  for (const k of prof.kernels) console.log("  ", k.name, k.kernelTimeMs, k.inputShapes);
}
