// The repayment side of a loan on its detail screen (rules.md §6.5): every repayment with what it brought
// beyond what was owed (held on 21909 贷款多收待退款项) and what of that is refunded, and the refunds with
// where each stands with the bank. Finance staff and managers refund what is held to the borrower's card
// ("退还多收款"): a dialog shows the amount and the card first; the answer (or the coded refusal, in the
// user's language) is shown after. One idempotency key per intent, so a retried click refunds once.
import { useCallback, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Modal,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { RollbackOutlined } from '@ant-design/icons';
import { ErrorAlert } from '../lib/ErrorAlert.tsx';
import { useLang } from '../lib/i18n.tsx';
import { formatYuan } from '../lib/money.ts';
import { useSubmit } from '../lib/useSubmit.ts';
import { call } from './call.ts';
import { useIntentKey } from '../lib/intent-key.ts';
import {
  LOAN_REFUND_STATUS_WORDS,
  OVERPAYMENT_REFUND_WORDS,
  PAYOUT_STATUS_WORDS,
  REPAYMENT_CHANNEL_WORDS,
  word,
} from './labels.ts';
import { Nothing } from './Loading.tsx';
import { useStaff } from './staff.tsx';
import type {
  LoanRefundOutcome,
  LoanRefundRow,
  LoanRepaymentView,
  RepaymentRow,
} from './screens/loan-types.ts';

const REFUND_STATUS_COLORS: Record<string, string> = {
  held: 'gold',
  refunding: 'processing',
  partly_refunded: 'orange',
  refunded: 'green',
};

const isZero = (amount: string) => /^0+(\.0+)?$/.test(amount);

export function LoanRepayments({
  loanId,
  repayment,
  onChanged,
}: {
  loanId: string;
  repayment: LoanRepaymentView;
  onChanged: () => void;
}) {
  const { t, lang } = useLang();
  const { hasRole } = useStaff();
  const { message } = App.useApp();
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<LoanRefundOutcome>();
  const key = useIntentKey('console-loan-refund');
  const run = useSubmit(
    useCallback(
      (amount: string, idempotencyKey: string) =>
        call<LoanRefundOutcome>('POST', `/loans/${loanId}/overpayment-refunds`, { amount, idempotencyKey }),
      [loanId],
    ),
  );
  const o = repayment.overpayment;
  const held = !isZero(o.refundable);
  const mayRefund = hasRole('finance', 'manager');

  const refund = async () => {
    const amount = o.refundable;
    const done = await run.submit(amount, key.keyFor(`${loanId}:${amount}`));
    if (!done) {
      // Refused (shown in the dialog): what is held may have changed meanwhile; show it as it is now.
      onChanged();
      return;
    }
    key.done();
    setOutcome(done);
    setConfirming(false);
    void message.success(t('已退还多收款', 'Over-payment refunded'));
    onChanged();
  };

  return (
    <Card
      title={t('还款记录', 'Repayments')}
      style={{ marginBottom: 16 }}
      data-testid="loan-repayments"
      extra={
        mayRefund &&
        held && (
          <Button
            type="primary"
            icon={<RollbackOutlined />}
            onClick={() => {
              run.reset();
              setConfirming(true);
            }}
          >
            {t('退还多收款', 'Refund over-payment')}
          </Button>
        )
      }
    >
      {outcome && (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setOutcome(undefined) }}
          style={{ marginBottom: 16 }}
          data-testid="refund-outcome"
          title={t(
            `已退还多收款 ${formatYuan(outcome.amount)}`,
            `Over-payment of ${formatYuan(outcome.amount)} refunded`,
          )}
          description={`${t('付款编号', 'Request no.')} ${outcome.requestNo} · ${outcome.bankName} ${outcome.bankCard} · ${word(PAYOUT_STATUS_WORDS, outcome.payoutStatus, lang)}`}
        />
      )}
      <Space size={48} wrap style={{ marginBottom: 16 }}>
        <Statistic title={t('当前应还', 'Owed now')} value={formatYuan(repayment.owedNow)} />
        <Statistic
          title={t('剩余本金', 'Principal outstanding')}
          value={formatYuan(repayment.outstandingPrincipal)}
        />
        <Statistic
          title={t('多收待退', 'Held for refund')}
          value={formatYuan(o.refundable)}
          styles={held ? { content: { color: '#d46b08' } } : undefined}
        />
        <Statistic title={t('退款中', 'Being refunded')} value={formatYuan(o.refunding)} />
        <Statistic title={t('已退还', 'Refunded')} value={formatYuan(o.refunded)} />
      </Space>
      <Table<RepaymentRow>
        rowKey="repaymentId"
        size="small"
        dataSource={repayment.repayments}
        locale={{ emptyText: <Nothing text={t('还没有还款', 'No repayment yet')} /> }}
        pagination={{ pageSize: 12, showSizeChanger: false, hideOnSinglePage: true }}
        columns={[
          { title: t('日期', 'Date'), dataIndex: 'businessDate' },
          {
            title: t('方式', 'Channel'),
            render: (_, r) => `${word(REPAYMENT_CHANNEL_WORDS, r.channel, lang)} (${r.businessType})`,
          },
          { title: t('金额', 'Amount'), align: 'right', render: (_, r) => formatYuan(r.amount) },
          {
            title: t('多收金额', 'Over-paid'),
            align: 'right',
            render: (_, r) => (isZero(r.unapplied) ? '—' : formatYuan(r.unapplied)),
          },
          {
            title: t('已退还', 'Refunded'),
            align: 'right',
            render: (_, r) => (isZero(r.unapplied) ? '—' : formatYuan(r.refunded)),
          },
          {
            title: t('退款状态', 'Refund'),
            render: (_, r) =>
              r.refundStatus === 'none' ? (
                '—'
              ) : (
                <Tag color={REFUND_STATUS_COLORS[r.refundStatus]}>
                  {word(OVERPAYMENT_REFUND_WORDS, r.refundStatus, lang)}
                </Tag>
              ),
          },
        ]}
      />
      {o.refunds.length > 0 && (
        <div data-testid="loan-refunds" style={{ marginTop: 16 }}>
          <Typography.Text strong>{t('多收款退还', 'Refunds of over-payments')}</Typography.Text>
          <Table<LoanRefundRow>
            rowKey="refundId"
            size="small"
            style={{ marginTop: 8 }}
            dataSource={o.refunds}
            pagination={false}
            columns={[
              { title: t('日期', 'Date'), dataIndex: 'businessDate' },
              { title: t('金额', 'Amount'), align: 'right', render: (_, f) => formatYuan(f.amount) },
              { title: t('付款编号', 'Request no.'), dataIndex: 'requestNo' },
              {
                title: t('银行状态', 'Bank'),
                render: (_, f) => word(PAYOUT_STATUS_WORDS, f.payoutStatus, lang),
              },
              {
                title: t('退款状态', 'Refund'),
                render: (_, f) =>
                  `${word(LOAN_REFUND_STATUS_WORDS, f.status, lang)}${f.returnReason ? ` · ${f.returnReason}` : ''}`,
              },
              { title: t('收款卡', 'Card'), render: (_, f) => `${f.bankName} ${f.bankCard}` },
            ]}
          />
        </div>
      )}
      <Modal
        open={confirming}
        title={t('退还多收款', 'Refund the over-payment')}
        okText={t('确认退款', 'Refund')}
        okButtonProps={{ disabled: !held }}
        cancelText={t('取消', 'Cancel')}
        confirmLoading={run.sending}
        destroyOnHidden
        onOk={() => void refund()}
        onCancel={() => {
          run.reset();
          setConfirming(false);
        }}
      >
        <ErrorAlert error={run.error} />
        <Descriptions
          size="small"
          column={1}
          style={{ marginBottom: 16 }}
          items={[
            {
              label: t('退款金额', 'Amount'),
              children: <strong data-testid="refund-amount">{formatYuan(o.refundable)}</strong>,
            },
            {
              label: t('收款卡', 'Card'),
              children: o.card ? `${o.card.bankName} ${o.card.bankCard}` : t('没有收款银行卡', 'No card'),
            },
          ]}
        />
        <Typography.Paragraph type="secondary">
          {t(
            '款项经银行付至借款人银行卡；银行拒绝或退票时，款项回到贷款多收待退款项，可再次退还。',
            'The bank pays it to the borrower’s card; if the bank refuses it or sends it back, it is held again and can be refunded again.',
          )}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}
