// Using the money (rules.md §5.1, §5.2): a one-off rent withdrawal for rent paid or a standing monthly
// rent order, a free withdrawal of any part of the balance, or closing the account with a preview of
// interest and the deposit subsidy first. Every refusal comes back coded and is shown as sent.
import { useCallback, useRef, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Result,
  Switch,
  Tabs,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { Link } from 'react-router';
import { api, download } from '../../lib/api.ts';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { newIdempotencyKey } from '../../lib/idempotency.ts';
import { useLang } from '../../lib/i18n.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useApi } from '../../lib/useApi.ts';
import { useSubmit } from '../../lib/useSubmit.ts';
import { amountRules } from '../../lib/validators.ts';
import { flexibleAccount, useMe, type MyAccount } from '../me.ts';
import { Screen } from './Screen.tsx';

interface WithdrawalResult {
  withdrawalId?: string;
  rentOrderId?: string;
  status?: string;
  amount?: string;
  total?: string;
  principal?: string;
  interest?: string;
  subsidy?: string;
  reviewReasons?: { code?: string; message_zh?: string; message_en?: string }[] | string[];
  replayed?: boolean;
}

function useKey(prefix: string) {
  const ref = useRef<{ what: string; key: string }>(undefined);
  return (what: string) => {
    if (ref.current?.what !== what) ref.current = { what, key: newIdempotencyKey(prefix) };
    return ref.current.key;
  };
}

function Outcome({ result }: { result: WithdrawalResult }) {
  const { t } = useLang();
  const waiting = result.status === 'pending_review';
  return (
    <Result
      status={waiting ? 'info' : 'success'}
      title={
        waiting
          ? t('已提交，等待中心复核', 'Submitted: waiting for the center’s review')
          : t('已受理，款项将转入您的银行卡', 'Done: the money goes to your bank card')
      }
      subTitle={[
        result.amount && `${t('金额', 'Amount')} ${formatYuan(result.amount)}`,
        result.total && `${t('合计', 'Total')} ${formatYuan(result.total)}`,
      ]
        .filter(Boolean)
        .join(' · ')}
      extra={
        result.rentOrderId ? (
          <Link to="/portal/rent-orders">{t('查看按月租房提取', 'See my monthly rent orders')}</Link>
        ) : (
          <Link to="/portal">{t('返回首页', 'Back to my account')}</Link>
        )
      }
    />
  );
}

interface LeaseForm {
  amount: string;
  monthly: boolean;
  payDay?: number;
  landlordName: string;
  leaseAddress: string;
  leaseRange: [Dayjs, Dayjs];
  monthlyRent: string;
  contractNo: string;
  publicRental?: boolean;
  declaredNoHousing: boolean;
}

function Rent({ account }: { account: MyAccount }) {
  const { t } = useLang();
  const [form] = Form.useForm<LeaseForm>();
  const monthly = Form.useWatch('monthly', form);
  const key = useKey('rent');
  const run = useSubmit(
    useCallback(
      (v: LeaseForm) => {
        const lease = {
          landlordName: v.landlordName.trim(),
          leaseAddress: v.leaseAddress.trim(),
          leaseStart: v.leaseRange[0].format('YYYY-MM-DD'),
          leaseEnd: v.leaseRange[1].format('YYYY-MM-DD'),
          monthlyRent: v.monthlyRent.trim(),
          contractNo: v.contractNo.trim(),
          ...(v.publicRental ? { publicRental: true } : {}),
        };
        const what = JSON.stringify([v.monthly, v.amount, v.payDay, lease]);
        return v.monthly
          ? api<WithdrawalResult>('POST', `/accounts/${account.accountId}/rent-orders`, {
              as: 'depositor',
              body: {
                monthlyAmount: v.amount.trim(),
                payDay: v.payDay,
                idempotencyKey: key(what),
                declaredNoHousing: v.declaredNoHousing,
                lease,
              },
            })
          : api<WithdrawalResult>('POST', `/accounts/${account.accountId}/withdrawals/rent`, {
              as: 'depositor',
              body: {
                amount: v.amount.trim(),
                idempotencyKey: key(what),
                declaredNoHousing: v.declaredNoHousing,
                lease,
              },
            });
      },
      [account.accountId],
    ),
  );
  if (run.result) return <Outcome result={run.result} />;
  return (
    <Form<LeaseForm>
      name="rent"
      form={form}
      layout="vertical"
      initialValues={{ monthly: false, payDay: 10 }}
      onFinish={run.submit}
    >
      <Form.Item
        name="monthly"
        label={t('按月提取（每月自动转入）', 'Every month (standing order)')}
        valuePropName="checked"
      >
        <Switch />
      </Form.Item>
      {monthly && (
        <Alert
          type="info"
          style={{ marginBottom: 12 }}
          title={
            <Link to="/portal/rent-orders">
              {t('查看或停止已设立的按月提取', 'See or stop the monthly orders you have')}
            </Link>
          }
        />
      )}
      <Form.Item
        name="amount"
        label={
          monthly
            ? t('每月提取金额（元）', 'Monthly amount (yuan)')
            : t('提取金额（已付房租，元）', 'Amount (rent paid, yuan)')
        }
        rules={amountRules(t)}
      >
        <Input inputMode="decimal" />
      </Form.Item>
      {monthly && (
        <Form.Item
          name="payDay"
          label={t('每月转账日（1–28）', 'Pay day (1–28)')}
          rules={[
            { required: true, type: 'integer', min: 1, max: 28, message: t('1–28 之间', 'Between 1 and 28') },
          ]}
        >
          <InputNumber min={1} max={28} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      )}
      <Form.Item
        name="landlordName"
        label={t('出租人', 'Landlord')}
        rules={[{ required: true, whitespace: true, message: t('请填写出租人', 'Enter the landlord') }]}
      >
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item
        name="leaseAddress"
        label={t('租赁房屋地址', 'Address rented')}
        rules={[{ required: true, whitespace: true, message: t('请填写地址', 'Enter the address') }]}
      >
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item
        name="leaseRange"
        label={t('租期', 'Lease period')}
        rules={[{ required: true, message: t('请选择租期', 'Pick the lease period') }]}
      >
        <DatePicker.RangePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="monthlyRent" label={t('月租金（元）', 'Monthly rent (yuan)')} rules={amountRules(t)}>
        <Input inputMode="decimal" />
      </Form.Item>
      <Form.Item
        name="contractNo"
        label={t('租赁合同编号', 'Lease contract number')}
        rules={[
          { required: true, whitespace: true, message: t('请填写合同编号', 'Enter the contract number') },
        ]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="publicRental" valuePropName="checked">
        <Checkbox>{t('公租房（按实际租金提取）', 'Public rental housing (actual rent)')}</Checkbox>
      </Form.Item>
      <Form.Item
        name="declaredNoHousing"
        valuePropName="checked"
        rules={[
          {
            validator: async (_r, v) => {
              if (!v) throw new Error(t('须声明', 'Required'));
            },
          },
        ]}
      >
        <Checkbox>
          {t('本人及配偶在本市无自有住房', 'Neither I nor my spouse owns a home in the city')}
        </Checkbox>
      </Form.Item>
      <ErrorAlert error={run.error} />
      <Button type="primary" htmlType="submit" block loading={run.sending}>
        {t('提交租房提取', 'Submit')}
      </Button>
    </Form>
  );
}

function Free({ account }: { account: MyAccount }) {
  const { t } = useLang();
  const key = useKey('free');
  const run = useSubmit(
    useCallback(
      (v: { amount: string }) =>
        api<WithdrawalResult>('POST', `/accounts/${account.accountId}/withdrawals/free`, {
          as: 'depositor',
          body: { amount: v.amount.trim(), idempotencyKey: key(v.amount.trim()) },
        }),
      [account.accountId],
    ),
  );
  if (run.result) return <Outcome result={run.result} />;
  return (
    <Form name="free" layout="vertical" onFinish={run.submit}>
      <Alert
        type="info"
        style={{ marginBottom: 12 }}
        title={t(
          '连续缴存满 6 个月、无未还清贷款即可随时提取，不限用途。',
          'After 6 consecutive covered months and with no loan outstanding, withdraw any part at any time.',
        )}
      />
      <Form.Item
        name="amount"
        label={t('提取金额（元）', 'Amount (yuan)')}
        rules={amountRules(t, { max: account.balance })}
        extra={t(`可用余额 ${formatYuan(account.balance)}`, `Balance ${formatYuan(account.balance)}`)}
      >
        <Input inputMode="decimal" />
      </Form.Item>
      <ErrorAlert error={run.error} />
      <Button type="primary" htmlType="submit" block loading={run.sending}>
        {t('提交提取', 'Withdraw')}
      </Button>
    </Form>
  );
}

interface SubsidyPreview {
  closureDate: string;
  eligible: boolean;
  reasons: { code: string; message_zh: string; message_en: string }[];
  subsidy: string;
  ratePct: string;
  remainingCap: string;
  firstDepositDate: string | null;
  oneYearOn: string | null;
}

function Closure({ account }: { account: MyAccount }) {
  const { t, lang } = useLang();
  const preview = useApi(
    (signal) =>
      api<SubsidyPreview>('GET', `/accounts/${account.accountId}/subsidy-preview`, {
        as: 'depositor',
        signal,
      }),
    [account.accountId],
  );
  const [key] = useState(() => newIdempotencyKey('close'));
  const [downloadError, setDownloadError] = useState<unknown>();
  const run = useSubmit(
    useCallback(
      () =>
        api<WithdrawalResult>('POST', `/accounts/${account.accountId}/closure`, {
          as: 'depositor',
          body: { idempotencyKey: key },
        }),
      [account.accountId, key],
    ),
  );
  if (run.result)
    return (
      <>
        <Outcome result={run.result} />
        {run.result.status === 'closed' && run.result.withdrawalId && (
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('本金', 'Principal')}>
              {formatYuan(run.result.principal)}
            </Descriptions.Item>
            <Descriptions.Item label={t('利息', 'Interest')}>
              {formatYuan(run.result.interest)}
            </Descriptions.Item>
            <Descriptions.Item label={t('缴存补贴', 'Subsidy')}>
              {formatYuan(run.result.subsidy)}
            </Descriptions.Item>
            <Descriptions.Item label={t('销户证明', 'Closure certificate')}>
              <Button
                onClick={() =>
                  download(
                    `/withdrawals/${run.result?.withdrawalId}/closure-certificate.pdf`,
                    'depositor',
                    `closure-${run.result?.withdrawalId}.pdf`,
                  ).catch(setDownloadError)
                }
              >
                {t('下载 PDF', 'Download PDF')}
              </Button>
              <ErrorAlert error={downloadError} />
            </Descriptions.Item>
          </Descriptions>
        )}
      </>
    );
  return (
    <div>
      <ErrorAlert error={preview.error} />
      {preview.data && (
        <Card
          size="small"
          title={t(`若于 ${preview.data.closureDate} 销户`, `If closed on ${preview.data.closureDate}`)}
          style={{ marginBottom: 12 }}
        >
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('账户余额', 'Balance')}>
              {formatYuan(account.balance)}
            </Descriptions.Item>
            <Descriptions.Item label={t('缴存补贴', 'Deposit subsidy')}>
              <strong>{formatYuan(preview.data.subsidy)}</strong>
            </Descriptions.Item>
            <Descriptions.Item label={t('补贴年率', 'Subsidy rate')}>
              {preview.data.ratePct}%
            </Descriptions.Item>
            {preview.data.oneYearOn && (
              <Descriptions.Item label={t('满一年日期', 'One year on')}>
                {preview.data.oneYearOn}
              </Descriptions.Item>
            )}
          </Descriptions>
          {!preview.data.eligible && (
            <Alert
              type="warning"
              showIcon
              title={t('目前不能获得缴存补贴', 'No subsidy if you close now')}
              description={preview.data.reasons.map((r) => (
                <div key={r.code}>{lang === 'zh' ? r.message_zh : r.message_en}</div>
              ))}
            />
          )}
          <p style={{ marginTop: 8, color: '#888' }}>
            {t('另付截至销户日的利息。', 'Interest up to the closing day is paid as well.')}
          </p>
        </Card>
      )}
      <ErrorAlert error={run.error} />
      <Popconfirm
        title={t('确认销户？销户后账户不能再缴存。', 'Close the account? No more deposits after this.')}
        okText={t('确认销户', 'Close it')}
        cancelText={t('取消', 'Cancel')}
        onConfirm={() => void run.submit()}
      >
        <Button danger block loading={run.sending || preview.loading}>
          {t('销户提取', 'Close the account and withdraw all')}
        </Button>
      </Popconfirm>
    </div>
  );
}

export default function Withdraw() {
  const { t } = useLang();
  const me = useMe();
  const account = flexibleAccount(me.data);
  const open = account && account.closedOn === null;
  return (
    <Screen title={t('提取', 'Withdraw')} loading={me.loading && !me.data} error={me.error}>
      {me.data && !open && <Empty description={t('没有可提取的账户', 'No open account')} />}
      {account && open && (
        <Card>
          <Tabs
            items={[
              { key: 'rent', label: t('租房', 'Rent'), children: <Rent account={account} /> },
              { key: 'free', label: t('灵活提取', 'Free'), children: <Free account={account} /> },
              { key: 'close', label: t('销户', 'Close'), children: <Closure account={account} /> },
            ]}
          />
        </Card>
      )}
    </Screen>
  );
}
