/**
 * Die Hard's water-jug puzzle (the classic first TLA+ spec): with a 3-gallon and a 5-gallon jug, measure exactly
 * 4 gallons. The invariant `bigNotFour` claims the big jug never holds 4; the checker refutes it with the
 * shortest solution of the puzzle (6 actions).
 */
import { defineSpec, z } from 'interleave';

export const dieHard = defineSpec({
  name: 'die-hard',
  description: 'The water-jug puzzle: jugs of 3 and 5 gallons; can the big one hold exactly 4?',
  state: z.object({
    small: z.number().int().min(0).max(3),
    big: z.number().int().min(0).max(5),
  }),
  init: () => ({ small: 0, big: 0 }),
  actions: {
    fillSmall: { effect: (s) => ({ ...s, small: 3 }) },
    fillBig: { effect: (s) => ({ ...s, big: 5 }) },
    emptySmall: { effect: (s) => ({ ...s, small: 0 }) },
    emptyBig: { effect: (s) => ({ ...s, big: 0 }) },
    smallToBig: {
      effect: (s) => {
        const poured = Math.min(s.small, 5 - s.big);
        return { small: s.small - poured, big: s.big + poured };
      },
    },
    bigToSmall: {
      effect: (s) => {
        const poured = Math.min(s.big, 3 - s.small);
        return { small: s.small + poured, big: s.big - poured };
      },
    },
  },
  invariants: {
    bigNotFour: (s) => s.big !== 4,
  },
  expected: [{ status: 'violation', property: 'bigNotFour', length: 6 }],
});

export default dieHard;
