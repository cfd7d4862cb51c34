import type { SpecRuntime } from '../../src/index.ts';

/** The runtime after its first expansion (of its first initial state), which compiles its successor function. */
export function compiled(rt: SpecRuntime): SpecRuntime {
  const sink = { action: 0, dom: null, pi: -1, enabled: 0, inEffect: false, add: () => {}, covered: () => {} };
  try {
    rt.successors(rt.initialStates()[0], rt.constants, sink);
  } catch {
    // a spec whose first expansion throws is still compiled
  }
  return rt;
}
