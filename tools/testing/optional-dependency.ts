/// <reference types="jest" />
/** Something a group of tests needs that a fresh machine may lack (the README promises `npm ci && npm test` passes there). */
export interface OptionalDependency {
  /** What the tests verify, for the message: "HypoPG-verified index advice". */
  tested: string;
  /** Whether it is here, and if not, why (for the message). */
  available: boolean;
  reason: string;
  /** Where it was looked for, for the message (a host, a path). */
  where: string;
  /** Set to '1' (CI does) to make a missing dependency a failure instead of a reported skip. */
  requireVariable: string;
  /** What to install or start so the tests run. */
  toRun: string;
}

/**
 * Registers `body` (a describe's content) when `dependency` is available. When it is not,
 * the file's one test says once, in the output, what was not tested and why, and passes,
 * unless `requireVariable` is '1': then that test fails with the same reason.
 */
export function describeWithOptionalDependency(title: string, dependency: OptionalDependency, body: () => void): void {
  if (dependency.available) {
    describe(title, body);
    return;
  }
  const { tested, reason, where, requireVariable, toRun } = dependency;
  describe(title, () => {
    if (process.env[requireVariable] === '1') {
      it(`needs it: ${requireVariable} is 1`, () => {
        throw new Error(`${tested} must be tested (${requireVariable}=1), but ${reason} (${where}). ${toRun}.`);
      });
      return;
    }
    it(`is not verified on this machine: it is unavailable and ${requireVariable} is not 1`, () => {
      console.warn(`${tested} was NOT tested: ${reason} (${where}). ${toRun} to run these tests; set ${requireVariable}=1 to make them mandatory, as CI does.`);
      expect(dependency.available).toBe(false);
    });
  });
}
