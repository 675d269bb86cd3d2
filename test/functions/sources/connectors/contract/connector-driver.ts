/**
 * What the connector contract suite (connector-contract.ts) and the end-to-end suite
 * (test/functions/e2e/fixtures/connector-e2e.ts) need from one connector and its fake server. Each
 * connector's driver turns these vendor-neutral steps into its vendor's own records and knobs; the suites
 * then assert the same canonical outcome for every connector.
 *
 * Dates are calendar dates (YYYY-MM-DD). The suites' today is `CONTRACT_TODAY` (2026-06-01); a date after it
 * is a future-dated change, which the connector must deliver as the vendor dates it (a future `hireDate`, a
 * `future` entry, a future `terminationDate`), never as if it were in effect now.
 */
import type { Clock } from '../../../../../shared/ports/clock.port';
import type { HrSource } from '../../../../../shared/ports/hr-source.port';
import type { Logger } from '../../../../../shared/ports/logger.port';

export const CONTRACT_TODAY = '2026-06-01';

/** A person as the suites hire them. Ids are decimal digit strings (every vendor accepts those). */
export interface ContractPerson {
  readonly id: string;
  readonly first: string;
  readonly last: string;
  readonly email: string;
  readonly title: string;
  readonly department: string;
  /** An office name (London, Berlin, Sydney…): the e2e mapping puts the account in that office's OU. */
  readonly location: string;
  /** The first day of work; after CONTRACT_TODAY for a future hire. */
  readonly hireDate: string;
  readonly managerId: string | null;
}

/** A job change: the new values of all three. */
export interface ContractJob {
  readonly title: string;
  readonly department: string;
  readonly location: string;
}

export interface ContractSourceOptions {
  /** The source's configured id (`hr-personio`): named in every error. */
  readonly id: string;
  /** The worker key's `source`. */
  readonly source: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Records per page the connector asks for (the paging case uses a small one). */
  readonly pageSize: number;
  /** The connector's HTTP waits and jitter (the throttling case asserts the waits). */
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

export interface ConnectorDriver {
  /** The vendor as people name it (`Personio`): in test titles. */
  readonly vendor: string;
  /** The configuration's `kind` (`personio`). */
  readonly kind: string;
  /**
   * Whether the vendor reports an employee record deleted (not terminated): BambooHR's `Deleted` action,
   * Personio's full-list diff. A deleted worker is left out of the read and logged, never terminated.
   */
  readonly deletes: boolean;
  /**
   * How the vendor publishes a job change dated ahead. Absent: ahead of its date, as a history row or an
   * effective-dated slice, which the read carries as a `future` entry (hr2ad applies it on its date by a
   * durable timer). `on-date`: the vendor holds only current values (Personio), so the change appears on its
   * date and the first read that day brings it.
   */
  readonly futureJobChanges?: 'on-date';
  /** The statuses the vendor throttles with, each answered with `Retry-After` (seconds). */
  readonly throttleStatuses: readonly (429 | 503)[];

  /**
   * Where the fake's today comes from, for fakes whose answers depend on the date (`on-date` vendors): the
   * contract moves it to a change's date, the e2e suite gives the control plane's virtual clock.
   */
  useClock?(now: () => Date): void;

  /** Starts the fake, empty. */
  start(): Promise<void>;
  close(): Promise<void>;

  /** The connector reading the fake with working credentials (until `revokeCredentials`). */
  source(options: ContractSourceOptions): HrSource;
  /**
   * The source as hr2ad's configuration names it (kind, id, source, baseUrl pointing at the fake, secret
   * names, a schedule that never fires), and the secrets to store before the first sync (name → value).
   */
  configuration(id: string, source: string): { settings: Record<string, unknown>; secrets: Record<string, string> };

  hire(person: ContractPerson): void;
  /** A job change effective on `date` (today or earlier: in effect; later: future-dated). */
  transfer(id: string, job: ContractJob, date: string): void;
  /** Employment ends; `lastDay` is the last day worked (the canonical terminationDate). */
  terminate(id: string, lastDay: string): void;
  /** The vendor's own deletion of the employee record (only called when `deletes`). */
  delete(id: string): void;
  /** Corrupts one field of the employee (e.g. an unparseable date); returns the field's name as the vendor names it. */
  malform(id: string): string;
  /** A change of the work email only, effective now (the delta case). */
  changeEmail(id: string, email: string): void;
  /**
   * A job change in effect now that the vendor's delta does not report (Personio's `updated_since` is known
   * to drop some): only a full read finds it. Absent: the fake cannot make its delta miss a change.
   */
  changeUnseenByDelta?(id: string, job: ContractJob): void;

  /** The request `afterRequests` from now (0: the next) answers `status` with `Retry-After: seconds`. */
  throttle(status: 429 | 503, seconds: number, afterRequests?: number): void;
  /** The fake refuses the credentials from now on (401/403 or the vendor's equivalent)… */
  revokeCredentials(): void;
  /** …and takes them again. */
  restoreCredentials(): void;

  /** Requests the fake answered since the last reset. */
  readonly requestCount: number;
  /** Requests of the employee list's pages since the last reset (the paging case). */
  readonly listPageRequests: number;
  resetRequests(): void;
  /**
   * Requests the fake found not as the vendor documents them (OpenAPI validation, SOAP envelope, OData
   * query), taken (the list empties). Every contract test ends asserting none.
   */
  takeInvalidRequests(): readonly unknown[];
}
