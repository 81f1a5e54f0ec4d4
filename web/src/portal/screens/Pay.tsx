// Paying in: a payment order for an amount within the limits (flexible) or for a due period (periodic
// plans), then the bank's payment page (the simulated bank in the demo) in a new tab; this screen
// watches the order until the bank's notification has credited it.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Descriptions, Empty, Form, Input, Result, Space, Spin, Tag } from 'antd';
import { Link } from 'react-router';
import { api } from '../../lib/api.ts';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { newIdempotencyKey } from '../../lib/idempotency.ts';
import { useLang } from '../../lib/i18n.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useApi } from '../../lib/useApi.ts';
import { useSubmit } from '../../lib/useSubmit.ts';
import { amountRules, yuanToFen } from '../../lib/validators.ts';
import { ItemList, ItemRow } from '../ItemList.tsx';
import { flexibleAccount, signedAgreement, useMe } from '../me.ts';
import type { DepositPlan } from '../plan.ts';
import { Screen } from './Screen.tsx';

interface Order {
  orderId: string;
  orderNo: string;
  amount: string;
  status: 'open' | 'paid' | 'cancelled' | 'expired';
  expiresAt: string;
  payUrl?: string;
  depositId: string | null;
}

function OrderWatch({ order, onPaid }: { order: Order; onPaid(): void }) {
  const { t } = useLang();
  const [current, setCurrent] = useState(order);
  const [error, setError] = useState<unknown>();
  const refresh = useCallback(async () => {
    try {
      const next = await api<Order>('GET', `/payment-orders/${order.orderId}`, { as: 'depositor' });
      setCurrent((c) => ({ ...next, payUrl: c.payUrl }));
      setError(undefined);
      if (next.status === 'paid') onPaid();
    } catch (e) {
      setError(e);
    }
  }, [order.orderId, onPaid]);
  useEffect(() => {
    if (current.status !== 'open') return;
    const timer = setInterval(() => void refresh(), 2000);
    const onFocus = () => void refresh();
    window.addEventListener('focus', onFocus);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
    };
  }, [current.status, refresh]);

  if (current.status === 'paid')
    return (
      <Result
        status="success"
        title={t(`已入账 ${formatYuan(current.amount)}`, `Credited: ${formatYuan(current.amount)}`)}
        subTitle={t(`订单 ${current.orderNo}`, `Order ${current.orderNo}`)}
        extra={
          <Link to="/portal">
            <Button type="primary">{t('查看余额', 'See my balance')}</Button>
          </Link>
        }
      />
    );
  return (
    <Card>
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('订单号', 'Order')}>{current.orderNo}</Descriptions.Item>
        <Descriptions.Item label={t('金额', 'Amount')}>{formatYuan(current.amount)}</Descriptions.Item>
        <Descriptions.Item label={t('状态', 'Status')}>
          <Tag data-testid="order-status">
            {current.status === 'open'
              ? t('待支付', 'Awaiting payment')
              : current.status === 'expired'
                ? t('已过期', 'Expired')
                : t('已取消', 'Cancelled')}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('有效期至', 'Valid until')}>
          {new Date(current.expiresAt).toLocaleString()}
        </Descriptions.Item>
      </Descriptions>
      <ErrorAlert error={error} />
      {current.status === 'open' && current.payUrl && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <a
            href={current.payUrl}
            target="_blank"
            rel="noopener"
            className="ant-btn ant-btn-primary ant-btn-block"
            style={{ display: 'block', textAlign: 'center', padding: '6px 0' }}
          >
            {t('前往银行支付', 'Pay at the bank')}
          </a>
          <Alert
            type="info"
            showIcon
            title={t('支付完成后此页面会自动更新。', 'This page updates by itself once you have paid.')}
          />
          <Button block onClick={() => void refresh()}>
            {t('我已支付，刷新状态', 'I have paid: refresh')}
          </Button>
        </Space>
      )}
    </Card>
  );
}

