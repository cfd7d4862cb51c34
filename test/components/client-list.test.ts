import { describe, expect, it } from 'vitest';
import { ClientList, clientListState, defineSpec, noUseAfterFree, noUseOfClosingClient, z } from 'interleave';
import { expectHolds, expectViolation } from 'interleave/testing';

/**
 * A protected RDB-channel client surviving disconnectReplicas, built from the client-list component: replica 1
 * is protected while its RDB transfer runs; disconnectReplicas frees both replicas, so replica 1 is only queued;
 * the buggy feed still serves every client that is not freed, the fixed one only live ones.
 */
const replicas = defineSpec({
  name: 'protected-replica',
  constants: z.object({ variant: z.enum(['buggy', 'fixed']).default('buggy') }),
  state: z.object({ clients: clientListState(2), disconnected: z.boolean() }),
  init: () => ({ clients: ClientList.connected(2), disconnected: false }),
  actions: ({ action }) => ({
    protectRdbClient: action({ guard: (s) => !s.clients[1]!.protected && ClientList.isLive(s.clients, 1), effect: (s) => ({ ...s, clients: ClientList.protect(s.clients, 1) }) }),
    unprotectRdbClient: action({ guard: (s) => s.clients[1]!.protected, effect: (s) => ({ ...s, clients: ClientList.unprotect(s.clients, 1) }) }),
    disconnectReplicas: action({ guard: (s) => !s.disconnected, effect: (s) => ({ disconnected: true, clients: ClientList.free(ClientList.free(s.clients, 0), 1) }) }),
    beforeSleep: action({ effect: (s) => ({ ...s, clients: ClientList.freeQueued(s.clients) }) }),
    feedReplicas: action({
      params: [0, 1],
      guard: (s, c, i) => (c.variant === 'buggy' ? s.clients[i]!.phase !== 'freed' : ClientList.isLive(s.clients, i)),
      effect: (s, _c, i) => ({ ...s, clients: ClientList.serve(s.clients, i) }),
    }),
  }),
  invariants: { noUseOfClosingClient: (s) => noUseOfClosingClient(s.clients), noUseAfterFree: (s) => noUseAfterFree(s.clients) },
});

describe('client-list component', () => {
  it('freeClient frees at once, or queues a protected client; the async queue skips protected clients', () => {
    let l = ClientList.protect(ClientList.connected(2), 1);
    l = ClientList.free(ClientList.free(l, 0), 1);
    expect(l.map((c) => c.phase)).toEqual(['freed', 'closeAsap']);
    expect(ClientList.freeQueued(l)).toBe(l); // nothing freeable: the same list
    l = ClientList.unprotect(l, 1);
    expect(ClientList.freeQueued(l).map((c) => c.phase)).toEqual(['freed', 'freed']);
    expect(ClientList.free(l, 0)).toBe(l); // freeing twice is a no-op
    expect(ClientList.freeAsync(ClientList.connected(1), 0)[0]!.phase).toBe('closeAsap');
    expect(() => ClientList.free(l, 2)).toThrow(/no client 2/);
  });

  it('serve records a use of a queued client and of a freed one', () => {
    const l = ClientList.free(ClientList.protect(ClientList.connected(2), 1), 1);
    expect(noUseOfClosingClient(ClientList.serve(l, 1))).toBe(false);
    expect(noUseAfterFree(ClientList.serve(ClientList.free(ClientList.connected(1), 0), 0))).toBe(false);
    expect(ClientList.serve(ClientList.connected(1), 0)).toEqual(ClientList.connected(1));
    expect(() => ClientList.assertLive(l, 1, 'live', 'write')).toThrow('write of client 1 after it was queued for an asynchronous free (protected)');
  });

  it('buggy: protect, disconnectReplicas, feed the queued client: 3 actions', async () => {
    const r = await expectViolation(replicas, 'noUseOfClosingClient', { length: 3 });
    expect(r.trace.steps.slice(1).map((s) => [s.action, s.params])).toEqual([
      ['protectRdbClient', null],
      ['disconnectReplicas', null],
      ['feedReplicas', 1],
    ]);
  });

  it('fixed: only live clients are fed', async () => {
    await expectHolds(replicas, { constants: { variant: 'fixed' }, deadlock: false, distinct: 5 }); // initial, protected, both freed, 0 freed + 1 queued (protected, then not)
  });
});
