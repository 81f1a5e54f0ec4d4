// The standing monthly rent orders of one account (按月提取, rules.md §5.1): each with its status, monthly
// amount, pay day, next and last payment and lease; a teller sets one up with the lease (checked like a rent
// withdrawal, one active order per account) or stops one with a reason. The business-day close pays them.
import { useCallback, useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined, StopOutlined } from '@ant-design/icons';
import { FormModal } from '../lib/FormModal.tsx';
import { ErrorAlert } from '../lib/ErrorAlert.tsx';
import { useLang } from '../lib/i18n.tsx';
import { formatYuan } from '../lib/money.ts';
import {
  RENT_ORDER_ENDED_WORDS as ENDED_WORDS,
  RENT_ORDER_UNPAID_WORDS as UNPAID_WORDS,
  type RentOrder,
} from '../lib/rent-orders.ts';
import { useApi } from '../lib/useApi.ts';
import { useSubmit } from '../lib/useSubmit.ts';
import { amountRules, yuanToFen } from '../lib/validators.ts';
import { call } from './call.ts';
import { useIntentKey } from '../lib/intent-key.ts';
import { LeaseFields, leaseOf, type LeaseValues } from './LeaseFields.tsx';
import { Nothing } from './Loading.tsx';
import { word } from './labels.ts';
import { useStaff } from './staff.tsx';

interface CreatedOrder {
  rentOrderId: string;
  nextDueDate: string;
  monthlyAmount: string;
  replayed: boolean;
}

interface OrderValues extends LeaseValues {
  monthlyAmount: string;
  payDay: number;
}

export interface RentOrderAccount {
  accountId: string;
  state: string;
  balance: string;
}

function CreateOrderModal({
  account,
  open,
  onClose,
  onCreated,
}: {
  account: RentOrderAccount;
  open: boolean;
  onClose: () => void;
  onCreated: (order: CreatedOrder) => void;
}) {
  const { t } = useLang();
  const [form] = Form.useForm<OrderValues>();
  const key = useIntentKey('console-rent-order');
  const run = useSubmit(
    useCallback(
      (body: Record<string, unknown>) =>
        call<CreatedOrder>('POST', `/accounts/${account.accountId}/rent-orders`, body),
      [account.accountId],
    ),
  );
  return (
    <FormModal
      open={open}
      title={t('设立按月租房提取', 'Set up a monthly rent order')}
      okText={t('设立', 'Set up')}
      width={620}
      form={form}
      run={run}
      resetOnCancel={false}
      onCancel={onClose}
    >
      <Form<OrderValues>
        form={form}
        name={`rent-order-${account.accountId}`}
        layout="vertical"
        initialValues={{ payDay: 10 }}
        onFinish={async (v) => {
          const intent = {
            monthlyAmount: String(v.monthlyAmount).trim(),
            payDay: v.payDay,
            declaredNoHousing: true,
            lease: leaseOf(v),
          };
          const created = await run.submit({ ...intent, idempotencyKey: key.keyFor(JSON.stringify(intent)) });
          if (created) {
            key.done();
            form.resetFields();
            onCreated(created);
          }
        }}
      >
        <Space wrap align="start">
          <Form.Item
            name="monthlyAmount"
            label={t('每月提取金额', 'Monthly amount')}
            dependencies={['monthlyRent']}
            rules={[
              ...amountRules(t, { min: '0.01' }),
              ({ getFieldValue }) => ({
                validator: async (_r, value: unknown) => {
                  const amount = yuanToFen(String(value ?? '').trim());
                  const rent = yuanToFen(String(getFieldValue('monthlyRent') ?? '').trim());
                  if (amount !== undefined && rent !== undefined && amount > rent)
                    throw new Error(t('不得超过月租金', 'At most the monthly rent'));
                },
              }),
            ]}
          >
            <Input inputMode="decimal" suffix={t('元', 'yuan')} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item
            name="payDay"
            label={t('每月转账日（1–28）', 'Pay day (1–28)')}
            rules={[
              { required: true, message: t('请输入转账日', 'Enter the pay day') },
              { type: 'integer', min: 1, max: 28, message: t('1–28 之间', 'Between 1 and 28') },
            ]}
          >
            <InputNumber min={1} max={28} precision={0} style={{ width: 160 }} />
          </Form.Item>
        </Space>
        <LeaseFields />
      </Form>
    </FormModal>
  );
}

