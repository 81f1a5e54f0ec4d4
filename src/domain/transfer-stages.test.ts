// rules.md §5.4, platform status 05 转入撤销: a transfer in may be cancelled only until the old center has
// answered with its sheet or money; cancelled, like every finished stage, frees the account.
import { describe, expect, it } from 'vitest';
import {
  FINISHED_TRANSFER_STAGES,
  TRANSFER_STAGES,
  isFinishedTransferStage,
  transferInCancellable,
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
