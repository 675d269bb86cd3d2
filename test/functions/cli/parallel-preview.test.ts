/**
 * A preview shared out among planning shares writes byte for byte the report `previewCycle` and its
 * renderers give, whatever the number of shares, for text and JSON, with and without --changes-only:
 * with quarantined and duplicated records in every share, manager warnings that depend on another
 * share's outcome (a manager quarantined by their mapping), silent workers that get a warning, plans
 * held over the threshold, and an account taken over by a rehire. The shares here run in this thread,
 * with every request and answer structurally cloned as between threads; preview-thread.test.ts runs the
 * same through real threads.
 */
import {
  previewCycle,
  renderPreviewJson,
  renderPreviewText,
  type PreviewInput,
  type ReportChunk,
} from '../../../shared/planner';
import {
  shareRange,
  type SnapshotShare,
  type ShardDigests,
  type ShardRenderRequest,
  type ShareSelection,
} from '../../../shared/planner/preview-shard';
import type { ForeignFacts } from '../../../shared/planner/validate-snapshot';
import {
  shareSettings,
  startSnapshotShare,
  threadConfig,
  writeParallelPreview,
  type PreviewShardPort,
  type PreviewThreadData,
  type ShareRecords,
} from '../../../functions/cli/parallel-preview';
import { arrayElements, elementsText } from '../../../functions/cli/json-array-elements';
import { firstPreview, laterPreview } from './fixtures/preview-scenarios';

/** A share in this thread that only sees clones, as a thread would. */
class ClonedShare implements PreviewShardPort {
  readonly share: number;
  private inner: SnapshotShare | undefined;
  private readonly started: ForeignFacts[] = [];

  constructor(private readonly data: PreviewThreadData) {
    this.share = data.settings.share;
  }

  give(records: ShareRecords): void {
    const [data, given] = structuredClone([this.data, records]);
    this.inner = startSnapshotShare(threadConfig(data), data, given, {
      facts: (facts) => this.started.push(structuredClone(facts)),
      planned: () => undefined,
    });
  }

  async facts(): Promise<ForeignFacts> {
    const facts = this.started.shift();
    if (!facts) throw new Error('no facts: the share was not planning ahead');
    return facts;
  }

  async plan(selection: ShareSelection): Promise<ShardDigests> {
    return structuredClone(this.inner!.plan(structuredClone(selection)));
  }

  async *render(request: ShardRenderRequest): AsyncGenerator<ReportChunk> {
    for (const chunk of this.inner!.render(structuredClone(request))) yield structuredClone(chunk);
  }

  async close(): Promise<void> {}
}

function expected(input: PreviewInput, json: boolean): string {
  const report = previewCycle(input);
  return [...(json ? renderPreviewJson(report) : renderPreviewText(report))].join('');
}

async function shared(input: PreviewInput, json: boolean, remotes: number, planAhead: boolean): Promise<string> {
  const full = { ...input, json, planAhead };
  const settings = shareSettings(full);
  const { document, fingerprint } = input.config;
  const text = JSON.stringify(input.records);
  const elements = arrayElements(text)!;
  const shares = remotes + 1;
  const remote = Array.from({ length: remotes }, (_, i) => {
    const [first, end] = shareRange(input.records.length, i + 1, shares);
    const share = new ClonedShare({ document, fingerprint, settings: { ...settings, share: i + 1, shares } });
    share.give({ records: elementsText(text, elements, first, end), first, count: end - first });
    return share;
  });
  let out = '';
  const utf8 = new TextDecoder();
  await writeParallelPreview(
    full,
    remote,
    (chunk) => void (out += typeof chunk === 'string' ? chunk : utf8.decode(chunk)),
  );
  return out;
}

const SCENARIOS: [string, () => PreviewInput, planAhead: boolean][] = [
  ['a first preview, shares planning ahead', firstPreview, true],
  ['a first preview, shares waiting to be told', firstPreview, false],
  ['a later preview over stored states', laterPreview, false],
];

describe('a preview shared out among planning shares', () => {
  describe.each(SCENARIOS)('%s', (_name, scenario, planAhead) => {
    it.each([
      [1, false, false],
      [1, true, false],
      [2, false, true],
      [2, true, true],
      [3, false, false],
      [3, true, false],
      [0, false, false],
      [0, true, true],
    ])('%i remote share(s), JSON %s, changes only %s: the same report', async (remotes, json, changesOnly) => {
      const input = { ...scenario(), changesOnly };
      expect(await shared(input, json, remotes, planAhead)).toBe(expected(input, json));
    });
  });

  it('the first preview has what it is meant to test', () => {
    const text = expected(firstPreview(), false);
    expect(text).toContain('manager workday:2001 is quarantined');
    expect(text).toContain('manager workday:9999 is not in this snapshot');
    expect(text).toContain('manager workday:2005 is ambiguous');
    expect(text).toContain('manager workday:2007 is a former worker');
    expect(text).toContain('2 records in the snapshot claim workday:2005');
    expect(text).toMatch(/workday:2001: invalid — quarantined\n {2}! uniqueValues\.sAMAccountName/);
    expect(text).toMatch(
      /\nworkday:2099\\u202E: joiner .*\n {2}~ managerId: manager workday:9999 is not in this snapshot/,
    );
  });

  it('the later preview has what it is meant to test', () => {
    const input = laterPreview();
    const text = expected(input, false);
    expect(text).toMatch(/HOLD: held for approval: this cycle would disable or delete 5 accounts/);
    expect(text).toContain('reuses the account of workday:2029');
    // An unchanged worker is shown only for the warning the cycle adds.
    expect(text).toMatch(
      /\nworkday:2016: no-op — unchanged\n {2}~ managerId: manager workday:2003 is not in this snapshot/,
    );
    expect(text).toContain('known to hr2ad but not in this snapshot (left alone):\n  workday:2003');
  });
});
