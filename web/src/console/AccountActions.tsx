// Counter actions on one account (rules.md §5): seal/unseal and judicial freeze/unfreeze, a free
// withdrawal, a one-off rent withdrawal with the lease, the housing-security referral, and closure with the
// subsidy preview first and the closure certificate after. Every money command carries one idempotency key
// per intent, so a retry of the same submission answers the first result. The tax-deduction certificate is
// per depositor and per year, the year defaulting from the center's business date. Standing monthly rent
// orders have their own card (RentOrders.tsx).
import { useCallback, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Result,
  Select,
  Table,
  Tabs,
} from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { download } from '../lib/api.ts';
import { ErrorAlert } from '../lib/ErrorAlert.tsx';
import { useLang } from '../lib/i18n.tsx';
import { formatYuan } from '../lib/money.ts';
import { useSubmit } from '../lib/useSubmit.ts';
import { amountRules, requiredRule } from '../lib/validators.ts';
import { useBusinessDate, yearOf } from './business-date.ts';
import { call } from './call.ts';
import { useIntentKey } from '../lib/intent-key.ts';
import { LeaseFields, leaseOf, type LeaseValues } from './LeaseFields.tsx';
import { useStaff } from './staff.tsx';

interface Reason {
  code: string;
  message_zh: string;
  message_en: string;
}

interface WithdrawalOutcome {
  withdrawalId: string;
  status: 'pending_review' | 'posted';
  amount: string;
  reviewReasons: Reason[];
  replayed: boolean;
}

interface ClosureOutcome {
  withdrawalId: string;
  status: 'closed' | 'pending_review';
  reviewReasons: Reason[];
  total: string;
  principal?: string;
  interest?: string;
  subsidy?: string;
  closedOn?: string;
  verificationCode?: string;
  replayed: boolean;
}

interface SubsidyPreview {
  closureDate: string;
  eligible: boolean;
  reasons: Reason[];
  subsidy: string;
  uncapped: string;
  capped: boolean;
  ratePct: string;
  remainingCap: string;
  firstDepositDate: string | null;
  oneYearOn: string | null;
}

interface TaxCertificate {
  certificateId: string;
  year: number;
  verificationCode: string;
  issuedOn: string;
  reused: boolean;
  content: { totals: { deposited: string; cap: string; deductible: string; excess: string } };
}

export interface ActionAccount {
  accountId: string;
  accountNumber: string;
  state: string;
  balance: string;
}

function ReasonsTable({ reasons }: { reasons: Reason[] }) {
  const { t, lang } = useLang();
  return (
    <Table<Reason>
      rowKey={(r, i) => `${r.code}-${i ?? 0}`}
      size="small"
      pagination={false}
      dataSource={reasons}
      columns={[
        { title: t('代码', 'Code'), dataIndex: 'code' },
        { title: t('原因', 'Reason'), render: (_, r) => (lang === 'en' ? r.message_en : r.message_zh) },
      ]}
    />
  );
}

function WithdrawalResult({ result }: { result: WithdrawalOutcome }) {
  const { t } = useLang();
  const waiting = result.status === 'pending_review';
  return (
    <div data-testid="withdrawal-outcome">
      <Result
        status={waiting ? 'info' : 'success'}
        title={
          waiting
            ? t('已提交，等待复核', 'Submitted: waiting for review')
            : t('提取已入账', 'Withdrawal posted')
        }
        subTitle={`${t('金额', 'Amount')} ${formatYuan(result.amount)} · ${t('编号', 'No.')} ${result.withdrawalId}${
          result.replayed ? ` · ${t('重复提交，返回首次结果', 'Repeat: the first result')}` : ''
        }`}
      />
      {waiting && result.reviewReasons.length > 0 && <ReasonsTable reasons={result.reviewReasons} />}
    </div>
  );
}

type StateAction = 'seal' | 'unseal' | 'freeze' | 'unfreeze';

