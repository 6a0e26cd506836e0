import { describe, expect, it } from 'vitest';
import { msPerStepWithoutLongestGap } from './scale-executor.ts';

describe('msPerStepWithoutLongestGap', () => {
  it('divides the span by the steps, leaving out the longest gap, so one stall does not move it', () => {
    expect(msPerStepWithoutLongestGap([0, 1, 2, 3, 4])).toBe(1);
    // One 50 ms stall among 1 ms steps: the whole span would read 10.8 ms per step.
    expect(msPerStepWithoutLongestGap([0, 1, 2, 52, 53, 54])).toBe(1);
    // Millisecond timestamps of 0.5 ms steps: the span still shows them.
    expect(msPerStepWithoutLongestGap([0, 0, 1, 1, 2, 2, 3, 3, 4])).toBe(3 / 7);
    // Steps that slow down still read slower.
    expect(msPerStepWithoutLongestGap([0, 2, 4, 6, 8])).toBeGreaterThan(msPerStepWithoutLongestGap([0, 1, 2, 3, 4]));
    expect(msPerStepWithoutLongestGap([7, 8])).toBeNaN();
  });
});
