/**
 * Webhook signatures (`t=<seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`): what is accepted, and
 * each refusal with its reason — a tampered body, a wrong secret, an old or future timestamp, malformed
 * headers — plus rotation with two secrets and a property: no single changed byte of the body passes.
 */
import fc from 'fast-check';
import {
  WEBHOOK_SIGNATURE_HEADER,
  signWebhook,
  verifyWebhookSignature,
  type WebhookCheck,
} from '../../../functions/ingest/webhook-signature';

const SECRET = 'whsec-example';
const NEXT_SECRET = 'whsec-next';
const NOW = 1_767_225_600;
const BODY = Buffer.from('{"workerIds":["1001"]}', 'utf8');

function verify(header: string | null, overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]> = {}) {
  return verifyWebhookSignature({
    header,
    body: BODY,
    secrets: [SECRET],
    nowSeconds: NOW,
    toleranceSeconds: 300,
    ...overrides,
  });
}

function reasonOf(check: WebhookCheck): string {
  return check.ok ? 'ok' : check.reason;
}

describe('signWebhook', () => {
  it('signs as documented (the same value openssl gives for the module header example)', () => {
    expect(signWebhook(SECRET, '{"workerIds":["1001"]}', NOW)).toBe(
      't=1767225600,v1=44d284fcf897b9b9a9e1df4c32c9a69c9a7ab405c6134835e1d2a10adbed277a',
    );
    expect(signWebhook(SECRET, BODY, NOW)).toBe(signWebhook(SECRET, '{"workerIds":["1001"]}', NOW));
  });

  it('names the header in lower case, as HTTP header lookups use it', () => {
    expect(WEBHOOK_SIGNATURE_HEADER).toBe('x-hr2ad-signature');
  });
});