function StateForm({ account, onChanged }: { account: ActionAccount; onChanged: () => void }) {
  const { t } = useLang();
  const { hasRole } = useStaff();
  const [form] = Form.useForm<{ action: StateAction; reason: string; documentNo?: string }>();
  const action = Form.useWatch('action', form);
  const judicialAllowed = hasRole('manager', 'admin');
  const options: { value: StateAction; label: string }[] = [];
  if (account.state === '01') options.push({ value: 'seal', label: t('封存', 'Seal') });
  if (account.state === '02') options.push({ value: 'unseal', label: t('启封', 'Unseal') });
  if (judicialAllowed && (account.state === '01' || account.state === '02'))
    options.push({ value: 'freeze', label: t('冻结（司法）', 'Freeze (judicial)') });
  if (judicialAllowed && account.state === '06')
    options.push({ value: 'unfreeze', label: t('解冻', 'Unfreeze') });
  const judicial = action === 'freeze' || action === 'unfreeze';
  const run = useSubmit(
    useCallback(
      (body: { action: StateAction; reason: string; documentNo?: string }) =>
        call<{ state: string }>('POST', `/accounts/${account.accountId}/state`, body),
      [account.accountId],
    ),
  );
  if (options.length === 0)
    return <Alert type="info" title={t('当前状态无可用操作', 'No state change available now')} />;
  return (
    <Form
      form={form}
      layout="vertical"
      style={{ maxWidth: 480 }}
      onFinish={async (v) => {
        const body = {
          action: v.action,
          reason: v.reason.trim(),
          ...(v.action === 'freeze' || v.action === 'unfreeze' ? { documentNo: v.documentNo?.trim() } : {}),
        };
        if (await run.submit(body)) {
          form.resetFields();
          onChanged();
        }
      }}
    >
      <ErrorAlert error={run.error} />
      <Form.Item
        name="action"
        label={t('操作', 'Action')}
        rules={[{ required: true, message: t('请选择操作', 'Choose an action') }]}
      >
        <Select options={options} />
      </Form.Item>
      <Form.Item
        name="reason"
        label={t('原因', 'Reason')}
        rules={[
          requiredRule(t, '原因', 'the reason'),
          { max: 200, message: t('最多 200 字', 'At most 200 characters') },
        ]}
      >
        <Input.TextArea rows={2} maxLength={200} />
      </Form.Item>
      {judicial && (
        <Form.Item
          name="documentNo"
          label={t('法律文书编号', 'Document number')}
          rules={[
            requiredRule(t, '法律文书编号', 'the document number'),
            { max: 100, message: t('最多 100 字', 'At most 100 characters') },
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
      )}
      <Button type="primary" htmlType="submit" loading={run.sending}>
        {t('确认', 'Confirm')}
      </Button>
    </Form>
  );
}

function FreeWithdrawalForm({ account, onChanged }: { account: ActionAccount; onChanged: () => void }) {
  const { t } = useLang();
  const [form] = Form.useForm<{ amount: string }>();
  const key = useIntentKey('console-free');
  const run = useSubmit(
    useCallback(
      (amount: string, idempotencyKey: string) =>
        call<WithdrawalOutcome>('POST', `/accounts/${account.accountId}/withdrawals/free`, {
          amount,
          idempotencyKey,
        }),
      [account.accountId],
    ),
  );
  return (
    <Form
      form={form}
      layout="vertical"
      style={{ maxWidth: 480 }}
      onFinish={async (v) => {
        const amount = String(v.amount).trim();
        if (await run.submit(amount, key.keyFor(amount))) {
          key.done();
          form.resetFields();
          onChanged();
        }
      }}
    >
      <ErrorAlert error={run.error} />
      {run.result && <WithdrawalResult result={run.result} />}
      <Form.Item
        name="amount"
        label={t(
          `提取金额（余额 ${formatYuan(account.balance)}）`,
          `Amount (balance ${formatYuan(account.balance)})`,
        )}
        rules={amountRules(t, { min: '0.01', max: account.balance })}
      >
        <Input inputMode="decimal" suffix={t('元', 'yuan')} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={run.sending}>
        {t('提交自由提取', 'Submit free withdrawal')}
      </Button>
    </Form>
  );
}

interface RentValues extends LeaseValues {
  amount: string;
}

function RentWithdrawalForm({ account, onChanged }: { account: ActionAccount; onChanged: () => void }) {
  const { t } = useLang();
  const [form] = Form.useForm<RentValues>();
  const key = useIntentKey('console-rent');
  const run = useSubmit(
    useCallback(
      (body: Record<string, unknown>) =>
        call<WithdrawalOutcome>('POST', `/accounts/${account.accountId}/withdrawals/rent`, body),
      [account.accountId],
    ),
  );
  return (
    <Form
      form={form}
      layout="vertical"
      style={{ maxWidth: 560 }}
      onFinish={async (v) => {
        const intent = { amount: String(v.amount).trim(), declaredNoHousing: true, lease: leaseOf(v) };
        const idempotencyKey = key.keyFor(JSON.stringify(intent));
        if (await run.submit({ ...intent, idempotencyKey })) {
          key.done();
          form.resetFields();
          onChanged();
        }
      }}
    >
      <ErrorAlert error={run.error} />
      {run.result && <WithdrawalResult result={run.result} />}
      <Form.Item
        name="amount"
        label={t('提取金额', 'Amount')}
        rules={amountRules(t, { min: '0.01', max: account.balance })}
      >
        <Input inputMode="decimal" suffix={t('元', 'yuan')} />
      </Form.Item>
      <LeaseFields />
      <Button type="primary" htmlType="submit" loading={run.sending}>
        {t('提交租房提取', 'Submit rent withdrawal')}
      </Button>
    </Form>
  );
}

const REFERRAL_QUEUES: { value: string; zh: string; en: string }[] = [
  { value: 'public_rental', zh: '公租房', en: 'Public rental' },
  { value: 'affordable_rental', zh: '保障性租赁住房', en: 'Affordable rental' },
];

interface ReferralValues {
  queues: string[];
  householdSize: number;
  declaredNoHousing?: boolean;
}

interface ReferralOutcome {
  referralId: string;
  queues: string[];
  requestedOn: string;
}

/** Asks for the depositor to be referred to the housing-security department (checked like a rent withdrawal). */
function HousingReferralForm({ account }: { account: ActionAccount }) {
  const { t, lang } = useLang();
  const [form] = Form.useForm<ReferralValues>();
  const run = useSubmit(
    useCallback(
      (body: { queues: string[]; householdSize: number; declaredNoHousing: boolean }) =>
        call<ReferralOutcome>('POST', `/accounts/${account.accountId}/housing-referral`, body),
      [account.accountId],
    ),
  );
  const queueLabel = (code: string) => {
    const q = REFERRAL_QUEUES.find((x) => x.value === code);
    return q ? (lang === 'zh' ? q.zh : q.en) : code;
  };
  return (
    <Form
      form={form}
      layout="vertical"
      style={{ maxWidth: 480 }}
      initialValues={{ queues: [], householdSize: 1 }}
      onFinish={async (v) => {
        if (
          await run.submit({
            queues: v.queues,
            householdSize: v.householdSize,
            declaredNoHousing: v.declaredNoHousing === true,
          })
        )
          form.resetFields();
      }}
    >
      <ErrorAlert error={run.error} />
      {run.result && (
        <Alert
          type="success"
          showIcon
          role="status"
          style={{ marginBottom: 16 }}
          data-testid="referral-outcome"
          title={t('已登记住房保障推荐', 'Referral recorded')}
          description={`${run.result.queues.map(queueLabel).join('、')} · ${t('申请日', 'Requested on')} ${
            run.result.requestedOn
          }`}
        />
      )}
      <Form.Item
        name="queues"
        label={t('申请保障类型', 'Queues')}
        rules={[
          { required: true, type: 'array', min: 1, message: t('请至少选择一项', 'Choose at least one') },
        ]}
      >
        <Checkbox.Group
          options={REFERRAL_QUEUES.map((q) => ({ value: q.value, label: queueLabel(q.value) }))}
        />
      </Form.Item>
      <Form.Item
        name="householdSize"
        label={t('家庭人口', 'Household size')}
        rules={[
          { required: true, message: t('请输入家庭人口', 'Enter the household size') },
          { type: 'integer', min: 1, max: 20, message: t('1–20 人', '1 to 20 people') },
        ]}
      >
        <InputNumber min={1} max={20} precision={0} />
      </Form.Item>
      <Form.Item
        name="declaredNoHousing"
        valuePropName="checked"
        rules={[
          {
            validator: async (_r, value: unknown) => {
              if (value !== true)
                throw new Error(
                  t('须确认本人及配偶在本市无自有住房', 'The no-own-housing declaration is required'),
                );
            },
          },
        ]}
      >
        <Checkbox>
          {t('缴存人声明本人及配偶在本市无自有住房', 'The depositor declares no own housing in the city')}
        </Checkbox>
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={run.sending}>
        {t('提交推荐申请', 'Submit the referral')}
      </Button>
    </Form>
  );
}

function ClosureResult({ account, result: c }: { account: ActionAccount; result: ClosureOutcome }) {
  const { t } = useLang();
  const [downloadError, setDownloadError] = useState<unknown>();
  return (
    <div data-testid="closure-outcome">
      <ErrorAlert error={downloadError} />
      <Result
        status={c.status === 'closed' ? 'success' : 'info'}
        title={
          c.status === 'closed'
            ? t('账户已销户', 'Account closed')
            : t('销户已提交，等待复核', 'Closure submitted: waiting for review')
        }
        subTitle={`${t('合计', 'Total')} ${formatYuan(c.total)}`}
        extra={
          c.status === 'closed' && (
            <Button
              icon={<DownloadOutlined />}
              onClick={() => {
                setDownloadError(undefined);
                download(
                  `/withdrawals/${c.withdrawalId}/closure-certificate.pdf`,
                  'staff',
                  `closure-${account.accountNumber}.pdf`,
                ).catch(setDownloadError);
              }}
            >
              {t('销户证明 PDF', 'Closure certificate PDF')}
            </Button>
          )
        }
      />
      {c.status === 'closed' && (
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 2 }}
          items={[
            { label: t('本金', 'Principal'), children: formatYuan(c.principal) },
            { label: t('利息', 'Interest'), children: formatYuan(c.interest) },
            { label: t('补贴', 'Subsidy'), children: formatYuan(c.subsidy) },
            { label: t('验证码', 'Verification code'), children: c.verificationCode ?? '—' },
          ]}
        />
      )}
      {c.status === 'pending_review' && <ReasonsTable reasons={c.reviewReasons} />}
    </div>
  );
}

