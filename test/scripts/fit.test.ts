import { describe, expect, it } from "vitest";
import { fitSoftmax, type Group } from "../../scripts/fit.js";

describe("fitSoftmax", () => {
  it("learns to put the answering candidate first", () => {
    // Feature 0 marks the answer; feature 1 is noise that is high on a wrong candidate.
    const groups: Group[] = Array.from({ length: 20 }, (_, q) => ({
      x: [
        [1, (q % 3) / 3],
        [0, 1],
        [0, (q % 5) / 5],
      ],
      y: [1, 0, 0],
    }));
    const w = fitSoftmax(groups, 2);
    expect(w[0]!).toBeGreaterThan(1);
    for (const g of groups) {
      const z = g.x.map((x) => x[0]! * w[0]! + x[1]! * w[1]!);
      expect(z.indexOf(Math.max(...z))).toBe(0);
    }
  });

  it("learns nothing from questions without an answer among the candidates", () => {
    expect(fitSoftmax([{ x: [[1], [0]], y: [0, 0] }], 1)).toEqual([0]);
  });
});
