import type { TriageEventBus } from '../events/triage-events';
import { ATTR, markFailed, Tracing } from './tracing';

/**
 * Spans for the rule evaluations of the request path, children of the operation's span, from
 * the bus's evaluation events (their start and end times as measured): `rules.decide` for each
 * incident decision (reportIncident, evaluateIncident) with the pack's version, the number of
 * rules fired, the severity and the category; `rules.refund_chain` for each refund's approval
 * chain. The statements that read dynamic facts are the operation's children beside them.
 */
export function traceRuleEvaluation(tracing: Tracing, events: TriageEventBus): void {
  events.on('decisionEvaluated', ({ decision, error, started, ended }) => {
    const span = tracing.tracer.startSpan('rules.decide', { startTime: started });
    if (decision) {
      span.setAttributes({
        [ATTR.rulesVersion]: decision.ruleSetVersion,
        [ATTR.rulesFired]: decision.firedRules.length,
        [ATTR.severity]: decision.severity,
        [ATTR.category]: decision.facts?.category ?? 'unknown',
      });
    } else markFailed(span, error);
    span.end(ended);
  });
  events.on('refundChainEvaluated', ({ version, category, steps, error, started, ended }) => {
    const span = tracing.tracer.startSpan('rules.refund_chain', {
      startTime: started,
      attributes: { [ATTR.rulesVersion]: version, [ATTR.category]: category },
    });
    if (steps !== null) span.setAttribute(ATTR.refundSteps, steps);
    else markFailed(span, error);
    span.end(ended);
  });
}
