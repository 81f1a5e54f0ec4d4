// A depositor's profile with accounts and agreements, and for each account its statement (movements by
// value date with running balance) and deposit position. Links to the counter deposit for the account;
// the account actions (state, withdrawals, closure) and the tax-deduction certificate come from
// ../AccountActions.tsx, the identity conversion from ../ConversionPanel.tsx.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Button, Card, DatePicker, Descriptions, Space, Table, Tabs, Tag, Typography } from 'antd';
import { DownloadOutlined, WalletOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { download } from '../../lib/api.ts';
import { useLang } from '../../lib/i18n.tsx';
import { CreditGradeCard } from '../../lib/CreditGrade.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useApi } from '../../lib/useApi.ts';
import { call, query } from '../call.ts';
import { Page } from '../Page.tsx';
import { Loading, Nothing } from '../Loading.tsx';
import { labelOf, useReference } from '../reference.ts';
import { CHANNEL_WORDS, word } from '../labels.ts';
import { useStaff } from '../staff.tsx';
import { AccountActions, TaxCertificateCard } from '../AccountActions.tsx';
import { RentOrders } from '../RentOrders.tsx';
import { ConversionPanel } from '../ConversionPanel.tsx';

export interface AccountSummary {
  accountId: string;
  accountNumber: string;
  pool: string;
  kind: string;
  state: string;
  balance: string;
  openedOn: string;
  closedOn: string | null;
}

export interface DepositorProfile {
  depositorId: string;
  name: string;
  idType: string;
  idNumber: string;
  gender: string;
  birthDate: string;
  retirementGroup: string;
  phone: string;
  districtCode: string;
  address: string;
  employmentForm: string;
  occupation: string;
  flexibleVerified: boolean;
  registeredOn: string;
  registeredChannel: string;
  accounts: AccountSummary[];
  agreements: Array<{
    agreementId: string;
    agreementNumber: string;
    status: string;
    termsVersion: string;
    depositMode: string;
    monthlyAmount: string | null;
    debitDay: number | null;
    bankName: string;
    bankCard: string;
    signedAt: string | null;
    accountId: string | null;
  }>;
}

interface StatementLine {
  entryId: string;
  valueDate: string;
  businessDate: string;
  kind: string;
  memo: string;
  amountIn: string;
  amountOut: string;
  balance: string;
  deposit: { channel: string; months: string[] } | null;
}

interface Statement {
  accountNumber: string;
  from: string;
  to: string;
  openingBalance: string;
  closingBalance: string;
  totals: { in: string; out: string; deposits: string; interest: string };
  lines: StatementLine[];
}

interface DepositPlan {
  consecutiveMonths: number;
  latestCompletedMonth: string | null;
  limits: { lower: string; upper: string };
  hpfYear: number;
  paidThisHpfYear: string;
  annualRoom: string;
}

const AGREEMENT_STATUS_WORDS: Record<string, [string, string]> = {
  draft: ['待签署', 'Draft'],
  signed: ['已签署', 'Signed'],
  ended: ['已终止', 'Ended'],
};

const KIND_WORDS: Record<string, [string, string]> = {
  deposit: ['缴存', 'Deposit'],
  interest: ['结息', 'Interest'],
  withdrawal: ['提取', 'Withdrawal'],
  transfer_in: ['转入', 'Transfer in'],
  transfer_out: ['转出', 'Transfer out'],
  reversal: ['冲正', 'Reversal'],
  other: ['其他', 'Other'],
};

function AccountStatement({ account }: { account: AccountSummary }) {
  const { t, lang } = useLang();
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const statement = useApi(
    (signal) =>
      call<Statement>(
        'GET',
        `/accounts/${account.accountId}/statement` +
          query({ from: range?.[0].format('YYYY-MM-DD'), to: range?.[1].format('YYYY-MM-DD') }),
        undefined,
        signal,
      ),
    [account.accountId, range, account.balance, account.state],
  );
  const plan = useApi(
    (signal) => call<DepositPlan>('GET', `/accounts/${account.accountId}/deposit-plan`, undefined, signal),
    [account.accountId, account.balance],
  );
  const s = statement.data;
  return (
    <>
      {plan.data && (
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 3 }}
          style={{ marginBottom: 16 }}
          items={[
            { label: t('连续缴存月数', 'Consecutive months'), children: plan.data.consecutiveMonths },
            {
              label: t('月缴存上下限', 'Monthly limits'),
              children: `${formatYuan(plan.data.limits.lower)} – ${formatYuan(plan.data.limits.upper)}`,
            },
            {
              label: t(`${plan.data.hpfYear} 年度已缴 / 可缴`, `HPF year ${plan.data.hpfYear} paid / room`),
              children: `${formatYuan(plan.data.paidThisHpfYear)} / ${formatYuan(plan.data.annualRoom)}`,
            },
          ]}
        />
      )}
      <Space wrap style={{ marginBottom: 12 }}>
        <span id={`range-${account.accountId}`}>{t('对账期间', 'Period')}</span>
        <DatePicker.RangePicker
          aria-labelledby={`range-${account.accountId}`}
          value={range}
          onChange={(v) => setRange(v && v[0] && v[1] ? [v[0], v[1]] : null)}
          disabledDate={(d) => d.isAfter(dayjs().add(1, 'year'))}
        />
      </Space>
      <ErrorAlert error={statement.error} />
      {s && (
        <Descriptions
          size="small"
          column={{ xs: 1, md: 4 }}
          style={{ marginBottom: 12 }}
          items={[
            { label: t('期间', 'Period'), children: `${s.from} – ${s.to}` },
            { label: t('期初余额', 'Opening'), children: formatYuan(s.openingBalance) },
            {
              label: t('收入 / 支出', 'In / out'),
              children: `${formatYuan(s.totals.in)} / ${formatYuan(s.totals.out)}`,
            },
            { label: t('期末余额', 'Closing'), children: <strong>{formatYuan(s.closingBalance)}</strong> },
          ]}
        />
      )}
      <Table<StatementLine>
        rowKey="entryId"
        size="small"
        loading={statement.loading}
        dataSource={s?.lines ?? []}
        locale={{ emptyText: <Nothing text={t('本期无交易', 'No movements in this period')} /> }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 800 }}
        columns={[
          { title: t('起息日', 'Value date'), dataIndex: 'valueDate' },
          {
            title: t('摘要', 'Kind'),
            render: (_, l) => (
              <Space size={4}>
                {word(KIND_WORDS, l.kind, lang)}
                {l.deposit && <Tag>{word(CHANNEL_WORDS, l.deposit.channel, lang)}</Tag>}
              </Space>
            ),
          },
          {
            title: t('所属月份', 'Months'),
            render: (_, l) =>
              l.deposit?.months.length
                ? l.deposit.months.length > 2
                  ? `${l.deposit.months[0]} – ${l.deposit.months[l.deposit.months.length - 1]}`
                  : l.deposit.months.join(', ')
                : l.memo,
          },
          {
            title: t('收入', 'In'),
            align: 'right',
            render: (_, l) => (l.amountIn === '0.00' ? '' : formatYuan(l.amountIn)),
          },
          {
            title: t('支出', 'Out'),
            align: 'right',
            render: (_, l) => (l.amountOut === '0.00' ? '' : formatYuan(l.amountOut)),
          },
          { title: t('余额', 'Balance'), align: 'right', render: (_, l) => formatYuan(l.balance) },
        ]}
      />
    </>
  );
}

