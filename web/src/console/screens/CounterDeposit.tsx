// Counter deposit (柜面缴存): find the account, check the limits and the year's room, enter the amount,
// confirm, and print the receipt. One client key per deposit, kept across a retry, so a double click or a
// lost answer never credits twice.
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button, Card, Descriptions, Form, Input, Modal, Radio, Result, Space, Typography } from 'antd';
import { useLang } from '../../lib/i18n.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { formatYuan } from '../../lib/money.ts';
import { call, newIdempotencyKey } from '../call.ts';
import { Page } from '../Page.tsx';
import { AccountPicker, type PickedAccount } from '../AccountPicker.tsx';
import { labelOf, useReference } from '../reference.ts';
import { yuanRule } from '../validation.ts';

interface Position {
  accountId: string;
  accountNumber: string;
  businessDate: string;
  consecutiveMonths: number;
  limits: { lower: string; upper: string };
  hpfYear: number;
  paidThisHpfYear: string;
  annualRoom: string;
  periods?: Array<{
    periodId: string;
    periodStart: string;
    months: number;
    amount: string;
    dueDate: string;
    status: 'due' | 'paid' | 'missed' | 'cancelled';
    catchUpAllowed: boolean;
  }>;
}

interface Credited {
  depositId: string;
  accountId: string;
  amount: string;
  valueDate: string;
  months: string[];
  replayed: boolean;
}

