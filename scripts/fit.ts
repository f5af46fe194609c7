/**
 * Weighted logistic regression by full-batch gradient descent with light L2: the one fitter the
 * calibration and the evaluation's cross-validation share (features are all in 0…1, so plain
 * gradient descent converges without scaling).
 */
export interface Sample {
  readonly x: readonly number[];
  readonly y: 0 | 1;
  readonly w: number;
}

export interface LogisticModel {
  readonly bias: number;
  readonly weights: number[];
}

export function fitLogistic(
  data: readonly Sample[],
  dims: number,
  options: { epochs?: number; l2?: number; rate?: number } = {},
): LogisticModel {
  const epochs = options.epochs ?? 1500;
  const l2 = options.l2 ?? 1e-3;
  const rate = options.rate ?? 4;
  const totalWeight = data.reduce((a, s) => a + s.w, 0) || 1;
  let bias = 0;
  const weights = new Array<number>(dims).fill(0);
  const gw = new Float64Array(dims);
  for (let epoch = 0; epoch < epochs; epoch++) {
    let gb = 0;
    gw.fill(0);
    for (const { x, y, w } of data) {
      let z = bias;
      for (let i = 0; i < dims; i++) z += x[i]! * weights[i]!;
      const e = (1 / (1 + Math.exp(-z)) - y) * (w / totalWeight);
      gb += e;
      for (let i = 0; i < dims; i++) gw[i]! += e * x[i]!;
    }
    bias -= rate * gb;
    for (let i = 0; i < dims; i++) weights[i]! -= rate * (gw[i]! + l2 * weights[i]!);
  }
  return { bias, weights };
}

export function predict(model: LogisticModel, x: readonly number[]): number {
  let z = model.bias;
  for (let i = 0; i < x.length; i++) z += x[i]! * model.weights[i]!;
  return 1 / (1 + Math.exp(-z));
}

/** One question for fitSoftmax: its candidates' feature vectors and which of them answer. */
export interface Group {
  readonly x: readonly (readonly number[])[];
  readonly y: readonly (0 | 1)[];
}

/**
 * Listwise ranking by gradient descent: a linear score per candidate, a softmax over each
 * question's candidates, and the loss -log(share of the softmax on the answering ones), every
 * question weighing the same. It optimises what the answer shows — the best-ranked sentence —
 * rather than every pair of sentences alike. Questions without an answering candidate (or
 * without a non-answering one) teach nothing and are skipped. No bias: a softmax ignores it.
 */
export function fitSoftmax(
  groups: readonly Group[],
  dims: number,
  options: { epochs?: number; l2?: number; rate?: number } = {},
): number[] {
  const epochs = options.epochs ?? 300;
  const l2 = options.l2 ?? 0.01;
  const rate = options.rate ?? 1;
  const qs = groups.filter((g) => g.y.includes(1) && g.y.includes(0));
  const weights = new Array<number>(dims).fill(0);
  if (qs.length === 0) return weights;
  const grad = new Float64Array(dims);
  for (let epoch = 0; epoch < epochs; epoch++) {
    grad.fill(0);
    for (const { x, y } of qs) {
      const z = x.map((v) => v.reduce((a, f, m) => a + weights[m]! * f, 0));
      const top = Math.max(...z);
      const e = z.map((v) => Math.exp(v - top));
      const sum = e.reduce((a, b) => a + b, 0);
      const sumPos = e.reduce((a, b, i) => a + (y[i] === 1 ? b : 0), 0);
      x.forEach((v, i) => {
        const coef = (e[i]! / sum - (y[i] === 1 ? e[i]! / sumPos : 0)) / qs.length;
        if (coef !== 0) for (let m = 0; m < dims; m++) grad[m]! += coef * v[m]!;
      });
    }
    for (let m = 0; m < dims; m++) weights[m]! -= rate * (grad[m]! + l2 * weights[m]!);
  }
  return weights;
}
