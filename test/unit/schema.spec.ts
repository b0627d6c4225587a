import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, findBreakingChanges } from 'graphql';
import { printServedSchema } from '../../src/graphql/schema';

const root = path.join(__dirname, '..', '..');

describe('the served GraphQL schema', () => {
  it('is the committed schema.graphql (run `npm run schema:print` after a deliberate change)', async () => {
    const committed = fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8');
    expect(await printServedSchema()).toBe(committed);
  });

  const contractFile = path.join(root, '..', 'shared', 'contract', 'api-v1.graphql');
  (fs.existsSync(contractFile) ? it : it.skip)('keeps the whole public contract api-v1', async () => {
    const contract = buildSchema(fs.readFileSync(contractFile, 'utf8'));
    const served = buildSchema(await printServedSchema());
    expect(findBreakingChanges(contract, served).map((b) => `${b.type}: ${b.description}`)).toEqual([]);
  });
});
