/**
 * Code generated from the fact registry or a rule pack, made a function in one place. Whatever
 * the source splices in is quoted with JSON.stringify (names, string literals) or passed as a
 * constant, read as `c[i]`. Generated once per registry or pack, never per decision: V8 then
 * runs it as code written out (object literals of one shape, conditions without a call each).
 */
export function generatedFunction<F>(params: readonly string[], body: string, constants: readonly unknown[] = []): F {
  return new Function('c', `return function (${params.join(', ')}) { ${body} };`)(constants) as F;
}

/** `value` as a constant of generated source: appended to `constants`, read as c[i]. */
export function constant(constants: unknown[], value: unknown): string {
  constants.push(value);
  return `c[${constants.length - 1}]`;
}

/** A literal's source when it reads back as the very value (strings, booleans, null, finite numbers other than -0), else a constant. */
export function literal(constants: unknown[], value: unknown): string {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  if (typeof value === 'number' && Number.isFinite(value) && Object.is(Number(String(value)), value)) return `(${String(value)})`;
  return constant(constants, value);
}
