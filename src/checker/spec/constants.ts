import { InterleaveError } from '../../errors.ts';
import type { Spec } from '../../model/index.ts';

/** Merges raw constants over the schema's defaults and validates them. Throws CONSTANT_INVALID. */
export function resolveConstants<C>(spec: Spec<any, C>, raw: Record<string, unknown> = {}): C {
  const known = Object.keys((spec.constants as any).shape ?? {});
  for (const k of Object.keys(raw)) {
    if (!known.includes(k)) {
      throw new InterleaveError(
        'CONSTANT_INVALID',
        `spec '${spec.name}' has no constant '${k}'${known.length ? ` (known: ${known.join(', ')})` : ' (it declares none)'}`,
        { spec: spec.name, field: k, known },
      );
    }
  }
  const parsed = spec.constants.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(constants)';
    throw new InterleaveError('CONSTANT_INVALID', `spec '${spec.name}': constant '${field}': ${issue.message}`, {
      spec: spec.name,
      field,
      value: raw[String(issue.path[0])],
    });
  }
  return Object.freeze(parsed.data) as C;
}

/** Describes a zod issue path as `a.b[2].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(state)';
}
