// Payouts for finance (rules.md §5, §7): withdrawals and refunds of loan over-payments, where each stands
// with the bank (waiting to be sent, sent, accepted, paid, refused, returned), filtered by status, kind,
// account number and value date, a page at a time; a returned payment (退票) found on the bank statement
// is recorded with its serial and reason, and the money goes back on the member's account (a loan
// refund's: back on 21909, held for refund again).
import { useCallback, useState } from 'react';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { ReloadOutlined, RollbackOutlined, SearchOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import type { Dayjs } from 'dayjs';
import { useLang } from '../../lib/i18n.tsx';
import { FormModal } from '../../lib/FormModal.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useApi } from '../../lib/useApi.ts';
import { useSubmit } from '../../lib/useSubmit.ts';
import { call, query } from '../call.ts';
import { Page } from '../Page.tsx';
import { Nothing } from '../Loading.tsx';
import { CHANNEL_WORDS, PAYOUT_KIND_WORDS, PAYOUT_STATUS_WORDS, word } from '../labels.ts';

interface Payout {
  payoutId: string;
  requestNo: string;
  purpose: 'withdrawal' | 'loan_refund' | 'suspense_refund';
  withdrawalId: string | null;
  loanId: string | null;
  loanNumber: string | null;
  kind: string;
  channel: string | null;
  /** Null for a suspense refund: the payer holds no account here. */
  accountId: string | null;
  accountNumber: string | null;
  depositorId: string | null;
  name: string;
  suspenseSerial?: string | null;
  amount: string;
  bankName: string;
  bankCard: string;
  valueDate: string;
  status: string;
  returnable: boolean;
  attempts: number;
  lastError: string | null;
  bankSerial: string | null;
  confirmedOn: string | null;
  returnSerial: string | null;
  returnReason: string | null;
  returnedOn: string | null;
}

interface PayoutPage {
  items: Payout[];
  total: number;
  hasMore: boolean;
}

interface Filters {
  status?: string;
  kind?: string;
  accountNumber?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const STATUS_COLORS: Record<string, string> = {
  pending: 'default',
  sent: 'processing',
  accepted: 'blue',
  confirmed: 'green',
  rejected: 'red',
  returned: 'orange',
};

const PAGE = 20;

function ReturnModal({
  payout,
  onClose,
  onReturned,
}: {
  payout: Payout | undefined;
  onClose: () => void;
  onReturned: (payout: Payout) => void;
}) {
  const { t, lang } = useLang();
  const [form] = Form.useForm<{ bankSerial: string; reason: string }>();
  const run = useSubmit(
    useCallback(
      (id: string, body: { bankSerial: string; reason: string }) =>
        call<{ payoutId: string; outcome: string }>('POST', `/payouts/${id}/return`, body),
      [],
    ),
  );
  return (
    <FormModal
      open={!!payout}
      title={t('登记退票', 'Record a returned payment')}
      okText={t('登记退票', 'Record the return')}
      danger
      form={form}
      run={run}
      onCancel={onClose}
    >
      {payout && (
        <Descriptions
          size="small"
          column={1}
          style={{ marginBottom: 16 }}
          items={[
            { label: t('付款编号', 'Request no.'), children: payout.requestNo },
            {
              label: t('收款人', 'Payee'),
              children: [payout.name, payout.accountNumber, `${payout.bankName} ${payout.bankCard}`]
                .filter(Boolean)
                .join(' · '),
            },
            {
              label: t('金额', 'Amount'),
              children: (
                <strong>
                  {formatYuan(payout.amount)} · {word(PAYOUT_KIND_WORDS, payout.kind, lang)}
                </strong>
              ),
            },
          ]}
        />
      )}
      <Typography.Paragraph type="secondary">
        {payout?.purpose === 'loan_refund'
          ? t(
              '登记后款项退回贷款多收待退款项，可再次退还给借款人。',
              'The money is held for refund again and can be refunded to the borrower again.',
            )
          : payout?.purpose === 'suspense_refund'
            ? t(
                '登记后款项退回待查明款项，该笔挂账重新待处理。',
                'The money goes back to suspense and the item is open again.',
              )
            : t(
                '登记后款项退回缴存人账户，提取记为已退票。',
                'The money goes back on the depositor’s account and the withdrawal is marked returned.',
              )}
      </Typography.Paragraph>
      <Form
        form={form}
        name="payout-return"
        layout="vertical"
        onFinish={async (v) => {
          if (!payout) return;
          const done = await run.submit(payout.payoutId, {
            bankSerial: v.bankSerial.trim(),
            reason: v.reason.trim(),
          });
          if (done) {
            form.resetFields();
            onReturned(payout);
          }
        }}
      >
        <Form.Item
          name="bankSerial"
          label={t('银行退票流水号', 'Bank serial of the return')}
          rules={[
            { required: true, whitespace: true, message: t('请输入银行流水号', 'Enter the bank serial') },
            { max: 64, message: t('最多 64 个字符', 'At most 64 characters') },
          ]}
        >
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('退票原因', 'Reason')}
          rules={[
            { required: true, whitespace: true, message: t('请输入退票原因', 'Enter the reason') },
            { max: 200, message: t('最多 200 字', 'At most 200 characters') },
          ]}
        >
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

export default function Payouts() {
  const { t, lang } = useLang();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [returning, setReturning] = useState<Payout>();
  const list = useApi(
    (signal) =>
      call<PayoutPage>(
        'GET',
        '/payouts' +
          query({
            status: filters.status,
            kind: filters.kind,
            accountNumber: filters.accountNumber?.trim(),
            from: filters.range?.[0]?.format('YYYY-MM-DD'),
            to: filters.range?.[1]?.format('YYYY-MM-DD'),
            limit: PAGE,
            offset: (page - 1) * PAGE,
          }),
        undefined,
        signal,
      ),
    [filters, page],
  );

  return (
    <Page
      title={t('付款与退票', 'Payouts and returns')}
      extra={
        <Button icon={<ReloadOutlined />} onClick={list.reload} loading={list.loading}>
          {t('刷新', 'Refresh')}
        </Button>
      }
    >
      <Card style={{ marginBottom: 16 }}>
        <Form<Filters>
          layout="inline"
          name="payout-filter"
          onFinish={(values) => {
            setFilters(values);
            setPage(1);
          }}
        >
          <Form.Item name="status" label={t('付款状态', 'Status')}>
            <Select
              allowClear
              placeholder={t('全部', 'All')}
              style={{ width: 160 }}
              options={Object.keys(PAYOUT_STATUS_WORDS).map((code) => ({
                value: code,
                label: word(PAYOUT_STATUS_WORDS, code, lang),
              }))}
            />
          </Form.Item>
          <Form.Item name="kind" label={t('付款类型', 'Kind')}>
            <Select
              allowClear
              placeholder={t('全部', 'All')}
              style={{ width: 160 }}
              options={Object.keys(PAYOUT_KIND_WORDS).map((code) => ({
                value: code,
                label: word(PAYOUT_KIND_WORDS, code, lang),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="accountNumber"
            label={t('账号', 'Account number')}
            rules={[{ pattern: /^\s*\d{1,32}\s*$/, message: t('账号为数字', 'Digits only') }]}
          >
            <Input allowClear style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="range" label={t('起息日', 'Value date')}>
            <DatePicker.RangePicker allowEmpty={[true, true]} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              {t('查询', 'Search')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <ErrorAlert error={list.error} />
      <Card>
        <Table<Payout>
          rowKey="payoutId"
          size="small"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: <Nothing text={t('没有符合条件的付款', 'No payout matches')} /> }}
          scroll={{ x: 1300 }}
          pagination={{
            current: page,
            pageSize: PAGE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            onChange: setPage,
            showTotal: (total) => t(`共 ${total} 笔`, `${total} payouts`),
          }}
          columns={[
            {
              title: t('付款编号 / 起息日', 'Request no. / value date'),
              width: 170,
              render: (_, p) => (
                <span>
                  {p.requestNo}
                  <br />
                  <Typography.Text type="secondary">{p.valueDate}</Typography.Text>
                </span>
              ),
            },
            {
              title: t('缴存人 / 账号', 'Depositor / account'),
              render: (_, p) => (
                <span>
                  {p.depositorId ? (
                    <Link to={`/console/depositors/${p.depositorId}`}>{p.name}</Link>
                  ) : (
                    p.name || '—'
                  )}
                  <br />
                  <Typography.Text type="secondary">
                    {p.accountNumber ?? p.suspenseSerial ?? ''}
                  </Typography.Text>
                </span>
              ),
            },
            {
              title: t('类型', 'Kind'),
              render: (_, p) => (
                <Space size={4} wrap>
                  {word(PAYOUT_KIND_WORDS, p.kind, lang)}
                  {p.channel && <Tag>{word(CHANNEL_WORDS, p.channel, lang)}</Tag>}
                  {p.loanId && <Link to={`/console/loans/${p.loanId}`}>{p.loanNumber}</Link>}
                </Space>
              ),
            },
            {
              title: t('金额', 'Amount'),
              align: 'right',
              width: 120,
              render: (_, p) => formatYuan(p.amount),
            },
            {
              title: t('状态', 'Status'),
              width: 110,
              render: (_, p) => {
                const tag = (
                  <Tag color={STATUS_COLORS[p.status]}>{word(PAYOUT_STATUS_WORDS, p.status, lang)}</Tag>
                );
                return p.lastError && (p.status === 'sent' || p.status === 'pending') ? (
                  <Tooltip title={`${t('上次发送未获应答', 'No answer last time')}: ${p.lastError}`}>
                    {tag}
                  </Tooltip>
                ) : (
                  tag
                );
              },
            },
            {
              title: t('操作', 'Actions'),
              width: 120,
              render: (_, p) =>
                p.returnable && (
                  <Button size="small" danger icon={<RollbackOutlined />} onClick={() => setReturning(p)}>
                    {t('登记退票', 'Record return')}
                  </Button>
                ),
            },
            {
              title: t('银行流水', 'Bank serial'),
              width: 220,
              render: (_, p) =>
                p.status === 'returned' ? (
                  <span>
                    {t('退票', 'Return')} {p.returnSerial} · {p.returnedOn}
                    <br />
                    <Typography.Text type="secondary">{p.returnReason}</Typography.Text>
                  </span>
                ) : p.status === 'rejected' ? (
                  <Typography.Text type="secondary">
                    {p.returnReason} · {p.returnedOn}
                  </Typography.Text>
                ) : (
                  [p.bankSerial, p.confirmedOn].filter(Boolean).join(' · ') || '—'
                ),
            },
            { title: t('收款卡', 'Bank card'), render: (_, p) => `${p.bankName} ${p.bankCard}` },
          ]}
        />
      </Card>
      <ReturnModal
        payout={returning}
        onClose={() => setReturning(undefined)}
        onReturned={(p) => {
          setReturning(undefined);
          void message.success(
            t(
              p.purpose === 'loan_refund'
                ? `已登记退票，${formatYuan(p.amount)} 已退回贷款多收待退款项`
                : p.purpose === 'suspense_refund'
                  ? `已登记退票，${formatYuan(p.amount)} 已退回待查明款项`
                  : `已登记退票，${formatYuan(p.amount)} 已退回 ${p.name} 的账户`,
              p.purpose === 'loan_refund'
                ? `Return recorded: ${formatYuan(p.amount)} is held for refund again`
                : p.purpose === 'suspense_refund'
                  ? `Return recorded: ${formatYuan(p.amount)} is back in suspense`
                  : `Return recorded: ${formatYuan(p.amount)} is back on ${p.name}’s account`,
            ),
          );
          list.reload();
        }}
      />
    </Page>
  );
}