function ClosurePanel({
  account,
  onClosed,
}: {
  account: ActionAccount;
  onClosed: (r: ClosureOutcome) => void;
}) {
  const { t } = useLang();
  const key = useIntentKey('console-close');
  const preview = useSubmit(
    useCallback(
      () => call<SubsidyPreview>('GET', `/accounts/${account.accountId}/subsidy-preview`),
      [account.accountId],
    ),
  );
  const close = useSubmit(
    useCallback(
      (idempotencyKey: string) =>
        call<ClosureOutcome>('POST', `/accounts/${account.accountId}/closure`, { idempotencyKey }),
      [account.accountId],
    ),
  );
  const p = preview.result;
  return (
    <div>
      <ErrorAlert error={preview.error ?? close.error} />
      <Button onClick={() => void preview.submit()} loading={preview.sending} style={{ marginBottom: 12 }}>
        {t('预览缴存补贴', 'Preview the subsidy')}
      </Button>
      {p && (
        <>
          <Descriptions
            size="small"
            bordered
            column={{ xs: 1, md: 2 }}
            style={{ marginBottom: 12 }}
            items={[
              { label: t('销户日', 'Closure date'), children: p.closureDate },
              {
                label: t('补贴', 'Subsidy'),
                children: `${formatYuan(p.subsidy)}${p.eligible ? '' : ` (${t('不符合条件', 'not eligible')})`}`,
              },
              { label: t('年补贴率', 'Annual rate'), children: `${p.ratePct}%` },
              { label: t('剩余终身上限', 'Remaining cap'), children: formatYuan(p.remainingCap) },
              { label: t('首次缴存', 'First deposit'), children: p.firstDepositDate ?? '—' },
              { label: t('满一年日', 'One year on'), children: p.oneYearOn ?? '—' },
            ]}
          />
          {p.reasons.length > 0 && <ReasonsTable reasons={p.reasons} />}
          <Popconfirm
            title={t(
              '确认销户？余额、利息和补贴将转入银行卡。',
              'Close the account? Everything is paid out.',
            )}
            okText={t('销户', 'Close')}
            cancelText={t('取消', 'Cancel')}
            onConfirm={async () => {
              const result = await close.submit(key.keyFor(account.accountId));
              if (result) {
                key.done();
                onClosed(result);
              }
            }}
          >
            <Button danger type="primary" loading={close.sending} style={{ marginTop: 12 }}>
              {t('确认销户', 'Close the account')}
            </Button>
          </Popconfirm>
        </>
      )}
    </div>
  );
}

