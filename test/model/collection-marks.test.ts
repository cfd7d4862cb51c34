/**
 * Issue 15, item 2: bag and set marks are recognised across copies of the library. A second copy of
 * collections.ts (a CommonJS copy, a second install) must not turn bags into ordered arrays.
 */
import { describe, expect, it } from 'vitest';
import { check, collectionKind, defineSpec, z, bag as ownBag } from '../../src/index.ts';

/** Three processes each put one message into a bag: 2^3 = 8 states as a bag, 16 as ordered arrays. */
function senders(bag: typeof ownBag) {
  return defineSpec({
    name: 'senders',
    state: z.object({ sent: z.array(z.boolean()).length(3), net: bag(z.object({ from: z.number().int().min(0).max(2) }), { max: 3 }) }),
    init: () => ({ sent: [false, false, false], net: [] }),
    actions: {
      send: {
        params: [0, 1, 2],
        guard: (s, _c, i) => !s.sent[i],
        effect: (s, _c, i) => ({ sent: s.sent.map((x, j) => x || j === i), net: [...s.net, { from: i }] }),
      },
    },
  });
}

describe('collection marks across library copies', () => {
  it('a bag made by a second copy of collections.ts is a bag to this copy: the same 8 states', async () => {
    const url = new URL('../../src/model/collections.ts?copy=2', import.meta.url).href;
    const copy = (await import(/* @vite-ignore */ url)) as { bag: typeof ownBag; collectionKind: typeof collectionKind };
    expect(copy.bag).not.toBe(ownBag); // really a second module instance
    const schema = copy.bag(z.number(), { max: 2 });
    expect([collectionKind(schema), copy.collectionKind(ownBag(z.number(), { max: 2 }))]).toEqual(['bag', 'bag']);
    const mine = await check(senders(ownBag), { deadlock: false });
    const theirs = await check(senders(copy.bag), { deadlock: false });
    expect([mine.status, mine.stats.distinct]).toEqual(['ok', 8]);
    expect([theirs.status, theirs.stats.distinct]).toEqual(['ok', 8]);
    // Without the mark (a plain array), order counts: 1 + 3 + 6 + 6 = 16 states.
    const plain = await check(senders(((el: z.ZodType, o: { max: number }) => z.array(el).max(o.max)) as typeof ownBag), { deadlock: false });
    expect(plain.stats.distinct).toBe(16);
  });
});
