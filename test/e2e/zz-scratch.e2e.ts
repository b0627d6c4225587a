import request from 'supertest';
import { Harness, startHarness } from './support/harness';
describe('scratch', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ env: { GRAPHQL_MAX_TOKENS: '200' } }); });
  afterAll(async () => h.close());
  it('probe', async () => {
    const post = (body: any, key?: string) => { const r = request(h.app.server).post('/graphql').set('content-type', 'application/json'); if (key) r.set('authorization', `Bearer ${key}`); return r.send(body); };
    const show = (n: string, r: any) => console.log(n, r.status, JSON.stringify(r.headers['www-authenticate'] ?? r.headers['retry-after'] ?? ''), JSON.stringify(r.body).slice(0, 400));
    show('badkey', await post({ query: '{__typename}' }, 'trg_x'));
    show('syntax', await post({ query: '{ catalog { ' }, h.keys.ADMIN));
    show('tokens', await post({ query: '{ ' + Array.from({length: 300}, (_, i) => `a${i}: __typename`).join(' ') + ' }' }, h.keys.ADMIN));
    const deep = '{ incidents(filter: ' + '['.repeat(5000) + ']'.repeat(5000) + ') { totalCount } }';
    show('deeplit', await post({ query: deep }, h.keys.ADMIN));
    const deepObj = '{ incidents(filter: ' + '{a:'.repeat(3000) + '1' + '}'.repeat(3000) + ') { totalCount } }';
    show('deepobj', await post({ query: deepObj }, h.keys.ADMIN));
  });
});
