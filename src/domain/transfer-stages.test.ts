// rules.md §5.4, platform status 05 转入撤销: a transfer in may be cancelled only until the old center has
// answered with its sheet or money; cancelled, like every finished stage, frees the account; money of a
// transfer in that ended uncredited goes back to the old center.
import { describe, expect, it } from 'vitest';
import {
  FINISHED_TRANSFER_STAGES,
  TRANSFER_STAGES,
  isFinishedTransferStage,
  transferInCancellable,
  transferInFundsReturnable,
} from './transfer-stages.ts';

const waiting = { direction: 'in', sheetReceived: false, fundsReceived: false } as const;

describe('cancelling a transfer in', () => {
  it('is possible while the letter is queued or sent and nothing has come back', () => {
    expect(transferInCancellable({ ...waiting, stage: 'letter_pending' })).toBe(true);
    expect(transferInCancellable({ ...waiting, stage: 'letter_sent' })).toBe(true);
  });

  it('is not possible once the sheet or the money has arrived', () => {
    expect(transferInCancellable({ ...waiting, stage: 'letter_sent', sheetReceived: true })).toBe(false);
    expect(transferInCancellable({ ...waiting, stage: 'letter_sent', fundsReceived: true })).toBe(false);
    for (const stage of ['sheet_received', 'funds_received', 'credited'] as const)
      expect(transferInCancellable({ ...waiting, stage })).toBe(false);
  });

  it('is not possible for a transfer out or a finished transfer', () => {
    expect(transferInCancellable({ ...waiting, direction: 'out', stage: 'letter_sent' })).toBe(false);
    for (const stage of FINISHED_TRANSFER_STAGES)
      expect(transferInCancellable({ ...waiting, stage })).toBe(false);
  });
});

describe('finished stages', () => {
  it('are credited, done, refused, failed and cancelled; the rest are in progress', () => {
    expect(TRANSFER_STAGES.filter(isFinishedTransferStage)).toEqual([
      'credited',
      'done',
      'refused',
      'failed',
      'cancelled',
    ]);
  });
});

describe('paying transfer-in money back to the old center', () => {
  const ended = { direction: 'in', fundsWaiting: true, returned: false } as const;

  it('is possible for money waiting on 21904 of a transfer in refused, failed or cancelled', () => {
    for (const stage of ['refused', 'failed', 'cancelled'] as const)
      expect(transferInFundsReturnable({ ...ended, stage })).toBe(true);
  });

  it('is not possible once returned, without waiting money, while under way, once credited, or for a transfer out', () => {
    expect(transferInFundsReturnable({ ...ended, stage: 'cancelled', returned: true })).toBe(false);
    expect(transferInFundsReturnable({ ...ended, stage: 'refused', fundsWaiting: false })).toBe(false);
    for (const stage of ['letter_sent', 'sheet_received', 'funds_received', 'credited'] as const)
      expect(transferInFundsReturnable({ ...ended, stage })).toBe(false);
    expect(transferInFundsReturnable({ ...ended, direction: 'out', stage: 'failed' })).toBe(false);
  });
});
