import { assertIncidentWorkflow, INCIDENT_TRANSITIONS, IncidentStatus } from './incident.types';

type Table = Record<IncidentStatus, readonly IncidentStatus[]>;

describe('the incident transition table', () => {
  it('is sound as shipped', () => expect(() => assertIncidentWorkflow()).not.toThrow());

  it('fails the boot check when malformed', () => {
    // CLOSED reopening: a final status with an exit.
    expect(() => assertIncidentWorkflow({ ...INCIDENT_TRANSITIONS, CLOSED: ['OPEN'] })).toThrow(/incident workflow table is invalid[\s\S]*CLOSED is final/);
    // ACKNOWLEDGED no longer reachable from OPEN.
    expect(() => assertIncidentWorkflow({ ...INCIDENT_TRANSITIONS, OPEN: ['RESOLVED', 'CLOSED'] })).toThrow(/ACKNOWLEDGED cannot be reached from OPEN/);
    // A target that is no status, and a status left out.
    expect(() => assertIncidentWorkflow({ ...INCIDENT_TRANSITIONS, OPEN: ['ACKNOWLEDGED', 'REOPENED'] } as unknown as Table)).toThrow(/unknown state REOPENED/);
    const { RESOLVED: _left, ...partial } = INCIDENT_TRANSITIONS;
    expect(() => assertIncidentWorkflow(partial as Table)).toThrow(/no transitions listed for RESOLVED/);
  });
});
