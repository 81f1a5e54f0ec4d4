// A contact letter from a peer center asking Anju to transfer one of its accounts out, signed as the
// platform signs it. Received with receivePlatformMessage (and not dispatched), Anju's answers stay queued:
// the transfer is paid out and its money waits on 21903, as when the platform has not taken the answers yet.
import type { Db } from '../../src/db/connection.ts';
import { TRANSFER_BUSINESS_TYPE } from '../../src/domain/transfer-codes.ts';
import { serializeTransferMessage, type TransferMessage } from '../../src/domain/transfer-messages.ts';
import { signTransferMessage } from '../../src/integrations/transfer-platform/signing.ts';
import { receivePlatformMessage } from '../../src/services/transfers/receive-platform-message.ts';
import { centerIdentityFromEnv } from '../../src/services/transfers/transfer-store.ts';

export async function receiveTransferOutLetter(
  db: Db,
  input: { transferNo: string; accountNumber: string; idNumber: string; name: string },
) {
  const center = centerIdentityFromEnv();
  const message: TransferMessage = {
    messageId: `${input.transferNo}-L`,
    transferNo: input.transferNo,
    businessType: TRANSFER_BUSINESS_TYPE.transferIn,
    type: 'contact_letter',
    seq: 1,
    fromCenter: '310000',
    toCenter: center.code,
    body: {
      person: { idType: 'resident', idNumber: input.idNumber, name: input.name, phone: '13900001111' },
      newAccountNumber: '31000000001234',
      newCenterCode: '310000',
      newCenterName: '上海市公积金管理中心（模拟）',
      oldCenterCode: center.code,
      oldCenterName: center.name,
      oldAccountNumber: input.accountNumber,
      receivingBank: {
        bankName: '中国银行上海分行（模拟）',
        accountNumber: '4000000001',
        accountName: '上海中心',
      },
    },
  };
  const rawBody = serializeTransferMessage(message);
  return receivePlatformMessage(db, { rawBody, signature: signTransferMessage(rawBody, center.secret) });
}
