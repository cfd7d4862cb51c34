import type { Command } from 'commander';
import { formatValue } from '../../report/text.ts';
import { loadSpecFile } from '../load.ts';
import type { Context } from '../context.ts';

/** `interleave list FILE`: each spec's constants (with defaults), actions, invariants and properties. */
export function registerList(program: Command, ctx: Context): void {
  program
    .command('list')
    .description("show each spec in a file: constants with defaults, actions, invariants, assertions, properties, reachable predicates")
    .argument('<file>', 'a spec file (.ts)')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const loaded = await loadSpecFile(file);
      const specs = loaded.specs.map((s) => {
        const shape = (s.constants as any).shape ?? {};
        const defaults = (s.constants.safeParse({}) as { success: boolean; data?: Record<string, unknown> }).data ?? {};
        return {
          name: s.name,
          description: s.description ?? null,
          constants: Object.keys(shape).map((k) => ({ name: k, default: defaults[k] ?? null, type: describeSchema(shape[k]) })),
          actions: s.actions.map((a) => ({ name: a.name, parameterized: a.params !== null, doc: a.doc ?? null, urgent: a.urgent })),
          invariants: s.invariants.map((i) => i.name),
          assertions: s.assertions === null ? null : s.assertions.map((a) => ({ name: a.name, doc: a.doc })),
          properties: s.properties.map((p) => ({ name: p.name, kind: p.property.kind })),
          reachable: (s.reachable ?? []).map((r) => r.name),
          terminal: s.terminal !== null,
        };
      });
      if (opts.json) {
        ctx.io.out(JSON.stringify({ file: loaded.file, specs }, null, 2));
        return;
      }
      for (const s of specs) {
        ctx.io.out(`spec ${s.name}${s.description ? ` — ${s.description}` : ''}`);
        ctx.io.out(`  constants: ${s.constants.length ? s.constants.map((c) => `${c.name}=${formatValue(c.default)} (${c.type})`).join(', ') : 'none'}`);
        ctx.io.out(`  actions:   ${s.actions.map((a) => `${a.parameterized ? `${a.name}(…)` : a.name}${a.urgent ? ' [urgent]' : ''}`).join(', ')}`);
        ctx.io.out(`  invariants: ${s.invariants.length ? s.invariants.join(', ') : 'none'}`);
        if (s.assertions !== null) ctx.io.out(`  assertions: ${s.assertions.length ? s.assertions.map((a) => a.name).join(', ') : 'none'}`);
        if (s.properties.length) ctx.io.out(`  properties: ${s.properties.map((p) => `${p.name} (${p.kind})`).join(', ')}`);
        if (s.reachable.length) ctx.io.out(`  reachable: ${s.reachable.join(', ')} (each must hold in some reachable state)`);
        ctx.io.out(`  end states: ${s.terminal ? "where `terminal` holds (elsewhere, no enabled action is a deadlock)" : 'none declared (no enabled action is a deadlock)'}`);
      }
    });
}

function describeSchema(schema: any): string {
  let def = schema?._zod?.def;
  while (def && (def.type === 'default' || def.type === 'prefault' || def.type === 'optional')) def = def.innerType?._zod?.def;
  if (!def) return 'unknown';
  if (def.type === 'enum') return Object.values(def.entries).map((v) => JSON.stringify(v)).join(' | ');
  if (def.type === 'number') {
    const checks = (def.checks ?? []).map((c: any) => c._zod.def);
    const lo = checks.find((c: any) => c.check === 'greater_than')?.value;
    const hi = checks.find((c: any) => c.check === 'less_than')?.value;
    return lo !== undefined && hi !== undefined ? `integer ${lo}..${hi}` : 'number';
  }
  return def.type;
}
