// The national transfer platform (全国住房公积金异地转移接续平台), as Anju sees it: signed messages to a
// peer center, and a status query. Messages from peers arrive at /api/v1/transfer-platform/messages. One
// interface, two transports: the in-process peer-center simulator and HTTP (HttpTransferPlatform).
import type { TransferStatusCode } from '../../domain/transfer-codes.ts';

/** The header that carries the signature, in both directions. */
export const TRANSFER_SIGNATURE_HEADER = 'x-transfer-signature';

/**
 * The platform's immediate answer to a message: `accepted` means it was taken (a repeat of a message id
 * gets the first answer); `rejected` is final for that message (bad signature, malformed).
 */
export type PlatformAck = { status: 'accepted'; messageId: string } | { status: 'rejected'; code: string };

/** What the platform knows of a transfer: the last status the peer reported, and the message ids it has. */
export interface PlatformTransferStatus {
  transferNo: string;
  known: boolean;
  status: TransferStatusCode | null;
  receivedMessageIds: string[];
}

export interface TransferPlatformGateway {
  /** Sends one signed message (the exact bytes signed). Throws TRANSFER_PLATFORM_TIMEOUT when unanswered. */
  send(rawBody: string, signature: string): Promise<PlatformAck>;
  queryStatus(transferNo: string): Promise<PlatformTransferStatus>;
}

/** Delivers one signed message from the platform to Anju (the handler, or an HTTP POST). */
export type PlatformNotifier = (rawBody: string, signature: string) => Promise<unknown>;
