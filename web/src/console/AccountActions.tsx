// Counter actions on one account (rules.md §5): seal/unseal and judicial freeze/unfreeze, a free
// withdrawal, a one-off rent withdrawal with the lease, and closure with the subsidy preview first and the
// closure certificate after. Every money command carries one idempotency key per intent, so a retry of the
// same submission answers the first result. The tax-deduction certificate is per depositor and per year.
import { useCallback, useRef, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  DatePicker,
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
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { download } from '../lib/api.ts';
import { ErrorAlert } from '../lib/ErrorAlert.tsx';
import { newIdempotencyKey } from '../lib/idempotency.ts';
import { useLang } from '../lib/i18n.tsx';
import { formatYuan } from '../lib/money.ts';
import { useSubmit } from '../lib/useSubmit.ts';
import { amountRules, requiredRule } from '../lib/validators.ts';
import { call } from './call.ts';
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

/** One key per intent: the same values reuse the key (a retry), other values or a success get a new one. */
function useIntentKey(prefix: string) {
  const ref = useRef<{ what: string; key: string }>(undefined);
  const keyFor = useCallback(
    (what: string) => {
      if (ref.current?.what !== what) ref.current = { what, key: newIdempotencyKey(prefix) };
      return ref.current.key;
    },
    [prefix],
  );
  const done = useCallback(() => {
    ref.current = undefined;
  }, []);
  return { keyFor, done };
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

interface RentValues {
  amount: string;
  landlordName: string;
  leaseAddress: string;
  contractNo: string;
  period: [Dayjs, Dayjs];
  monthlyRent: string;
  publicRental?: boolean;
  declaredNoHousing?: boolean;
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
        const intent = {
          amount: String(v.amount).trim(),
          declaredNoHousing: true,
          lease: {
            landlordName: v.landlordName.trim(),
            leaseAddress: v.leaseAddress.trim(),
            leaseStart: v.period[0].format('YYYY-MM-DD'),
            leaseEnd: v.period[1].format('YYYY-MM-DD'),
            monthlyRent: String(v.monthlyRent).trim(),
            contractNo: v.contractNo.trim(),
            publicRental: v.publicRental ?? false,
          },
        };
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
      <Form.Item
        name="landlordName"
        label={t('出租人', 'Landlord')}
        rules={[requiredRule(t, '出租人', 'the landlord'), { max: 200 }]}
      >
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item
        name="leaseAddress"
        label={t('租赁地址', 'Address')}
        rules={[requiredRule(t, '租赁地址', 'the address'), { max: 200 }]}
      >
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item
        name="contractNo"
        label={t('合同编号', 'Contract number')}
        rules={[requiredRule(t, '合同编号', 'the contract number'), { max: 100 }]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item
        name="period"
        label={t('租期', 'Lease period')}
        rules={[
          { required: true, message: t('请选择租期', 'Choose the lease period') },
          {
            validator: async (_r, value: [Dayjs, Dayjs] | undefined) => {
              if (value && !value[1].isAfter(value[0]))
                throw new Error(t('结束日须晚于开始日', 'The end must be after the start'));
            },
          },
        ]}
      >
        <DatePicker.RangePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item
        name="monthlyRent"
        label={t('月租金', 'Monthly rent')}
        rules={amountRules(t, { min: '0.01' })}
      >
        <Input inputMode="decimal" suffix={t('元', 'yuan')} />
      </Form.Item>
      <Form.Item name="publicRental" valuePropName="checked">
        <Checkbox>{t('公租房承租人', 'Public-rental tenant')}</Checkbox>
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
        {t('提交租房提取', 'Submit rent withdrawal')}
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
  const { t } = useLang();
  const { hasRole } = useStaff();
  const [downloadError, setDownloadError] = useState<unknown>();
  const run = useSubmit(
    useCallback(
      (year: number) => call<TaxCertificate>('POST', `/depositors/${depositorId}/tax-certificates`, { year }),
      [depositorId],
    ),
  );
  if (!hasRole('teller', 'manager')) return null;
  const c = run.result;
  return (
    <Card title={t('个税扣除缴存证明', 'Tax-deduction certificate')} style={{ marginBottom: 16 }}>
      <ErrorAlert error={run.error ?? downloadError} />
      <Form<{ year: number }>
        layout="inline"
        initialValues={{ year: dayjs().year() - 1 }}
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
              max: 9999,
              message: t('年度为 2000–9999', 'A year from 2000 to 9999'),
            },
          ]}
        >
          <InputNumber min={2000} max={9999} precision={0} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={run.sending}>
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
