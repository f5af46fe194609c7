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
