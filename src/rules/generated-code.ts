/**
 * Code generated from the fact registry or a rule pack, made a function in one place. Whatever
 * the source splices in is quoted with JSON.stringify (names, string literals) or passed as a
 * constant, read as `c[i]`. Generated once per registry or pack, never per decision: V8 then
 * runs it as code written out (object literals of one shape, conditions without a call each).
 */
export function generatedFunction<F>(params: readonly string[], body: string, constants: readonly unknown[] = []): F {
  return new Function('c', `return function (${params.join(', ')}) { ${body} };`)(constants) as F;
}
