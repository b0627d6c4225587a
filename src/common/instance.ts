import os from 'node:os';

/**
 * This process as operators tell instances apart: `host:pid`. Every `triage serve` process
 * (and every worker of WORKERS=n) has its own, so `activeRuleSet { instance checksum }` asked
 * of each shows whether they all run the same rule pack.
 */
export const INSTANCE_ID = `${os.hostname()}:${process.pid}`;
