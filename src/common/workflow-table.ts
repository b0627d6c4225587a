/**
 * Workflow transition tables (incidents, refunds, remedies) as plain data, checked once at boot:
 * a broken table refuses to start instead of stranding rows in a state they cannot leave.
 */

/**
 * Problems of a transition table: unknown targets, states unreachable from the initial one,
 * final states with exits, states from which no final state can be reached. Empty when sound.
 */
export function transitionProblems<S extends string>(table: Record<S, readonly S[]>, initial: S, finals: readonly S[]): string[] {
  const states = Object.keys(table) as S[];
  const problems: string[] = [];
  for (const s of states) {
    for (const t of table[s]) if (!states.includes(t)) problems.push(`${s} → ${t}: unknown state ${t}`);
  }
  for (const f of finals) if (table[f]?.length) problems.push(`${f} is final but may go to ${table[f].join(', ')}`);
  const reach = (from: S): Set<S> => {
    const seen = new Set<S>([from]);
    const todo = [from];
    while (todo.length)
      for (const t of table[todo.pop()!] ?? [])
        if (!seen.has(t)) {
          seen.add(t);
          todo.push(t);
        }
    return seen;
  };
  const fromInitial = reach(initial);
  for (const s of states) {
    if (!fromInitial.has(s)) problems.push(`${s} cannot be reached from ${initial}`);
    if (!finals.includes(s) && !finals.some((f) => reach(s).has(f))) problems.push(`${s} never ends (no path to ${finals.join(' or ')})`);
  }
  return problems;
}

/** Throws, naming every problem, unless `table` lists each of `states` and is sound from `initial` to `finals`. */
export function assertWorkflow<S extends string>(name: string, table: Record<S, readonly S[]>, states: readonly S[], initial: S, finals: readonly S[]): void {
  const problems = transitionProblems(table, initial, finals);
  const missing = states.filter((s) => !(s in table));
  if (missing.length) problems.push(`no transitions listed for ${missing.join(', ')}`);
  if (problems.length) throw new Error(`the ${name} workflow table is invalid:\n  - ${problems.join('\n  - ')}`);
}
