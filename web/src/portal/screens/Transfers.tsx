// The depositor's cross-city transfers (异地转移接续, rules.md §5.4) as GET /transfers returns their own:
// money brought here from another city (or taken to one), where each stands on the national platform, the
// money and months credited, why one was refused or cancelled, and money paid back to the old center. The
// depositor applies for a transfer in to their open account (POST /transfers/in) and cancels one the old
// center has not answered yet (POST /transfers/:id/cancel).
import { useCallback, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, Space, Tag, Typography } from 'antd';
import { api } from '../../lib/api.ts';
import { FormModal } from '../../lib/FormModal.tsx';
import { useLang } from '../../lib/i18n.tsx';
import { useIntentKey } from '../../lib/intent-key.ts';
import { formatYuan } from '../../lib/money.ts';
import { TransferCancelDialog } from '../../lib/TransferCancelDialog.tsx';
import {
  TRANSFER_PLATFORM_STATUS_WORDS,
  TRANSFER_REFUSAL_WORDS,
  TRANSFER_STAGE_WORDS,
  type Transfer,
} from '../../lib/transfers.ts';
import { useApi } from '../../lib/useApi.ts';
import { useSubmit } from '../../lib/useSubmit.ts';
import { word } from '../../lib/words.ts';
import { flexibleAccount, useMe } from '../me.ts';
import { Screen } from './Screen.tsx';

const STAGE_COLORS: Record<string, string> = {
  credited: 'green',
  done: 'green',
  refused: 'red',
  failed: 'red',
  cancelled: 'default',
};

interface ApplyValues {
  oldCenterName: string;
  oldCenterCode: string;
  oldAccountNumber: string;
}

