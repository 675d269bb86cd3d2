/**
 * Settings of one source's webhook: which secrets sign its requests, how far a signature's time may be
 * from now, and where its payload names the workers. Unknown keys are errors, as everywhere in the
 * configuration; the secrets are named, never inlined (their values live in the secret store).
 */
import { z } from 'zod';
import { SECRET_NAME } from '../../shared/ports/secret-store.port';
import { payloadPathProblem } from './webhook-payload';

/** How far a signature's timestamp may be from now when the setting is left out, in seconds. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

const secretName = z.string().regex(SECRET_NAME, 'must be a secret name (1-127 of A-Z a-z 0-9 -)');

const payloadPath = z
  .string()
  .min(1)
  .superRefine((path, ctx) => {
    const problem = payloadPathProblem(path);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const webhookSettings = z.strictObject({
  /** Secret(s) in the control plane's secret store holding the shared HMAC key; two during a rotation. */
  secrets: z
    .array(z.strictObject({ secret: secretName }))
    .min(1, 'name the secret holding the shared key')
    .max(2, 'at most two secrets: the current one and, during a rotation, the next'),
  /** How far a signature's timestamp may be from now (default 300). */
  toleranceSeconds: z.number().int().min(30).max(3600).default(DEFAULT_WEBHOOK_TOLERANCE_SECONDS),
  /** Where the payload names the workers (default `workerIds`; see `webhook-payload.ts` for the syntax). */
  workerIds: payloadPath.default('workerIds'),
});
export type WebhookSettings = z.infer<typeof webhookSettings>;
export type WebhookSettingsInput = z.input<typeof webhookSettings>;
