/**
 * A count as text with thousands separators, as `n.toLocaleString('en-US')` writes it ("1,745,408"), without ICU:
 * the first `toLocaleString` of a process loads its locale data, ~18 ms of every CLI run that prints a count
 * (docs/performance.md, "Worker start-up"). Anything but a safe integer (a fraction, NaN, ±Infinity) is left to
 * `toLocaleString`, which then pays that once.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}