describe('verifyWebhookSignature', () => {
  it('accepts a good signature, giving its timestamp and an id for the replay memory', () => {
    const check = verify(signWebhook(SECRET, BODY, NOW - 10));
    expect(check).toEqual({ ok: true, signatureId: expect.stringMatching(/^[0-9a-f]{64}$/), timestamp: NOW - 10 });
  });

  it('gives the same id for the same request, and another for another body or time', () => {
    const id = (header: string, body = BODY) => {
      const check = verify(header, { body });
      if (!check.ok) throw new Error(check.detail);
      return check.signatureId;
    };
    const first = id(signWebhook(SECRET, BODY, NOW));
    expect(id(signWebhook(SECRET, BODY, NOW))).toBe(first);
    expect(id(signWebhook(SECRET, BODY, NOW - 1))).not.toBe(first);
    const other = Buffer.from('{"workerIds":["1002"]}');
    expect(id(signWebhook(SECRET, other, NOW), other)).not.toBe(first);
  });

  it('refuses a tampered body and a wrong secret', () => {
    const tampered = Buffer.from('{"workerIds":["1002"]}', 'utf8');
    expect(verify(signWebhook(SECRET, BODY, NOW), { body: tampered })).toEqual({
      ok: false,
      reason: 'bad-signature',
      detail: 'no v1= signature matches the body with a configured secret',
    });
    expect(reasonOf(verify(signWebhook('another-secret', BODY, NOW)))).toBe('bad-signature');
  });

  /** Signature age (positive: in the past) → outcome, with a tolerance of 300 s. */
  const AGES: [number, string][] = [
    [0, 'ok'],
    [300, 'ok'],
    [-300, 'ok'],
    [301, 'stale-timestamp'],
    [-301, 'stale-timestamp'],
    [86_400, 'stale-timestamp'],
    [-86_400, 'stale-timestamp'],
  ];

  it.each(AGES)('a signature %i s old is %s', (age, outcome) => {
    expect(reasonOf(verify(signWebhook(SECRET, BODY, NOW - age)))).toBe(outcome);
  });

  it('says how old or how far ahead a stale timestamp is', () => {
    expect(verify(signWebhook(SECRET, BODY, NOW - 900))).toMatchObject({
      detail: "the signature's t= is 900 s old (tolerance 300 s)",
    });
    expect(verify(signWebhook(SECRET, BODY, NOW + 900))).toMatchObject({
      detail: "the signature's t= is 900 s in the future (tolerance 300 s)",
    });
  });

  it('a forged signature with a stale timestamp is a bad signature, not a stale one', () => {
    expect(reasonOf(verify(signWebhook('forger', BODY, NOW - 900)))).toBe('bad-signature');
  });

  describe('rotation', () => {
    const both = { secrets: [SECRET, NEXT_SECRET] };
    const v1 = (secret: string) => signWebhook(secret, BODY, NOW).split(',')[1]!;

    it('accepts a request signed with either configured secret, or with both', () => {
      expect(reasonOf(verify(signWebhook(SECRET, BODY, NOW), both))).toBe('ok');
      expect(reasonOf(verify(signWebhook(NEXT_SECRET, BODY, NOW), both))).toBe('ok');
      expect(reasonOf(verify(`t=${NOW},${v1(SECRET)},${v1(NEXT_SECRET)}`, both))).toBe('ok');
      expect(reasonOf(verify(`t=${NOW},${v1('retired')},${v1(NEXT_SECRET)}`, both))).toBe('ok');
      expect(reasonOf(verify(signWebhook(NEXT_SECRET, BODY, NOW)))).toBe('bad-signature');
    });

    it('gives one id whichever of the signatures a replay keeps', () => {
      const ids = [
        `t=${NOW},${v1(SECRET)},${v1(NEXT_SECRET)}`,
        `t=${NOW},${v1(NEXT_SECRET)}`,
        `t=${NOW},${v1(SECRET)}`,
      ].map((header) => verify(header, both));
      expect(new Set(ids.map((c) => (c.ok ? c.signatureId : c.reason))).size).toBe(1);
      expect(ids[0]!.ok).toBe(true);
    });
  });

  it('refuses a missing header, and an empty one', () => {
    expect(verify(null)).toEqual({
      ok: false,
      reason: 'missing-signature',
      detail: 'the request has no x-hr2ad-signature header',
    });
    expect(reasonOf(verify('  '))).toBe('missing-signature');
  });

  const good = signWebhook(SECRET, BODY, NOW);
  const v1 = good.split(',')[1]!;
  const MALFORMED: [string, string][] = [
    ['no t=', v1],
    ['no v1=', `t=${NOW}`],
    ['a part without =', `t=${NOW},${v1},junk`],
    ['t= not a number', `t=soon,${v1}`],
    ['t= negative', `t=-5,${v1}`],
    ['t= with a fraction', `t=${NOW}.5,${v1}`],
    ['t= twice', `t=${NOW},t=${NOW},${v1}`],
    ['v1= not hex', `t=${NOW},v1=${'z'.repeat(64)}`],
    ['v1= too short', `t=${NOW},${v1.slice(0, -2)}`],
    ['five v1= signatures', `t=${NOW},${[v1, v1, v1, v1, v1].join(',')}`],
    ['a header of 2,000 characters', `t=${NOW},${v1},v0=${'a'.repeat(2000)}`],
  ];

  it.each(MALFORMED)('refuses a malformed header: %s', (_, header) => {
    expect(reasonOf(verify(header))).toBe('malformed-signature');
  });

  it('reads spaces around parts, upper-case hex, and ignores other schemes', () => {
    expect(reasonOf(verify(` t=${NOW} , v0=abc , ${v1.toUpperCase().replace('V1', 'v1')} `))).toBe('ok');
  });

  it('refuses everything when no usable secret is configured', () => {
    expect(verify(good, { secrets: [] })).toMatchObject({
      reason: 'bad-signature',
      detail: 'no webhook secret is configured',
    });
    expect(reasonOf(verify(signWebhook('', BODY, NOW), { secrets: [''] }))).toBe('bad-signature');
  });

  it('never puts a secret in a detail', () => {
    const checks = [
      verify(good, { body: Buffer.from('x') }),
      verify(signWebhook(SECRET, BODY, NOW - 999)),
      verify(`t=${NOW},v1=${SECRET}`),
      verify(null),
    ];
    for (const check of checks) {
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.detail).not.toContain(SECRET);
    }
  });

  it('refuses any single-byte change of the body (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (body, position, delta) => {
          const header = signWebhook(SECRET, body, NOW);
          expect(reasonOf(verify(header, { body }))).toBe('ok');
          const changed = Uint8Array.from(body);
          const at = position % body.length;
          changed[at] = (changed[at]! + delta) % 256;
          expect(reasonOf(verify(header, { body: changed }))).toBe('bad-signature');
        },
      ),
      { numRuns: 500 },
    );
  });
});
