// What applying one platform message did, as recorded on its transfer_messages row and returned to the
// sender; and who the platform is in created_by and audit rows.
export interface AppliedMessage {
  /** credited, waiting, refused, failed, status_recorded, paid_out, confirmed, ignored, rejected … */
  outcome: string;
  detail: string | null;
  transferId: bigint | null;
}

/** The transfer platform acting through its messages, as written in created_by and audit rows. */
export const PLATFORM_LABEL = 'system:transfer-platform';