function StopOrderModal({
  accountId,
  order,
  onClose,
  onStopped,
}: {
  accountId: string;
  order: RentOrder | undefined;
  onClose: () => void;
  onStopped: () => void;
}) {
  const { t } = useLang();
  const [form] = Form.useForm<{ reason: string }>();
  const run = useSubmit(
    useCallback(
      (id: string, reason: string) =>
        call<{ endedOn: string }>('POST', `/rent-orders/${id}/cancel`, { reason }),
      [],
    ),
  );
  return (
    <FormModal
      open={!!order}
      title={t('停止按月租房提取', 'Stop the monthly rent order')}
      okText={t('停止', 'Stop')}
      danger
      form={form}
      run={run}
      onCancel={onClose}
    >
      {order && (
        <Typography.Paragraph>
          {t('合同', 'Contract')} {order.contractNo} · {t('每月', 'Monthly')}{' '}
          <strong>{formatYuan(order.monthlyAmount)}</strong> ·{' '}
          {t(`下次支付 ${order.nextDueDate ?? '—'}`, `next payment ${order.nextDueDate ?? '—'}`)}
        </Typography.Paragraph>
      )}
      <Form
        form={form}
        name={`rent-order-stop-${accountId}`}
        layout="vertical"
        onFinish={async (v) => {
          if (order && (await run.submit(order.rentOrderId, v.reason.trim()))) {
            form.resetFields();
            onStopped();
          }
        }}
      >
        <Form.Item
          name="reason"
          label={t('停止原因', 'Reason')}
          rules={[
            { required: true, whitespace: true, message: t('请输入停止原因', 'Enter the reason') },
            { max: 200, message: t('最多 200 字', 'At most 200 characters') },
          ]}
        >
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

export function RentOrders({ account }: { account: RentOrderAccount }) {
  const { t, lang } = useLang();
  const { hasRole } = useStaff();
  const { message } = App.useApp();
  const [creating, setCreating] = useState(false);
  const [stopping, setStopping] = useState<RentOrder>();
  const orders = useApi(
    (signal) =>
      call<{ items: RentOrder[] }>('GET', `/accounts/${account.accountId}/rent-orders`, undefined, signal),
    [account.accountId, account.balance, account.state],
  );
  const items = orders.data?.items ?? [];
  const canManage = hasRole('teller', 'manager');
  const usable = account.state === '01' || account.state === '02';
  const hasActive = items.some((o) => o.status === 'active');
  return (
    <Card
      size="small"
      title={t('按月租房提取', 'Monthly rent orders')}
      style={{ marginBottom: 16 }}
      data-testid="rent-orders"
      extra={
        canManage &&
        usable &&
        !hasActive &&
        !orders.loading && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('设立按月提取', 'Set up an order')}
          </Button>
        )
      }
    >
      <ErrorAlert error={orders.error} />
      <Table<RentOrder>
        rowKey="rentOrderId"
        size="small"
        loading={orders.loading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 1100 }}
        locale={{ emptyText: <Nothing text={t('没有按月租房提取', 'No monthly rent order')} /> }}
        columns={[
          { title: t('编号', 'No.'), dataIndex: 'rentOrderId', width: 64 },
          {
            title: t('状态', 'Status'),
            render: (_, o) =>
              o.status === 'active' ? (
                <Tag color="green">{t('生效中', 'Active')}</Tag>
              ) : (
                <Tag>
                  {word(ENDED_WORDS, o.endedReason, lang)} {o.endedOn}
                </Tag>
              ),
          },
          { title: t('每月金额', 'Monthly'), align: 'right', render: (_, o) => formatYuan(o.monthlyAmount) },
          { title: t('转账日', 'Pay day'), render: (_, o) => t(`每月 ${o.payDay} 日`, `Day ${o.payDay}`) },
          { title: t('下次支付', 'Next payment'), render: (_, o) => o.nextDueDate ?? '—' },
          {
            title: t('上次支付', 'Last paid'),
            render: (_, o) => (
              <Space size={4} wrap>
                {o.lastPaid ? `${o.lastPaid.dueDate} · ${formatYuan(o.lastPaid.amount)}` : '—'}
                {o.lastUnpaid && (
                  <Tag color="orange">
                    {o.lastUnpaid.dueDate} {word(UNPAID_WORDS, o.lastUnpaid.outcome, lang)}
                  </Tag>
                )}
              </Space>
            ),
          },
          {
            title: t('已付', 'Paid'),
            align: 'right',
            render: (_, o) =>
              t(`${o.paidMonths} 个月 · `, `${o.paidMonths} months · `) + formatYuan(o.paidTotal),
          },
          {
            title: t('租期', 'Lease'),
            render: (_, o) => (
              <span>
                {o.leaseStart} – {o.leaseEnd}
                {o.publicRental && (
                  <Tag color="purple" style={{ marginInlineStart: 4 }}>
                    {t('公租房', 'Public rental')}
                  </Tag>
                )}
              </span>
            ),
          },
          { title: t('合同编号', 'Contract'), dataIndex: 'contractNo' },
          ...(canManage
            ? [
                {
                  title: t('操作', 'Actions'),
                  key: 'actions',
                  render: (_: unknown, o: RentOrder) =>
                    o.status === 'active' && (
                      <Button size="small" danger icon={<StopOutlined />} onClick={() => setStopping(o)}>
                        {t('停止', 'Stop')}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
      {canManage && (
        <>
          <CreateOrderModal
            account={account}
            open={creating}
            onClose={() => setCreating(false)}
            onCreated={(created) => {
              setCreating(false);
              void message.success(
                t(
                  `已设立，首次支付日 ${created.nextDueDate}`,
                  `Set up: first payment on ${created.nextDueDate}`,
                ),
              );
              orders.reload();
            }}
          />
          <StopOrderModal
            accountId={account.accountId}
            order={stopping}
            onClose={() => setStopping(undefined)}
            onStopped={() => {
              setStopping(undefined);
              void message.success(t('已停止', 'Stopped'));
              orders.reload();
            }}
          />
        </>
      )}
    </Card>
  );
}
