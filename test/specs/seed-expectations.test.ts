import { describe, expect, it } from 'vitest';
import { check, type Spec } from 'interleave';
import { clusterStaleGossip } from '../../specs/cluster-stale-gossip.ts';
import { dualChannelReplication } from '../../specs/dual-channel-replication.ts';
import { kvrocksTlsFullsync } from '../../specs/kvrocks-tls-fullsync.ts';
import { slotStatsFailover } from '../../specs/slot-stats-failover.ts';
import { tlsWriteRetry } from '../../specs/tls-write-retry.ts';

// The `expected` field is what the folder run (`interleave check specs/`) checks; it must agree with the checker.
const SPECS: Spec[] = [clusterStaleGossip, dualChannelReplication, tlsWriteRetry, slotStatsFailover, kvrocksTlsFullsync];

describe('seed specs: declared expectations', () => {
  for (const spec of SPECS) {
    it(`${spec.name}: every configuration it declares gives the declared verdict`, async () => {
      const variants = new Set(spec.expected.map((e) => (e.constants as { variant?: string } | undefined)?.variant));
      expect(variants.has('buggy')).toBe(true);
      expect(variants.has('fixed')).toBe(true);
      for (const e of spec.expected) {
        const r = await check(spec, { constants: e.constants, ...(e.options ?? {}) });
        expect(r.status, `${spec.name} [${e.name}]`).toBe(e.status);
        if (r.status === 'violation') {
          expect(r.violation.property, `${spec.name} [${e.name}]`).toBe(e.property);
          expect(r.trace.steps.length - 1, `${spec.name} [${e.name}]`).toBe(e.length);
        }
      }
    });
  }
});
