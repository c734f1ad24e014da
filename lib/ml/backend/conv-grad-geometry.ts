/**
 * Pure index arithmetic that turns the two convolution gradients into plain forward convolutions
 * (NHWC, dilation 1 in the forward pass). Kept free of TensorFlow.js so it can be unit-tested alone.
 *
 * Notation along one spatial axis: input length `inSize`, kernel `k`, stride `s`, forward padding
 * before the input `padBefore` (tfjs' padInfo.top / .left), output length `outSize`.
 *
 * Filter gradient:  dW[k] = Σ_o xpad[o·s + k] · dy[o]
 *   = a correlation of x (padded) with dy used as a filter dilated by s; its output length is
 *   padBefore + inSize + padAfter − (outSize − 1)·s, which must equal k.
 * Input gradient:   dx[i] = Σ_k dyDilated[i + padBefore − k] · w[k]
 *   = a correlation of dy with (s − 1) zeros inserted between elements, padded by k − 1 − padBefore
 *   before, against the filter reversed in space.
 */

/** How to feed one spatial axis of the filter-gradient convolution. */
export interface FilterGradAxisPlan {
  /** zero padding of x before the axis (the forward padding) */
  padBefore: number;
  /** zero padding of x after the axis so that the output has exactly `kernel` positions */
  padAfter: number;
  /** extra output positions to drop at the end (when the forward pass never reached x's tail) */
  cropOutputAfter: number;
}

export function planFilterGradAxis(
  inSize: number,
  kernel: number,
  stride: number,
  padBefore: number,
  outSize: number,
): FilterGradAxisPlan {
  const neededAfter = kernel + (outSize - 1) * stride - padBefore - inSize;
  if (neededAfter >= 0) return { padBefore, padAfter: neededAfter, cropOutputAfter: 0 };
  // The forward windows stop before x's last rows: convolve without padding and drop the extra outputs.
  return { padBefore, padAfter: 0, cropOutputAfter: -neededAfter };
}

/** How to feed one spatial axis of the input-gradient convolution. */
export interface InputGradAxisPlan {
  /** length of dy after inserting stride−1 zeros after every element (trailing zeros included) */
  dilatedSize: number;
  /** rows of the dilated dy to drop at the start / end before convolving (negative padding) */
  cropBefore: number;
  cropAfter: number;
  /** zero padding of the dilated dy for the stride-1 convolution */
  padBefore: number;
  padAfter: number;
}

export function planInputGradAxis(
  inSize: number,
  kernel: number,
  stride: number,
  padBefore: number,
  outSize: number,
): InputGradAxisPlan {
  const dilatedSize = outSize * stride;
  const before = kernel - 1 - padBefore;
  const after = inSize + kernel - 1 - before - dilatedSize;
  return {
    dilatedSize,
    cropBefore: Math.max(0, -before),
    cropAfter: Math.max(0, -after),
    padBefore: Math.max(0, before),
    padAfter: Math.max(0, after),
  };
}

/**
 * Row-major [n, n] anti-identity (ones on the anti-diagonal). Left-multiplying a filter reshaped to
 * [KH·KW, C·Co] by it reverses the flattened (kh, kw) index, i.e. rotates the kernel by 180°:
 * row KH·KW−1−(kh·KW+kw) = (KH−1−kh)·KW + (KW−1−kw).
 */
export function antiIdentity(n: number): Float32Array {
  const m = new Float32Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + (n - 1 - i)] = 1;
  return m;
}
