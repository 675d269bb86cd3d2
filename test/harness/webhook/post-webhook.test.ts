/** The test sender: what it posts verifies as a signed webhook, and its options change what it signs. */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WEBHOOK_SIGNATURE_HEADER, verifyWebhookSignature } from '../../../functions/ingest/webhook-signature';
import { postWebhook } from './post-webhook';

const SECRET = 'hr-webhook-secret';

interface Received {
  readonly header: string | null;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of request) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

describe('postWebhook', () => {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    void bodyOf(request).then((body) => {
      const header = request.headers[WEBHOOK_SIGNATURE_HEADER];
      received.push({
        header: typeof header === 'string' ? header : null,
        contentType: request.headers['content-type'],
        body,
      });
      response.writeHead(202).end();
    });
  });
  let url = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/hr-file`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    received.length = 0;
  });

  const check = (r: Received, nowSeconds: number) =>
    verifyWebhookSignature({ header: r.header, body: r.body, secrets: [SECRET], nowSeconds, toleranceSeconds: 300 });

  it('posts an object as JSON, signed now with the secret', async () => {
    const response = await postWebhook(url, { workerIds: ['1001'] }, SECRET);
    expect(response.status).toBe(202);
    const [request] = received;
    expect(request!.contentType).toBe('application/json');
    expect(JSON.parse(request!.body.toString('utf8'))).toEqual({ workerIds: ['1001'] });
    expect(check(request!, Math.floor(Date.now() / 1000))).toMatchObject({ ok: true });
  });

  it('signs bytes exactly as given, at the timestamp given', async () => {
    const bytes = Buffer.from('{"workerIds": [ "1001" ]}', 'utf8');
    await postWebhook(url, bytes, SECRET, { timestamp: 1_767_225_600 });
    const [request] = received;
    expect(request!.body.equals(bytes)).toBe(true);
    expect(check(request!, 1_767_225_600)).toEqual({
      ok: true,
      signatureId: expect.any(String),
      timestamp: 1_767_225_600,
    });
    expect(check(request!, 1_767_225_600 + 301)).toMatchObject({ ok: false, reason: 'stale-timestamp' });
  });

  it('lets a test replace the signature header', async () => {
    await postWebhook(url, '{}', SECRET, { headers: { [WEBHOOK_SIGNATURE_HEADER]: 't=1,v1=00' } });
    expect(check(received[0]!, 1)).toMatchObject({ ok: false, reason: 'malformed-signature' });
  });
});
