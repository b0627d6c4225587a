import request from 'supertest';
import { Harness, startHarness } from './support/harness';

/** /console: the built files, served by the same process, with nothing outside console/dist reachable. */
describe('console static files', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('serves the page with a same-origin CSP, and its hashed assets for a year', async () => {
    await request(h.app.server).get('/console').expect(301).expect('location', '/console/');
    const page = await request(h.app.server)
      .get('/console/')
      .expect(200)
      .expect('content-type', /text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['cache-control']).toBe('no-cache');
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(page.text)![1];
    const js = await request(h.app.server)
      .get(script)
      .expect(200)
      .expect('content-type', /javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
    // Another path of the single page answers its index.html (the page's router decides).
    await request(h.app.server)
      .get('/console/anything')
      .expect(200)
      .expect('content-type', /text\/html/);
  });

  it('says at the public /.well-known/triage-sign-in that only keys sign in when no identity provider is set', async () => {
    const res = await request(h.app.server).get('/.well-known/triage-sign-in').expect(200).expect('access-control-allow-origin', '*');
    expect(res.body).toEqual({ oidc: null });
    await request(h.app.server).post('/.well-known/triage-sign-in').send('{}').expect(405);
    expect((await request(h.app.server).get('/console/')).headers['content-security-policy']).toContain("connect-src 'self';");
  });

  it('reaches nothing outside the built console, and only reads', async () => {
    for (const p of [
      '/console/assets/../../../package.json',
      '/console/assets/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/console/assets/missing.js',
      '/console/assets/%00',
    ]) {
      const res = await request(h.app.server).get(p);
      expect(res.text).not.toContain('"devDependencies"');
      expect([200, 404]).toContain(res.status);
    }
    await request(h.app.server).get('/console/assets/missing.js').expect(404);
    await request(h.app.server).post('/console/').send('x').expect(405);
  });
});
