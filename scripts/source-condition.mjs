// Module resolve hook (registered by source-mode.mjs): adds the "interleave-source" condition, so package.json's
// exports send `interleave`, `interleave/testing` and `interleave/viewer` to src/*.ts. Same as vitest.config.ts's
// resolve.conditions and tsconfig.json's customConditions.
const CONDITION = 'interleave-source';

export async function resolve(specifier, context, nextResolve) {
  if (context.conditions.includes(CONDITION)) return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, CONDITION] });
}
