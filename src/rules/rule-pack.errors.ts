import { AppError } from '../common/errors';
import type { DecisionFailure, Facts } from './types';

/** One thing wrong with a rule pack: the file, a JSON pointer into it, and what is wrong. */
export interface RuleProblem {
  /** Path relative to the pack directory, e.g. `policy/severity.json`. */
  file: string;
  /** RFC 6901 pointer into the file, e.g. `/rules/3/event/params/code` ('' = the whole file). */
  pointer: string;
  message: string;
}

/**
 * A rule pack that cannot be used. Lists every problem found, not just the first;
 * `message` has one `file:/pointer: message` line per problem.
 */
export class RulesInvalidError extends AppError {
  declare readonly code: 'RULES_INVALID';

  constructor(readonly problems: RuleProblem[]) {
    super('RULES_INVALID', summarise(problems), { problems });
    this.name = 'RulesInvalidError';
  }
}

function summarise(problems: RuleProblem[]): string {
  const lines = problems.map((p) => `${p.file}:${p.pointer || '/'}: ${p.message}`);
  return `the rule pack is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}

/** Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901). */
export function pointerJoin(pointer: string, ...tokens: Array<string | number>): string {
  return tokens.reduce<string>((p, t) => `${p}/${String(t).replace(/~/g, '~0').replace(/\//g, '~1')}`, pointer);
}

/**
 * Deciding failed: a rule threw (an error in the pack that its checks and its activation smoke
 * test did not catch). `evaluate`, explanations and backtests answer it as it is; a report is
 * stored with the pack's fallback decision instead (Decision.fallback).
 */
export class RulesFailedError extends AppError {
  declare readonly code: 'RULES_FAILED';

  constructor(
    readonly failure: DecisionFailure,
    /** The facts it failed on (kept off the error's extensions). */
    readonly facts: Facts | null = null,
    extra: Record<string, unknown> = {},
  ) {
    super('RULES_FAILED', `the rules failed${failure.rule ? ` in rule "${failure.rule}" (${failure.file})` : ''}: ${failure.message}`, { rule: failure.rule, file: failure.file, ...extra });
    this.name = 'RulesFailedError';
  }
}