export default function Pay() {
  const { t } = useLang();
  const me = useMe();
  const account = flexibleAccount(me.data);
  const agreement = signedAgreement(me.data);
  const plan = useApi(
    (signal) =>
      account
        ? api<DepositPlan>('GET', `/accounts/${account.accountId}/deposit-plan`, { as: 'depositor', signal })
        : Promise.resolve(undefined),
    [account?.accountId],
  );
  const [order, setOrder] = useState<Order>();
  // One key per intent: a retried submission of the same amount/period reuses it.
  const intent = useRef<{ what: string; key: string }>(undefined);
  const keyFor = (what: string) => {
    if (intent.current?.what !== what) intent.current = { what, key: newIdempotencyKey('pay') };
    return intent.current.key;
  };
  const create = useSubmit(
    useCallback(
      (v: { amount: string; periodId?: string }) =>
        api<Order>('POST', '/payment-orders', {
          as: 'depositor',
          body: {
            accountId: account?.accountId,
            amount: v.amount.trim(),
            ...(v.periodId ? { periodId: v.periodId } : {}),
            idempotencyKey: keyFor(`${v.periodId ?? ''}:${v.amount.trim()}`),
          },
        }),
      [account?.accountId],
    ),
  );
  const start = async (v: { amount: string; periodId?: string }) => {
    const o = await create.submit(v);
    if (o) {
      setOrder(o);
      intent.current = undefined;
    }
  };

  const p = plan.data;
  const flexible = agreement?.depositMode === 'flexible';
  const room = p ? (yuanToFen(p.annualRoom) ?? 0n) : 0n;
  const due =
    p?.periods.filter((x) => x.status === 'due' || (x.status === 'missed' && x.catchUpAllowed)) ?? [];

  return (
    <Screen
      title={t('缴存', 'Deposit')}
      loading={(me.loading && !me.data) || (plan.loading && !plan.data)}
      error={me.error ?? plan.error}
    >
      {!account && me.data && (
        <Empty description={t('请先签订协议并开户', 'Sign the agreement and open the account first')}>
          <Link to="/portal/agreement">{t('去签约', 'Sign')}</Link>
        </Empty>
      )}
      {order ? (
        <OrderWatch order={order} onPaid={() => me.reload()} />
      ) : (
        p && (
          <>
            <Card size="small" style={{ marginBottom: 12 }}>
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('月缴存额范围', 'Monthly limits')}>
                  {formatYuan(p.limits.lower)} – {formatYuan(p.limits.upper)}
                </Descriptions.Item>
                <Descriptions.Item label={t(`${p.hpfYear} 年度已缴`, `Paid in HPF year ${p.hpfYear}`)}>
                  {formatYuan(p.paidThisHpfYear)}
                </Descriptions.Item>
                <Descriptions.Item label={t('本年度还可缴', 'Room left this year')}>
                  {formatYuan(p.annualRoom)}
                </Descriptions.Item>
                <Descriptions.Item label={t('连续缴存月数', 'Consecutive months')}>
                  {p.consecutiveMonths}
                </Descriptions.Item>
              </Descriptions>
            </Card>
            <ErrorAlert error={create.error} />
            {flexible ? (
              <Card title={t('灵活缴存', 'Flexible deposit')} size="small">
                {room === 0n ? (
                  <Alert
                    type="warning"
                    title={t('本年度缴存额已达上限', 'This year’s maximum has been reached')}
                  />
                ) : (
                  <Form name="pay" layout="vertical" onFinish={start}>
                    <Form.Item
                      name="amount"
                      label={t('缴存金额（元）', 'Amount (yuan)')}
                      rules={amountRules(t, { min: p.limits.lower, max: p.annualRoom })}
                      extra={t(
                        `每笔不低于 ${formatYuan(p.limits.lower)}`,
                        `At least ${formatYuan(p.limits.lower)} each time`,
                      )}
                    >
                      <Input inputMode="decimal" />
                    </Form.Item>
                    <Button type="primary" htmlType="submit" block loading={create.sending}>
                      {t('生成支付订单', 'Create the payment order')}
                    </Button>
                  </Form>
                )}
              </Card>
            ) : (
              <Card title={t('待缴期次', 'Periods due')} size="small">
                <ItemList
                  empty={t(
                    '目前没有待缴期次；到期时银行将按约定日扣款。',
                    'Nothing due now; the bank debits on the agreed day.',
                  )}
                  items={due}
                  rowKey={(period) => period.periodId}
                  render={(period) => (
                    <ItemRow
                      title={`${period.periodStart}（${period.months} ${t('个月', 'months')}）`}
                      description={`${formatYuan(period.amount)} · ${t('到期', 'due')} ${period.dueDate}`}
                      extra={
                        <Button
                          type="primary"
                          loading={create.sending}
                          onClick={() => void start({ amount: period.amount, periodId: period.periodId })}
                        >
                          {t('支付', 'Pay')}
                        </Button>
                      }
                    />
                  )}
                />
              </Card>
            )}
          </>
        )
      )}
      {plan.loading && plan.data && <Spin />}
    </Screen>
  );
}