export default function DepositorDetail() {
  const { id = '' } = useParams();
  const { t, lang } = useLang();
  const { hasRole } = useStaff();
  const reference = useReference();
  const [downloadError, setDownloadError] = useState<unknown>();
  const { data, error, loading, reload } = useApi(
    (signal) => call<DepositorProfile>('GET', `/depositors/${id}`, undefined, signal),
    [id],
  );
  if (loading && !data) return <Loading />;
  if (!data) return <ErrorAlert error={error} />;
  const canDeposit = hasRole('teller', 'manager');
  return (
    <Page
      title={`${data.name} · ${t('缴存人', 'Depositor')}`}
      extra={<Link to="/console/depositors">{t('返回查询', 'Back to search')}</Link>}
    >
      <ErrorAlert error={error ?? downloadError} />
      <Card title={t('基本信息', 'Profile')} style={{ marginBottom: 16 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            { label: t('姓名', 'Name'), children: data.name },
            {
              label: t('证件号码', 'ID number'),
              children: <span data-testid="id-number">{data.idNumber}</span>,
            },
            { label: t('手机', 'Phone'), children: data.phone },
            { label: t('出生日期', 'Born'), children: data.birthDate },
            {
              label: t('区县', 'District'),
              children: labelOf(reference.data?.districts, data.districtCode, lang),
            },
            {
              label: t('就业形式', 'Employment'),
              children: (
                <Space size={4}>
                  {labelOf(reference.data?.employmentForms, data.employmentForm, lang)}
                  {data.flexibleVerified && <Tag color="green">{t('已核验', 'Verified')}</Tag>}
                </Space>
              ),
            },
            { label: t('职业', 'Occupation'), children: data.occupation || '—' },
            { label: t('地址', 'Address'), children: data.address || '—' },
            {
              label: t('登记', 'Registered'),
              children: `${data.registeredOn} · ${word(CHANNEL_WORDS, data.registeredChannel, lang)}`,
            },
          ]}
        />
      </Card>
      <CreditGradeCard depositorId={id} as="staff" />
      <Card title={t('协议', 'Agreements')} style={{ marginBottom: 16 }}>
        <Table
          rowKey="agreementId"
          size="small"
          pagination={false}
          dataSource={data.agreements}
          locale={{ emptyText: <Nothing text={t('尚未签订协议', 'No agreement yet')} /> }}
          scroll={{ x: 800 }}
          columns={[
            { title: t('协议编号', 'Number'), dataIndex: 'agreementNumber' },
            { title: t('状态', 'Status'), render: (_, a) => word(AGREEMENT_STATUS_WORDS, a.status, lang) },
            {
              title: t('缴存方式', 'Mode'),
              render: (_, a) => labelOf(reference.data?.depositModes, a.depositMode, lang),
            },
            {
              title: t('月缴存额', 'Monthly'),
              align: 'right',
              render: (_, a) => formatYuan(a.monthlyAmount),
            },
            { title: t('扣款银行', 'Bank'), render: (_, a) => `${a.bankName} ${a.bankCard}` },
            {
              title: t('文本', 'Text'),
              render: (_, a) => (
                <Button
                  size="small"
                  icon={<DownloadOutlined />}
                  onClick={() => {
                    setDownloadError(undefined);
                    download(
                      `/agreements/${a.agreementId}.pdf`,
                      'staff',
                      `agreement-${a.agreementNumber}.pdf`,
                    ).catch(setDownloadError);
                  }}
                >
                  PDF
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Card title={t('账户与明细', 'Accounts and statements')} style={{ marginBottom: 16 }}>
        {data.accounts.length === 0 ? (
          <Nothing text={t('尚未开户', 'No account yet')} />
        ) : (
          <Tabs
            items={data.accounts.map((a) => ({
              key: a.accountId,
              label: `${a.accountNumber} · ${labelOf(reference.data?.accountStates, a.state, lang)}`,
              children: (
                <>
                  <Space wrap style={{ marginBottom: 12 }}>
                    <Typography.Text>
                      {t('余额', 'Balance')}: <strong>{formatYuan(a.balance)}</strong>
                    </Typography.Text>
                    <Typography.Text type="secondary">
                      {a.pool} · {t('开户日', 'Opened')} {a.openedOn}
                    </Typography.Text>
                    {canDeposit && a.state === '01' && (
                      <Link to={`/console/deposit?account=${a.accountId}`}>
                        <WalletOutlined /> {t('柜面缴存', 'Counter deposit')}
                      </Link>
                    )}
                  </Space>
                  <AccountActions account={a} onChanged={reload} />
                  <ConversionPanel
                    account={a}
                    depositorId={data.depositorId}
                    depositorName={data.name}
                    onChanged={reload}
                  />
                  <RentOrders account={a} />
                  <AccountStatement account={a} />
                </>
              ),
            }))}
          />
        )}
      </Card>
      <TaxCertificateCard depositorId={data.depositorId} />
    </Page>
  );
}
