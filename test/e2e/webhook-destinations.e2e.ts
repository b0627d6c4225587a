import { Harness, REPORT, ref, startHarness } from './support/harness';
import { WebhookReceiver } from './support/webhook-receiver';

const CREATE = 'mutation($i: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $i) { subscription { id url } } }';
const UPDATE = 'mutation($id: ID!, $i: UpdateWebhookSubscriptionInput!) { updateWebhookSubscription(id: $id, input: $i) { subscription { id url } } }';
const DELIVERIES = '{ webhookDeliveries(first: 50) { edges { node { status attempts lastStatusCode lastError } } } }';

/**
 * Webhook destinations: public ones only unless WEBHOOK_ALLOWED_HOSTS says otherwise, checked
 * when a subscription is made and again when a delivery connects.
 */
describe('webhook destinations', () => {
  let h: Harness;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    h = await startHarness(); // no allow-list: the service's default
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.close();
    await h.close();
  });

  const create = (url: string) => h.gql(h.keys.ADMIN, CREATE, { i: { url, eventTypes: ['incident.reported'] } });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://LOCALHOST./hook',
    'http://api.localhost/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://metadata/',
    'http://10.0.0.5/hook',
    'http://172.16.3.4/hook',
    'http://192.168.1.1/hook',
    'http://100.64.0.1/hook',
    'http://0.0.0.0/hook',
    'http://2130706433/hook',
    'http://0x7f000001/hook',
    'http://0177.0.0.1/hook',
    'http://127.1/hook',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[fd00::1]/hook',
    'http://[fe80::1]/hook',
    'https://224.0.0.1/hook',
  ])('refuses %s', async (url) => {
    const res = await create(url);
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
  });

  it('refuses credentials in the URL without repeating them, and a non-public URL on update', async () => {
    const res = await create('https://erp:s3cr3t-pw@8.8.8.8/hook');
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
    expect(JSON.stringify(res.errors)).not.toContain('s3cr3t-pw');
    const ok = await create('https://8.8.8.8/hooks/triage');
    expect(ok.errors).toBeUndefined();
    const moved = await h.gql(h.keys.ADMIN, UPDATE, { id: ok.data.createWebhookSubscription.subscription.id, i: { url: 'http://169.254.169.254/' } });
    expect(moved.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
    await h.app.services.ds.query('DELETE FROM webhook_subscriptions');
  });

  it('never connects to a destination that is not public at delivery time (a row from before, or a name resolving elsewhere now), and never shows URL credentials', async () => {
    // Rows as an older version (or a name that resolved elsewhere at registration) left them.
    const port = new URL(receiver.url).port;
    const now = h.clock.now();
    const row = (url: string) => ({
      url,
      eventTypes: ['incident.reported'],
      source: null,
      secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
      active: true,
      description: null,
      createdBy: 'test',
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
    const repo = h.app.services.ds.getRepository('WebhookSubscriptionEntity');
    await repo.insert([row(receiver.url), row(`http://localhost:${port}/hooks/triage`), row(`http://user:pa55word@127.0.0.1:${port}/hooks/triage`)]);
    const listed = await h.gql(h.keys.ADMIN, '{ webhookSubscriptions { url } }');
    expect(JSON.stringify(listed.data)).not.toContain('pa55word');
    expect(listed.data.webhookSubscriptions.map((s: any) => s.url)).toContain(`http://127.0.0.1:${port}/hooks/triage`);

    await h.gql(h.keys.AGENT, REPORT, { input: { source: 'erp', externalRef: ref('WH'), category: 'SERVICE' } });
    await h.app.services.webhooks.runOnce();
    expect(receiver.requests).toHaveLength(0);
    const attempts = (await h.gql(h.keys.ADMIN, DELIVERIES)).data.webhookDeliveries.edges.map((e: any) => e.node);
    expect(attempts).toHaveLength(3);
    for (const a of attempts) {
      expect(a).toMatchObject({ attempts: 1, lastStatusCode: null });
      expect(a.lastError).toMatch(/not a public destination/); // the same whatever the port: no probing
    }
  });
});
