import { emptyDecision } from './decision-algebra';
import { REPEAT_FACT, reportFacts, stageFactNames, stageFacts } from './pack-rules';
import { REPORT_FACTS } from './types';

describe('the facts a stage runs on', () => {
  // reportFacts and stageFacts are generated from the fact registry: they follow its lists.
  it('has every report fact, missing ones null, in REPORT_FACTS order, then repeatIncidents30d at 0', () => {
    const facts = reportFacts({ category: 'SERVICE', amount: 0, injured: false, repeatIncidents30d: 3 });
    expect(Object.keys(facts)).toEqual([...REPORT_FACTS, REPEAT_FACT]);
    expect(facts).toMatchObject({ category: 'SERVICE', amount: 0, injured: false, subtype: null, repeatIncidents30d: 0 });
    expect(Object.keys(facts)).toEqual([...stageFactNames(1)]);
  });

  it('adds what earlier stages decided from stage 2 on', () => {
    const facts = reportFacts({ category: 'SERVICE' });
    const decided = { ...emptyDecision({ defaultOwner: 'CUSTOMER_SERVICE' }), severity: 'URGENT' as const };
    expect(stageFacts(1, facts, decided)).toEqual(facts);
    expect(stageFacts(1, facts, decided)).not.toBe(facts);
    const later = stageFacts(2, facts, decided);
    expect(Object.keys(later)).toEqual([...stageFactNames(2)]);
    expect(later).toEqual({ ...facts, severity: 'URGENT', ownerDepartment: 'CUSTOMER_SERVICE' });
  });
});
