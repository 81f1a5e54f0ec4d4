// The depositor's own standing monthly rent orders (按月提取, rules.md §5.1) as GET
// /accounts/:id/rent-orders lists them: status, monthly amount, pay day, next payment, months paid, the
// last payment and the last run that paid nothing (and why). An active order can be stopped with a reason
// (POST /rent-orders/:id/cancel); a refusal is shown as the server's coded message.
import { useCallback, useState } from 'react';
import { App, Alert, Button, Card, Descriptions, Empty, Form, Input, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../../lib/api.ts';
import { FormModal } from '../../lib/FormModal.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { useLang } from '../../lib/i18n.tsx';
import { formatYuan } from '../../lib/money.ts';
import {
  RENT_ORDER_ENDED_WORDS as ENDED_WORDS,
  RENT_ORDER_UNPAID_WORDS as UNPAID_WORDS,
  type RentOrder,
} from '../../lib/rent-orders.ts';
import { useApi } from '../../lib/useApi.ts';
import { useSubmit } from '../../lib/useSubmit.ts';
import { word } from '../../lib/words.ts';
import { ItemList } from '../ItemList.tsx';
import { flexibleAccount, useMe } from '../me.ts';
import { Screen } from './Screen.tsx';

function StopDialog({
  order,
  onClose,
  onStopped,
}: {
  order: RentOrder | undefined;
  onClose: (refused: boolean) => void;
  onStopped: (endedOn: string) => void;
}) {
  const { t } = useLang();
  const [form] = Form.useForm<{ reason: string }>();
  const run = useSubmit(
    useCallback(
      (id: string, reason: string) =>
        api<{ endedOn: string }>('POST', `/rent-orders/${id}/cancel`, {
          as: 'depositor',
          body: { reason },
        }),
      [],
    ),
  );
  return (
    <FormModal
      open={!!order}
      title={t('停止按月租房提取', 'Stop the monthly rent order')}
      okText={t('确认停止', 'Stop it')}
      danger
      form={form}
      run={run}
      // A refusal may mean the order was stopped meanwhile (at the counter): the list is read again.
      onCancel={() => onClose(!!run.error)}
      intro={
        order && (
          <Typography.Paragraph>
            {t(
              `每月 ${formatYuan(order.monthlyAmount)}，合同 ${order.contractNo}。停止后从今日起不再按月转入您的银行卡，已支付的月份不受影响。`,
              `${formatYuan(order.monthlyAmount)} a month, contract ${order.contractNo}. Once stopped, nothing more is paid from today; months already paid stay paid.`,
            )}
          </Typography.Paragraph>
        )
      }
    >
      <Form
        form={form}
        name="rent-order-stop"
        layout="vertical"
        onFinish={async (v) => {
          if (!order) return;
          const stopped = await run.submit(order.rentOrderId, v.reason.trim());
          if (stopped) {
            run.reset();
            form.resetFields();
            onStopped(stopped.endedOn);
          }
        }}
      >
        <Form.Item
          name="reason"
          label={t('停止原因', 'Reason')}
          rules={[
            { required: true, whitespace: true, message: t('请填写停止原因', 'Enter the reason') },
            { max: 200, message: t('最多 200 字', 'At most 200 characters') },
          ]}
        >
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

function OrderCard({ order, onStop }: { order: RentOrder; onStop: () => void }) {
  const { t, lang } = useLang();
  const active = order.status === 'active';
  return (
    <Card
      size="small"
      data-testid="rent-order"
      title={t(`合同 ${order.contractNo}`, `Contract ${order.contractNo}`)}
      extra={
        active ? (
          <Tag color="green">{t('生效中', 'Active')}</Tag>
        ) : (
          <Tag>
            {word(ENDED_WORDS, order.endedReason, lang)} {order.endedOn}
          </Tag>
        )
      }
    >
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('每月提取金额', 'Monthly amount')}>
          {formatYuan(order.monthlyAmount)}
        </Descriptions.Item>
        <Descriptions.Item label={t('每月转账日', 'Pay day')}>
          {t(`每月 ${order.payDay} 日`, `Day ${order.payDay} of each month`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('下次支付', 'Next payment')}>
          {order.nextDueDate ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('已支付', 'Paid so far')}>
          {t(
            `${order.paidMonths} 个月，共 ${formatYuan(order.paidTotal)}`,
            `${order.paidMonths} months, ${formatYuan(order.paidTotal)} in all`,
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('上次支付', 'Last paid')}>
          {order.lastPaid ? `${order.lastPaid.dueDate} · ${formatYuan(order.lastPaid.amount)}` : '—'}
        </Descriptions.Item>
        {order.lastUnpaid && (
          <Descriptions.Item label={t('最近未支付', 'Last unpaid')}>
            <Tag color="orange">
              {order.lastUnpaid.dueDate} {word(UNPAID_WORDS, order.lastUnpaid.outcome, lang)}
            </Tag>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('租赁房屋', 'Address rented')}>{order.leaseAddress}</Descriptions.Item>
        <Descriptions.Item label={t('租期', 'Lease period')}>
          {order.leaseStart} – {order.leaseEnd}
          {order.publicRental && (
            <Tag color="purple" style={{ marginInlineStart: 4 }}>
              {t('公租房', 'Public rental')}
            </Tag>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('月租金', 'Monthly rent')}>
          {formatYuan(order.monthlyRent)}
        </Descriptions.Item>
        <Descriptions.Item label={t('设立日期', 'Set up on')}>{order.createdOn}</Descriptions.Item>
      </Descriptions>
      {active && (
        <Button danger block style={{ marginTop: 8 }} onClick={onStop}>
          {t('停止', 'Stop')}
        </Button>
      )}
    </Card>
  );
}

function Orders({ accountId }: { accountId: string }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const [stopping, setStopping] = useState<RentOrder>();
  const orders = useApi(
    (signal) =>
      api<{ items: RentOrder[] }>('GET', `/accounts/${accountId}/rent-orders`, { as: 'depositor', signal }),
    [accountId],
  );
  return (
    <>
      <ErrorAlert error={orders.error} />
      <ItemList
        loading={orders.loading}
        items={orders.data?.items ?? []}
        rowKey={(o) => o.rentOrderId}
        empty={
          <Empty
            description={
              <>
                {t('没有按月租房提取。', 'No monthly rent order.')}{' '}
                <Link to="/portal/withdraw">{t('去设立', 'Set one up')}</Link>
              </>
            }
          />
        }
        render={(o) => <OrderCard order={o} onStop={() => setStopping(o)} />}
      />
      <StopDialog
        order={stopping}
        onClose={(refused) => {
          setStopping(undefined);
          // A refusal may mean the order changed meanwhile (stopped at the counter): show it as it is now.
          if (refused) orders.reload();
        }}
        onStopped={(endedOn) => {
          setStopping(undefined);
          void message.success(
            t(`已停止，自 ${endedOn} 起不再支付`, `Stopped: nothing paid from ${endedOn}`),
          );
          orders.reload();
        }}
      />
    </>
  );
}

export default function RentOrders() {
  const { t } = useLang();
  const me = useMe();
  const account = flexibleAccount(me.data);
  return (
    <Screen
      title={t('按月租房提取', 'Monthly rent orders')}
      loading={me.loading && !me.data}
      error={me.error}
    >
      {me.data && !account && <Empty description={t('尚未开户', 'No account yet')} />}
      {account && (
        <>
          <Alert
            type="info"
            style={{ marginBottom: 12 }}
            title={t(
              '按月提取由中心在每月转账日自动转入您的银行卡，受年度提取限额和账户余额限制。',
              'The center pays a standing order to your bank card on its pay day each month, within the yearly cap and the balance.',
            )}
          />
          <div data-testid="rent-orders">
            <Orders accountId={account.accountId} />
          </div>
        </>
      )}
    </Screen>
  );
}