export default function CounterDeposit() {
  const { t, lang } = useLang();
  const reference = useReference();
  const [params] = useSearchParams();
  const [form] = Form.useForm<{ amount: string }>();
  const [account, setAccount] = useState<PickedAccount | null>(null);
  const [position, setPosition] = useState<Position>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<string>();
  const [receipt, setReceipt] = useState<Credited>();
  const [key, setKey] = useState(() => newIdempotencyKey('counter'));
  const [periodId, setPeriodId] = useState<string>();
  const presetAccount = params.get('account');
  // A periodic plan (monthly, quarterly, annual) is paid period by period; a flexible plan takes any amount.
  const openPeriods = (position?.periods ?? []).filter(
    (p) => p.status === 'due' || (p.status === 'missed' && p.catchUpAllowed),
  );

  // An account passed in the address (from registration or the profile): load its position directly.
  useEffect(() => {
    setReceipt(undefined);
    if (!presetAccount) {
      setPosition(undefined);
      setAccount(null);
      return;
    }
    call<Position>('GET', `/accounts/${presetAccount}/deposit-plan`)
      .then((p) => {
        setPosition(p);
        setAccount({
          accountId: p.accountId,
          accountNumber: p.accountNumber,
          name: '',
          state: '01',
          balance: '',
        });
      })
      .catch(setError);
  }, [presetAccount]);

  const pick = (picked: PickedAccount | null) => {
    setAccount(picked);
    setPosition(undefined);
    setPeriodId(undefined);
    setReceipt(undefined);
    setError(undefined);
    if (picked)
      call<Position>('GET', `/accounts/${picked.accountId}/deposit-plan`).then(setPosition).catch(setError);
  };

  const submit = async () => {
    if (!account || !confirming) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = await call<Credited>('POST', `/accounts/${account.accountId}/deposits`, {
        amount: confirming,
        idempotencyKey: key,
        ...(periodId ? { periodId } : {}),
      });
      setPeriodId(undefined);
      setReceipt(result);
      setConfirming(undefined);
      setKey(newIdempotencyKey('counter'));
      form.resetFields();
      setPosition(await call<Position>('GET', `/accounts/${account.accountId}/deposit-plan`));
      window.dispatchEvent(new Event('anju:business-date'));
    } catch (e) {
      setError(e);
      setConfirming(undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('柜面缴存', 'Counter deposit')}>
      <Card style={{ marginBottom: 16 }}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <label htmlFor="deposit-account">
            <Typography.Text strong>{t('缴存账户', 'Account')}</Typography.Text>
          </label>
          {presetAccount ? (
            <Link to="/console/deposit">{t('选择其他账户', 'Choose another account')}</Link>
          ) : (
            <AccountPicker id="deposit-account" onPick={pick} />
          )}
          {position && (
            <Descriptions
              size="small"
              bordered
              column={{ xs: 1, md: 3 }}
              items={[
                { label: t('账号', 'Account'), children: position.accountNumber },
                ...(account?.name ? [{ label: t('姓名', 'Name'), children: account.name }] : []),
                ...(account?.state && account.balance
                  ? [
                      {
                        label: t('状态 / 余额', 'State / balance'),
                        children: `${labelOf(reference.data?.accountStates, account.state, lang)} · ${formatYuan(account.balance)}`,
                      },
                    ]
                  : []),
                {
                  label: t('月缴存上下限', 'Monthly limits'),
                  children: `${formatYuan(position.limits.lower)} – ${formatYuan(position.limits.upper)}`,
                },
                {
                  label: t(`${position.hpfYear} 年度已缴`, `Paid in HPF year ${position.hpfYear}`),
                  children: formatYuan(position.paidThisHpfYear),
                },
                { label: t('本年度尚可缴存', 'Room this year'), children: formatYuan(position.annualRoom) },
                { label: t('连续缴存月数', 'Consecutive months'), children: position.consecutiveMonths },
              ]}
            />
          )}
        </Space>
      </Card>
      <ErrorAlert error={error} />
      {receipt && (
        <Result
          status="success"
          title={t('缴存成功', 'Deposit recorded')}
          subTitle={`${formatYuan(receipt.amount)} · ${t('起息日', 'value date')} ${receipt.valueDate} · ${t('凭证号', 'no.')} ${receipt.depositId}`}
          extra={
            receipt.months.length > 0 && (
              <Typography.Text>
                {t('计入月份', 'Months covered')}: {receipt.months.join(', ')}
              </Typography.Text>
            )
          }
        />
      )}
      {openPeriods.length > 0 && (
        <Card title={t('待缴期次', 'Periods due')} style={{ marginBottom: 16 }}>
          <Radio.Group
            value={periodId}
            onChange={(e) => {
              const chosen = openPeriods.find((p) => p.periodId === e.target.value);
              setPeriodId(chosen?.periodId);
              if (chosen) form.setFieldsValue({ amount: chosen.amount });
              setKey(newIdempotencyKey('counter'));
            }}
            options={openPeriods.map((p) => ({
              value: p.periodId,
              label: `${p.periodStart} · ${p.months} ${t('个月', 'month(s)')} · ${formatYuan(p.amount)} · ${t('应缴日', 'due')} ${p.dueDate}`,
            }))}
            style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
          />
        </Card>
      )}
      <Card title={t('缴存金额', 'Amount')}>
        <Form
          form={form}
          name="counter-deposit"
          layout="inline"
          onFinish={(v) => setConfirming(v.amount.trim())}
          disabled={!position}
        >
          <Form.Item
            name="amount"
            label={t('金额（元）', 'Amount (yuan)')}
            rules={[
              { required: true, message: t('请输入金额', 'Enter the amount') },
              yuanRule(t('金额应大于 0，最多两位小数', 'A positive amount with at most two decimals')),
            ]}
          >
            <Input
              prefix="¥"
              inputMode="decimal"
              style={{ width: 200 }}
              onChange={() => setKey(newIdempotencyKey('counter'))}
            />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit">
              {t('提交', 'Submit')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <Modal
        open={confirming !== undefined}
        title={t('确认缴存', 'Confirm the deposit')}
        okText={t('确认入账', 'Record')}
        cancelText={t('取消', 'Cancel')}
        confirmLoading={busy}
        onOk={() => void submit()}
        onCancel={() => setConfirming(undefined)}
      >
        <Descriptions
          column={1}
          items={[
            { label: t('账号', 'Account'), children: position?.accountNumber },
            { label: t('金额', 'Amount'), children: <strong>{formatYuan(confirming)}</strong> },
          ]}
        />
      </Modal>
    </Page>
  );
}
