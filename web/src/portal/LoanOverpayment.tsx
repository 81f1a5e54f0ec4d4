// What a borrower's loan received beyond what it owed (rules.md §6.5; held on 21909, e.g. a bank debit that
// arrived after the installment was paid at the counter), as GET /loans/:id/repayments shows it to them:
// how much, what is still held for refund, what is being or has been refunded, when and to which card
// (masked), and the repayments it came from; a short note that the center refunds it to their card.
// Nothing at all when the loan never received more than it owed.
import { Alert, Descriptions, Tag, Typography } from 'antd';
import { api } from '../lib/api.ts';
import { ErrorAlert } from '../lib/ErrorAlert.tsx';
import { useLang } from '../lib/i18n.tsx';
import { formatYuan, isZeroYuan } from '../lib/money.ts';
import { useApi } from '../lib/useApi.ts';
import { ItemList, ItemRow } from './ItemList.tsx';

type RefundStatus = 'none' | 'held' | 'refunding' | 'partly_refunded' | 'refunded';

interface Repayment {
  repaymentId: string;
  businessDate: string;
  channel: string;
  amount: string;
  unapplied: string;
  refundStatus: RefundStatus;
}

interface Refund {
  refundId: string;
  businessDate: string;
  amount: string;
  status: 'posted' | 'paid' | 'rejected' | 'returned';
  bankName: string;
  /** Masked. */
  bankCard: string;
  returnedOn: string | null;
}

interface RepaymentView {
  repayments: Repayment[];
  overpayment: {
    unapplied: string;
    refunded: string;
    refunding: string;
    refundable: string;
    card: { bankName: string; bankCard: string } | null;
    refunds: Refund[];
  };
}

const CHANNEL: Record<string, [string, string]> = {
  offset: ['冲还贷', 'Balance offset'],
  debit: ['银行代扣', 'Bank debit'],
  counter: ['柜面还款', 'Counter'],
};

/** A repayment's over-payment as the borrower reads it: [zh, en, tag colour]. */
const HELD: Record<RefundStatus, [string, string, string]> = {
  none: ['—', '—', 'default'],
  held: ['待退还', 'To be refunded', 'gold'],
  refunding: ['退款中', 'Being refunded', 'processing'],
  partly_refunded: ['部分已退还', 'Partly refunded', 'orange'],
  refunded: ['已退还', 'Refunded', 'green'],
};

/** A refund as the borrower reads it: [zh, en, tag colour]; a refused or returned one is held again. */
const REFUND: Record<Refund['status'], [string, string, string]> = {
  posted: ['退款中', 'Being paid', 'processing'],
  paid: ['已退还', 'Paid', 'green'],
  rejected: ['银行未付', 'Not paid', 'red'],
  returned: ['银行退回', 'Sent back', 'red'],
};

type Words = readonly [zh: string, en: string, ...rest: string[]];

/** The bank and the masked card number, the number kept on one line. */
function cardOf(card: { bankName: string; bankCard: string }) {
  return (
    <>
      {card.bankName} <span style={{ whiteSpace: 'nowrap' }}>{card.bankCard}</span>
    </>
  );
}

export function LoanOverpayment({ loanId }: { loanId: string }) {
  const { t } = useLang();
  const view = useApi(
    (signal) => api<RepaymentView>('GET', `/loans/${loanId}/repayments`, { as: 'depositor', signal }),
    [loanId],
  );
  const word = (w: Words | undefined, code: string) => (w ? t(w[0], w[1]) : code);
  if (view.error) return <ErrorAlert error={view.error} />;
  const o = view.data?.overpayment;
  if (!o || isZeroYuan(o.unapplied)) return null;
  const held = !isZeroYuan(o.refundable);
  const open = held || !isZeroYuan(o.refunding);
  const overpaid = (view.data?.repayments ?? []).filter((r) => !isZeroYuan(r.unapplied));
  return (
    <div data-testid="loan-overpayment" style={{ margin: '12px 0' }}>
      <Alert
        type={open ? 'warning' : 'success'}
        showIcon
        title={t(
          `多收款项 ${formatYuan(o.unapplied)}`,
          `${formatYuan(o.unapplied)} received beyond what was owed`,
        )}
        description={t(
          '您的还款超过了当时应还的金额（例如柜台还款后，银行代扣又到账），多出的部分不用于还贷，由公积金中心退还至您签约的银行卡。',
          'You paid more than the loan owed at the time (for example, a bank debit arrived after you had paid at the counter). The extra does not go to the loan: the center refunds it to the bank card of your agreement.',
        )}
      />
      <Descriptions
        size="small"
        column={1}
        style={{ marginTop: 12 }}
        items={[
          {
            key: 'unapplied',
            label: t('多收金额', 'Beyond what was owed'),
            children: formatYuan(o.unapplied),
          },
          {
            key: 'refundable',
            label: t('待退还', 'Held for refund'),
            children: held ? <strong>{formatYuan(o.refundable)}</strong> : formatYuan(o.refundable),
          },
          ...(isZeroYuan(o.refunding)
            ? []
            : [
                { key: 'refunding', label: t('退款中', 'Being refunded'), children: formatYuan(o.refunding) },
              ]),
          { key: 'refunded', label: t('已退还', 'Refunded'), children: formatYuan(o.refunded) },
          {
            key: 'card',
            label: t('退款银行卡', 'Refund card'),
            children: o.card
              ? cardOf(o.card)
              : t('没有签约银行卡，请到柜台办理', 'No bank card on file: please visit the counter'),
          },
        ]}
      />
      <Typography.Text strong style={{ display: 'block', marginTop: 12 }}>
        {t('多收的还款', 'Payments beyond what was owed')}
      </Typography.Text>
      <ItemList
        items={overpaid}
        rowKey={(r) => r.repaymentId}
        empty={null}
        render={(r) => (
          <ItemRow
            title={`${r.businessDate} ${word(CHANNEL[r.channel], r.channel)}`}
            description={t(
              `到账 ${formatYuan(r.amount)}，多收 ${formatYuan(r.unapplied)}`,
              `${formatYuan(r.amount)} received, ${formatYuan(r.unapplied)} beyond what was owed`,
            )}
            extra={<Tag color={HELD[r.refundStatus][2]}>{word(HELD[r.refundStatus], r.refundStatus)}</Tag>}
          />
        )}
      />
      {o.refunds.length > 0 && (
        <div data-testid="loan-overpayment-refunds">
          <Typography.Text strong style={{ display: 'block', marginTop: 12 }}>
            {t('退款记录', 'Refunds')}
          </Typography.Text>
          <ItemList
            items={o.refunds}
            rowKey={(f) => f.refundId}
            empty={null}
            render={(f) => (
              <ItemRow
                title={`${f.businessDate} ${formatYuan(f.amount)}`}
                description={
                  <>
                    {t('退至', 'To')} {cardOf(f)}
                    {f.returnedOn && t(`，${f.returnedOn} 退回`, `, sent back ${f.returnedOn}`)}
                    {(f.status === 'rejected' || f.status === 'returned') &&
                      t('，款项待再次退还', '; held to refund again')}
                  </>
                }
                extra={<Tag color={REFUND[f.status][2]}>{word(REFUND[f.status], f.status)}</Tag>}
              />
            )}
          />
        </div>
      )}
    </div>
  );
}
