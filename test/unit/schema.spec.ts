import fs from 'node:fs';
import path from 'node:path';
import { printServedSchema } from '../../src/graphql/schema';

const root = path.join(__dirname, '..', '..');

describe('the served GraphQL schema', () => {
  it('is the committed schema.graphql (run `npm run schema:print` after a deliberate change)', async () => {
    const committed = fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8');
    expect(await printServedSchema()).toBe(committed);
  });
});