/** Applying for a transfer in to the depositor's open account: the old center and the old account. */
function ApplyDialog({
  accountId,
  open,
  onClose,
  onApplied,
}: {
  accountId: string;
  open: boolean;
  onClose: () => void;
  onApplied: (started: Transfer) => void;
}) {
  const { t } = useLang();
  const [form] = Form.useForm<ApplyValues>();
  // The same application sent again (after a time-out) answers the first one.
  const key = useIntentKey('portal-transfer-in');
  const run = useSubmit(
    useCallback(
      (values: ApplyValues, idempotencyKey: string) =>
        api<Transfer>('POST', '/transfers/in', {
          as: 'depositor',
          body: { accountId, ...values, idempotencyKey },
        }),
      [accountId],
    ),
  );
  const required = (zh: string, en: string) => [{ required: true, whitespace: true, message: t(zh, en) }];
  return (
    <FormModal
      open={open}
      title={t('申请转入', 'Apply for a transfer in')}
      okText={t('提交申请', 'Apply')}
      form={form}
      run={run}
      onCancel={onClose}
      intro={
        <Typography.Paragraph type="secondary">
          {t(
            '中心将通过全国转移接续平台向原中心发送联系函。原中心办理后，资金转入您的账户。',
            'The center sends a contact letter to the old center through the national transfer platform; once the old center acts, the money comes to your account.',
          )}
        </Typography.Paragraph>
      }
    >
      <Form<ApplyValues>
        form={form}
        name="portal-transfer-in"
        layout="vertical"
        onFinish={async (v) => {
          const values = {
            oldCenterName: v.oldCenterName.trim(),
            oldCenterCode: v.oldCenterCode.trim(),
            oldAccountNumber: v.oldAccountNumber.trim(),
          };
          const started = await run.submit(values, key.keyFor(JSON.stringify(values)));
          if (started) {
            key.done();
            run.reset();
            form.resetFields();
            onApplied(started);
          }
        }}
      >
        <Form.Item
          name="oldCenterName"
          label={t('原缴存地公积金中心', 'Old center')}
          rules={[...required('请填写原中心名称', 'Enter the old center'), { max: 100 }]}
        >
          <Input maxLength={100} placeholder={t('如：北京住房公积金管理中心', 'e.g. Beijing HPF Center')} />
        </Form.Item>
        <Form.Item
          name="oldCenterCode"
          label={t('原中心代码', 'Old center code')}
          rules={[...required('请填写原中心代码', 'Enter the old center code'), { max: 20 }]}
        >
          <Input maxLength={20} inputMode="numeric" />
        </Form.Item>
        <Form.Item
          name="oldAccountNumber"
          label={t('原个人账号', 'Old account number')}
          rules={[...required('请填写原个人账号', 'Enter the old account number'), { max: 40 }]}
        >
          <Input maxLength={40} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

function TransferCard({ transfer: x, onCancel }: { transfer: Transfer; onCancel: () => void }) {
  const { t, lang } = useLang();
  const incoming = x.direction === 'in';
  return (
    <Card
      size="small"
      data-testid="portal-transfer"
      style={{ marginBottom: 12 }}
      title={
        <Space size={8} wrap>
          <Tag color={incoming ? 'green' : 'orange'}>{incoming ? t('转入', 'In') : t('转出', 'Out')}</Tag>
          {x.peerCenterName}
        </Space>
      }
      extra={
        <Tag color={STAGE_COLORS[x.stage] ?? 'processing'}>{word(TRANSFER_STAGE_WORDS, x.stage, lang)}</Tag>
      }
    >
      <Descriptions
        size="small"
        column={1}
        items={[
          { label: t('业务编号', 'Transfer no.'), children: x.transferNo },
          { label: t('办理日期', 'Started'), children: x.businessDate },
          {
            label: incoming ? t('原账号', 'Old account') : t('转入地账号', 'New account'),
            children: x.peerAccountNumber,
          },
          {
            label: t('平台状态', 'Platform status'),
            children: x.platformStatus
              ? `${x.platformStatus} ${word(TRANSFER_PLATFORM_STATUS_WORDS, x.platformStatus, lang)}`
              : x.pendingMessages > 0
                ? t('等待发送', 'Waiting to be sent')
                : t('等待原中心回复', 'Waiting for the old center'),
          },
          ...(x.funds
            ? [
                {
                  label: incoming ? t('转入资金', 'Money') : t('转出资金', 'Money'),
                  children: (
                    <span>
                      {formatYuan(x.funds)}
                      {x.principal &&
                        x.interest &&
                        t(
                          `（本金 ${formatYuan(x.principal)}，利息 ${formatYuan(x.interest)}）`,
                          ` (principal ${formatYuan(x.principal)}, interest ${formatYuan(x.interest)})`,
                        )}
                    </span>
                  ),
                },
              ]
            : []),
          ...(incoming && x.stage === 'credited'
            ? [
                {
                  label: t('计入连续缴存月数', 'Months counted as continuous'),
                  children: t(`${x.monthsCredited} 个月`, `${x.monthsCredited} months`),
                },
              ]
            : []),
          ...(x.refusalReason
            ? [
                {
                  label: x.stage === 'cancelled' ? t('撤销原因', 'Cancelled because') : t('原因', 'Reason'),
                  children: word(TRANSFER_REFUSAL_WORDS, x.refusalReason, lang),
                },
              ]
            : []),
          ...(x.returnSerial
            ? [
                {
                  label: t('资金去向', 'The money'),
                  children: t(
                    `已于 ${x.returnedOn} 退回原中心`,
                    `Paid back to the old center on ${x.returnedOn}`,
                  ),
                },
              ]
            : []),
        ]}
      />
      {x.cancellable && (
        <Space style={{ marginTop: 8 }} wrap>
          <Typography.Text type="secondary">
            {t(
              '原中心尚未回复，如不再转入可撤销。',
              'The old center has not answered yet: you may still cancel.',
            )}
          </Typography.Text>
          <Button danger size="small" onClick={onCancel}>
            {t('撤销', 'Cancel')}
          </Button>
        </Space>
      )}
      {x.fundsReturnable && (
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {t(
            '该业务已终止，到账资金未计入您的账户，将由中心退回原中心。',
            'This transfer ended; its money was not credited to you and the center pays it back to the old center.',
          )}
        </Typography.Paragraph>
      )}
      {x.pendingMessages > 0 && (
        <Typography.Paragraph type="warning" style={{ margin: '8px 0 0' }}>
          {t(
            '转移接续平台暂未应答，中心将自动重发，无需再次申请。',
            'The transfer platform has not answered yet: the center resends automatically, no need to apply again.',
          )}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

export default function Transfers() {
  const { t } = useLang();
  const { message } = App.useApp();
  const me = useMe();
  const account = flexibleAccount(me.data);
  const [applying, setApplying] = useState(false);
  const [cancelling, setCancelling] = useState<Transfer>();
  const list = useApi(
    (signal) => api<{ items: Transfer[] }>('GET', '/transfers', { as: 'depositor', signal }),
    [],
  );
  return (
    <Screen
      title={t('异地转移接续', 'Transfers between cities')}
      loading={list.loading && !list.data}
      error={list.error}
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title={t(
          '在外地缴存过住房公积金？在此申请转入（或携带身份证件到柜台），中心通过全国转移接续平台联系原中心，资金到账后计入您的账户，原缴存月数计为连续缴存。',
          'Deposited in another city before? Apply here (or at the counter with your ID): the center contacts the old center through the national transfer platform, credits the money when it arrives, and counts your months there as continuous.',
        )}
        action={
          account?.state === '01' && (
            <Button type="primary" size="small" onClick={() => setApplying(true)}>
              {t('申请转入', 'Apply')}
            </Button>
          )
        }
      />
      {list.data &&
        (list.data.items.length === 0 ? (
          <Empty description={t('暂无转移接续业务', 'No transfers')} style={{ margin: '24px 0' }} />
        ) : (
          list.data.items.map((x) => (
            <TransferCard key={x.transferId} transfer={x} onCancel={() => setCancelling(x)} />
          ))
        ))}
      {account && (
        <ApplyDialog
          accountId={account.accountId}
          open={applying}
          onClose={() => setApplying(false)}
          onApplied={(started) => {
            setApplying(false);
            void message.success(
              started.pendingMessages > 0
                ? t('已受理，联系函待平台恢复后发出', 'Accepted: the letter goes when the platform is back')
                : t('已受理，联系函已发往原中心', 'Accepted: the letter went to the old center'),
            );
            list.reload();
          }}
        />
      )}
      {cancelling && (
        <TransferCancelDialog
          as="depositor"
          transfer={cancelling}
          open
          onClose={(refused) => {
            setCancelling(undefined);
            if (refused) list.reload();
          }}
          onCancelled={() => {
            setCancelling(undefined);
            void message.success(t('已撤销，已通知原中心', 'Cancelled; the old center was told'));
            list.reload();
          }}
        />
      )}
    </Screen>
  );
}
