import type { IncidentService } from '../incidents/incident.service';
import type { RefundService } from '../refunds/refund.service';
import { ATTR, Tracing } from './tracing';

/**
 * Spans around the rule evaluations of the request path, children of the operation's span and
 * parents of the statements that read dynamic facts: `rules.decide` for each incident decision
 * (reportIncident, evaluateIncident) with the pack's version, the number of rules fired, the
 * severity and the category; `rules.refund_chain` for each refund's approval chain.
 */
export function traceRuleEvaluation(tracing: Tracing, incidents: IncidentService, refunds: RefundService): void {
  incidents.traceDecision = (decide) =>
    tracing.inSpan('rules.decide', {}, async (span) => {
      const decision = await decide();
      span.setAttributes({
        [ATTR.rulesVersion]: decision.ruleSetVersion,
        [ATTR.rulesFired]: decision.firedRules.length,
        [ATTR.severity]: decision.severity,
        [ATTR.category]: decision.facts?.category ?? 'unknown',
      });
      return decision;
    });
  refunds.traceRefundChain = (version, category, decide) =>
    tracing.inSpan('rules.refund_chain', { [ATTR.rulesVersion]: version, [ATTR.category]: category }, async (span) => {
      const chain = await decide();
      span.setAttribute(ATTR.refundSteps, chain.length);
      return chain;
    });
}
