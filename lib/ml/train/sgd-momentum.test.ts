import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "@/lib/ml/backend/select-backend";
import { SGD_MOMENTUM_KERNEL } from "@/lib/ml/ops/kernels";
import { SgdMomentum } from "./sgd-momentum";

before(async () => {
  await initBackend({ log: () => {} });
});

/** torch.optim.SGD's update written out in plain numbers (dampening 0, nesterov False). */
function torchSgdReference(w0: number[], grads: number[][], lrs: number[], momentum: number, wd: number): number[] {
  const w = w0.slice();
  let buf: number[] | null = null;
  grads.forEach((g, step) => {
    const d = g.map((gi, i) => gi + wd * w[i]);
    buf = buf === null ? d : buf.map((b, i) => momentum * b + d[i]);
    for (let i = 0; i < w.length; i++) w[i] -= lrs[step] * buf[i];
  });
  return w;
}

describe("SgdMomentum", () => {
  test("matches PyTorch SGD (coupled weight decay, momentum buffer started at the first gradient) over steps with an lr drop", () => {
    const w0 = [0.5, -1.25, 2, 0];
    const grads = [
      [0.1, 0.2, -0.3, 0.4],
      [-0.5, 0.25, 0.125, 1],
      [0.3, -0.3, 0.3, -0.3],
    ];
    const lrs = [0.05, 0.05, 0.005];
    const v = tf.variable(tf.tensor1d(w0), true, "sgd_test_w");
    const sgd = new SgdMomentum([v], { momentum: 0.9, weightDecay: 1e-4 });
    grads.forEach((g, step) => {
      const named = { [v.name]: tf.tensor1d(g) };
      sgd.step(named, lrs[step]);
      tf.dispose(named);
    });
    const expected = torchSgdReference(w0, grads, lrs, 0.9, 1e-4);
    const got = Array.from(v.dataSync());
    got.forEach((x, i) => assert.ok(Math.abs(x - expected[i]) < 1e-6, `w[${i}] ${x} vs ${expected[i]}`));
    sgd.dispose();
    v.dispose();
  });

  test("weight decay alone shrinks a weight without gradient by lr*wd per step; missing gradients count as zero", () => {
    const v = tf.variable(tf.tensor1d([2]), true, "sgd_test_decay");
    const sgd = new SgdMomentum([v], { momentum: 0, weightDecay: 0.1 });
    sgd.step({}, 0.5);
    assert.ok(Math.abs(v.dataSync()[0] - 2 * (1 - 0.05)) < 1e-6);
    sgd.dispose();
    v.dispose();
  });

  test("buffers round-trip for checkpoints, and a restored optimizer continues identically", () => {
    const mk = (name: string) =>
      tf.variable(
        tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
        true,
        name,
      );
    const a = mk("sgd_rt_a");
    const b = mk("sgd_rt_b");
    const sa = new SgdMomentum([a], { momentum: 0.9, weightDecay: 0 });
    const sb = new SgdMomentum([b], { momentum: 0.9, weightDecay: 0 });
    const g = tf.tensor2d([
      [0.1, -0.2],
      [0.3, 0.05],
    ]);
    sa.step({ [a.name]: g }, 0.1);
    sb.step({ [b.name]: g }, 0.1);
    sb.writeBuffers([new Float32Array(4)]); // wreck b's state, then restore a's
    sb.writeBuffers(sa.readBuffers());
    sa.step({ [a.name]: g }, 0.1);
    sb.step({ [b.name]: g }, 0.1);
    assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));
    assert.throws(() => sb.writeBuffers([new Float32Array(3)]), /expected 4/);
    assert.throws(() => sb.writeBuffers([]), /1 parameters/);
    tf.dispose([g, a, b]);
    sa.dispose();
    sb.dispose();
  });

  test("steps leave no tensors behind and dispose frees the buffers", () => {
    const start = tf.memory().numTensors;
    const v = tf.tidy(() => tf.variable(tf.ones([3, 3]), true, "sgd_leak"));
    const sgd = new SgdMomentum([v], { momentum: 0.9, weightDecay: 1e-4 });
    const g = tf.ones([3, 3]);
    sgd.step({ [v.name]: g }, 0.1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) sgd.step({ [v.name]: g }, 0.1);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([g, v]);
    sgd.dispose();
    assert.equal(tf.memory().numTensors, start);
  });

  test("the fused kernel (native kernels on wasm) gives bit-identical weights and buffers to the op-by-op update", (t) => {
    const fused = tf.getKernel(SGD_MOMENTUM_KERNEL, tf.getBackend());
    if (fused === undefined) {
      t.skip(`no ${SGD_MOMENTUM_KERNEL} kernel on ${tf.getBackend()}`);
      return;
    }
    const n = 1000;
    const seq = (seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 3);
    const run = () => {
      const v = tf.variable(tf.tensor1d(seq(1)), true);
      const sgd = new SgdMomentum([v], { momentum: 0.9, weightDecay: 1e-4 });
      for (const [step, lr] of [0.1, 0.1, 0.01].entries()) {
        const named = { [v.name]: tf.tensor1d(seq(step + 2)) };
        sgd.step(named, lr);
        tf.dispose(named);
      }
      const out = { w: Float32Array.from(v.dataSync()), buf: sgd.readBuffers()[0] };
      sgd.dispose();
      v.dispose();
      return out;
    };
    const withKernel = run();
    tf.unregisterKernel(SGD_MOMENTUM_KERNEL, tf.getBackend());
    try {
      const opByOp = run();
      assert.deepEqual(withKernel.w, opByOp.w);
      assert.deepEqual(withKernel.buf, opByOp.buf);
    } finally {
      tf.registerKernel(fused);
    }
  });
});