export function AccountActions({ account, onChanged }: { account: ActionAccount; onChanged: () => void }) {
  const { t } = useLang();
  const { hasRole } = useStaff();
  const canState = hasRole('teller', 'manager', 'admin');
  const canMoney = hasRole('teller', 'manager');
  const [closed, setClosed] = useState<ClosureOutcome>();
  const open = ['01', '02', '06'].includes(account.state);
  const usable = account.state === '01' || account.state === '02';
  if (!canState && !canMoney) return null;
  const items = [
    ...(canState && open
      ? [
          {
            key: 'state',
            label: t('状态管理', 'State'),
            children: <StateForm account={account} onChanged={onChanged} />,
          },
        ]
      : []),
    ...(canMoney && usable
      ? [
          {
            key: 'free',
            label: t('自由提取', 'Free withdrawal'),
            children: <FreeWithdrawalForm account={account} onChanged={onChanged} />,
          },
          {
            key: 'rent',
            label: t('租房提取', 'Rent withdrawal'),
            children: <RentWithdrawalForm account={account} onChanged={onChanged} />,
          },
          {
            key: 'referral',
            label: t('住房保障推荐', 'Housing referral'),
            children: <HousingReferralForm account={account} />,
          },
          {
            key: 'closure',
            label: t('销户', 'Closure'),
            children: (
              <ClosurePanel
                account={account}
                onClosed={(r) => {
                  setClosed(r);
                  onChanged();
                }}
              />
            ),
          },
        ]
      : []),
  ];
  if (!closed && items.length === 0) return null;
  return (
    <Card size="small" title={t('账户操作', 'Account actions')} style={{ marginBottom: 16 }}>
      {closed ? (
        <ClosureResult account={account} result={closed} />
      ) : (
        <Tabs size="small" items={items} destroyOnHidden />
      )}
    </Card>
  );
}

