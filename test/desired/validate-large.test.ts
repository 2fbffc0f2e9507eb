import { describe, expect, it } from "vitest";
import { generateLargeFile, measureValidateLarge } from "../../bench/validate-large.js";
import { parseDesiredState } from "../../src/desired/parse-desired-state.js";

describe("bench/validate-large", () => {
  it("generates a valid file that takes the fast path and counts its grants", async () => {
    const text = generateLargeFile(50, 25);
    expect(parseDesiredState(text, "large.yaml").errors).toEqual([]);
    const figures = await measureValidateLarge(200, 25, 1);
    // 24 direct users plus the 5 members of one team per project.
    expect(figures).toMatchObject({ projects: 200, grants: 200 * 29, runs: 1 });
    expect(figures.wallMs).toBeGreaterThanOrEqual(0);
    expect(figures.peakRssMb).toBeGreaterThan(0);
  });
});
