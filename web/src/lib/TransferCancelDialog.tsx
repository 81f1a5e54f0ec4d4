// Cancelling a transfer in (POST /transfers/:id/cancel, platform status 05) with the reason: staff in the
// console at the person's request, or the depositor in the portal. The server decides whether it still
// can be (transfer.cancellable); a refusal shows in the dialog.
import { useCallback } from 'react';
import { Form, Input, Typography } from 'antd';
import { api } from './api.ts';
import { FormModal } from './FormModal.tsx';
import { useLang } from './i18n.tsx';
import { useIntentKey } from './intent-key.ts';
import type { Audience } from './session.ts';
import type { Transfer } from './transfers.ts';
import { useSubmit } from './useSubmit.ts';

export function TransferCancelDialog({
  transfer,
  as,
  open,
  onClose,
  onCancelled,
}: {
  transfer: Transfer;
  /** Whose session sends it: staff (console) or the depositor (portal). */
  as: Audience;
  open: boolean;
  /** `refused`: the server refused, so what is shown may be out of date. */
  onClose: (refused: boolean) => void;
  onCancelled: (after: Transfer) => void;
}) {
  const { t } = useLang();
  const [form] = Form.useForm<{ reason: string }>();
  // The same reason sent again (after a time-out) answers the first cancellation.
  const key = useIntentKey('transfer-cancel');
  const run = useSubmit(
    useCallback(
      (reason: string, idempotencyKey: string) =>
        api<Transfer>('POST', `/transfers/${transfer.transferId}/cancel`, {
          as,
          body: { reason, idempotencyKey },
        }),
      [transfer.transferId, as],
    ),
  );
  return (
    <FormModal
      open={open}
      title={t('撤销转入', 'Cancel the transfer in')}
      okText={t('确认撤销', 'Cancel it')}
      danger
      form={form}
      run={run}
      // A refusal may mean the old center answered meanwhile: the transfer is read again.
      onCancel={() => onClose(!!run.error)}
      intro={
        <Typography.Paragraph>
          {t(
            `撤销后向${transfer.peerCenterName}发送“05 转入撤销”，原中心不再转出资金；本账户可重新办理转入。已收到账户信息表或资金的业务不能撤销。`,
            `Status 05 (transfer-in cancelled) goes to ${transfer.peerCenterName}, which then sends no money; the account may start a new transfer. A transfer whose sheet or money has arrived cannot be cancelled.`,
          )}
        </Typography.Paragraph>
      }
    >
      <Form
        form={form}
        name="transfer-cancel"
        layout="vertical"
        onFinish={async (v) => {
          const reason = v.reason.trim();
          const after = await run.submit(reason, key.keyFor(`${transfer.transferId}:${reason}`));
          if (after) {
            key.done();
            run.reset();
            form.resetFields();
            onCancelled(after);
          }
        }}
      >
        <Form.Item
          name="reason"
          label={t('撤销原因', 'Reason')}
          rules={[
            { required: true, whitespace: true, message: t('请填写撤销原因', 'Enter the reason') },
            { max: 200, message: t('最多 200 字', 'At most 200 characters') },
          ]}
        >
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
