/**
 * The zero-length-write psync loop, built from the `tls-write` component (issue 17's first bug): after an
 * accepted PSYNC the primary writes the backlog delta to the replica with `SSL_write`; when the replica is already
 * caught up the delta is empty, `SSL_write(…, 0)` is an error (OpenSSL: "You should not call SSL_write() with
 * num=0, it will return an error"), the link is dropped, the replica reconnects and PSYNCs again: forever.
 * The fix skips the write when there is nothing to send.
 *
 * Three processes, each weakly fair: the replica (`psync`), the writer (`write`) and the cron that drops a broken
 * link (`disconnect`). The constant `gap` says whether the replica is caught up (0) or one unit behind (1).
 * Property: `leadsToAlways(syncing, online)` ("after an accepted psync the replica is eventually online for
 * good") and `eventuallyAlways(online)`. The buggy lasso's loop is 3 actions: write, disconnect, psync.
 */
import { defineSpec, sslWrite, sslWriteContractHolds, tlsWriteIdle, tlsWriteState, z } from 'interleave';

export const psyncZeroWrite = defineSpec({
  name: 'psync-zero-write',
  constants: z.object({
    variant: z.enum(['buggy', 'fixed']).default('buggy'),
    /** Backlog bytes the replica misses at its first PSYNC (0: it is caught up). */
    gap: z.number().int().min(0).max(1).default(0),
  }),
  state: z.object({
    link: z.enum(['down', 'syncing', 'online']),
    tls: tlsWriteState({ recordSize: 2 }),
    /** Backlog bytes the replica misses at PSYNC time. */
    gap: z.number().int().min(0).max(1),
  }),
  init: (c) => ({ link: 'down' as const, tls: tlsWriteIdle(), gap: c.gap }),
  actions: ({ action }) => ({
    psync: action({
      guard: (s) => s.link === 'down',
      effect: (s) => ({ ...s, link: 'syncing' as const, tls: tlsWriteIdle() }),
      fairness: 'weak',
      process: 'replica',
      doc: 'The replica (re)connects; the primary accepts PSYNC (+CONTINUE).',
    }),
    write: action({
      guard: (s) => s.link === 'syncing' && sslWriteContractHolds(s.tls),
      effect: (s, c) => {
        if (c.variant === 'fixed' && s.gap === 0) return { ...s, link: 'online' as const };
        const r = sslWrite(s.tls, s.gap, 'written', { recordSize: 2 });
        return r.reason === 'written' ? { ...s, tls: r.tls, link: 'online' as const, gap: 0 } : { ...s, tls: r.tls };
      },
      fairness: 'weak',
      process: 'writer',
      doc: 'The primary writes the backlog delta with SSL_write (buggy: even when it is empty).',
    }),
    disconnect: action({
      guard: (s) => s.link === 'syncing' && !sslWriteContractHolds(s.tls),
      effect: (s) => ({ ...s, link: 'down' as const }),
      fairness: 'weak',
      process: 'cron',
      doc: 'A write error frees the replica client: the link is dropped.',
    }),
  }),
  properties: ({ eventuallyAlways, leadsToAlways }) => ({
    onlineForGood: leadsToAlways((s) => s.link === 'syncing', (s) => s.link === 'online'),
    eventuallyOnline: eventuallyAlways((s) => s.link === 'online'),
  }),
});