export function TaxCertificateCard({ depositorId }: { depositorId: string }) {
  const { hasRole } = useStaff();
  if (!hasRole('teller', 'manager')) return null;
  return <TaxCertificateForm depositorId={depositorId} />;
}

/** The year defaults to the calendar year before the center's business date (a finished year). */
function TaxCertificateForm({ depositorId }: { depositorId: string }) {
  const { t } = useLang();
  const businessDate = useBusinessDate();
  const [downloadError, setDownloadError] = useState<unknown>();
  const run = useSubmit(
    useCallback(
      (year: number) => call<TaxCertificate>('POST', `/depositors/${depositorId}/tax-certificates`, { year }),
      [depositorId],
    ),
  );
  const c = run.result;
  const latestYear = businessDate.data ? yearOf(businessDate.data) : undefined;
  return (
    <Card title={t('个税扣除缴存证明', 'Tax-deduction certificate')} style={{ marginBottom: 16 }}>
      <ErrorAlert error={businessDate.error ?? run.error ?? downloadError} />
      <Form<{ year: number }>
        key={latestYear ?? 'loading'}
        layout="inline"
        initialValues={{ year: latestYear === undefined ? undefined : latestYear - 1 }}
        onFinish={(v) => {
          setDownloadError(undefined);
          void run.submit(v.year);
        }}
      >
        <Form.Item
          name="year"
          label={t('年度', 'Year')}
          rules={[
            { required: true, message: t('请输入年度', 'Enter the year') },
            {
              type: 'integer',
              min: 2000,
              max: latestYear ?? 9999,
              message: t(`年度为 2000–${latestYear ?? 9999}`, `A year from 2000 to ${latestYear ?? 9999}`),
            },
          ]}
        >
          <InputNumber
            min={2000}
            max={latestYear ?? 9999}
            precision={0}
            disabled={latestYear === undefined}
          />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          loading={run.sending || businessDate.loading}
          disabled={latestYear === undefined}
        >
          {t('出具证明', 'Issue')}
        </Button>
      </Form>
      {c && (
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 2 }}
          style={{ marginTop: 16 }}
          items={[
            { label: t('年度', 'Year'), children: c.year },
            {
              label: t('验证码', 'Verification code'),
              children: (
                <span>
                  {c.verificationCode}
                  {c.reused ? ` (${t('沿用已出具证明', 'the existing certificate')})` : ''}
                </span>
              ),
            },
            { label: t('出具日', 'Issued on'), children: c.issuedOn },
            { label: t('缴存额', 'Deposited'), children: formatYuan(c.content.totals.deposited) },
            { label: t('可扣除额', 'Deductible'), children: formatYuan(c.content.totals.deductible) },
            {
              label: 'PDF',
              children: (
                <Button
                  size="small"
                  icon={<DownloadOutlined />}
                  onClick={() => {
                    setDownloadError(undefined);
                    download(
                      `/tax-certificates/${c.certificateId}.pdf`,
                      'staff',
                      `tax-certificate-${c.year}.pdf`,
                    ).catch(setDownloadError);
                  }}
                >
                  {t('下载', 'Download')}
                </Button>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
