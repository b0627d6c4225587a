import { assertWorkflow, transitionProblems } from './workflow-table';

describe('workflow tables', () => {
  it('passes a sound table', () => {
    expect(() => assertWorkflow('test', { A: ['B'], B: [] }, ['A', 'B'], 'A', ['B'])).not.toThrow();
  });

  it('names every problem of a broken one', () => {
    const broken = { A: ['B'], B: [], C: ['A'], D: ['D'] } as Record<string, string[]>;
    expect(transitionProblems(broken, 'A', ['B', 'D'])).toEqual(
      expect.arrayContaining([expect.stringContaining('C cannot be reached'), expect.stringContaining('D is final')]),
    );
    expect(() => assertWorkflow('test', { A: ['B'], B: [] } as Record<string, string[]>, ['A', 'B', 'C'], 'A', ['B'])).toThrow(
      /the test workflow table is invalid:[\s\S]*no transitions listed for C/,
    );
  });
});
