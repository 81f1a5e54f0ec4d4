// The depositor's cross-city transfers (异地转移接续, rules.md §5.4) as GET /transfers returns their own:
// money brought here from another city (or taken to one), where each stands on the national platform, the
// money and months credited, why one was refused or cancelled, and money paid back to the old center.
// Starting or cancelling a transfer is done at the counter, which the screen says.
import { Alert, Card, Descriptions, Empty, Space, Tag, Typography } from 'antd';
import { api } from '../../lib/api.ts';
import { useLang } from '../../lib/i18n.tsx';
import { formatYuan } from '../../lib/money.ts';
import {
  TRANSFER_PLATFORM_STATUS_WORDS,
  TRANSFER_REFUSAL_WORDS,
  TRANSFER_STAGE_WORDS,
  type Transfer,
} from '../../lib/transfers.ts';
import { useApi } from '../../lib/useApi.ts';
import { word } from '../../lib/words.ts';
import { Screen } from './Screen.tsx';

const STAGE_COLORS: Record<string, string> = {
  credited: 'green',
  done: 'green',
  refused: 'red',
  failed: 'red',
  cancelled: 'default',
};

function TransferCard({ transfer: x }: { transfer: Transfer }) {
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
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {t(
            '原中心尚未回复。如不再转入，请携带身份证件到柜台申请撤销。',
            'The old center has not answered yet. If you no longer want the transfer, ask at the counter with your ID to cancel it.',
          )}
        </Typography.Paragraph>
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
          '在外地缴存过住房公积金？携带身份证件到柜台申请转入，中心通过全国转移接续平台联系原中心，资金到账后计入您的账户，原缴存月数计为连续缴存。',
          'Deposited in another city before? Ask at the counter with your ID: the center contacts the old center through the national transfer platform, credits the money when it arrives, and counts your months there as continuous.',
        )}
      />
      {list.data &&
        (list.data.items.length === 0 ? (
          <Empty description={t('暂无转移接续业务', 'No transfers')} style={{ margin: '24px 0' }} />
        ) : (
          list.data.items.map((x) => <TransferCard key={x.transferId} transfer={x} />)
        ))}
    </Screen>
  );
}
