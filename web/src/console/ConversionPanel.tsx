// Identity conversion (身份转换, rules.md §5.3) on the depositor's page. A flexible account moves into the
// person's unit account (chosen from their unit accounts); a sealed unit account moves into a new flexible
// account under the signed agreement (prepared and signed here when missing). First what would move today
// (balance, interest to date, months carried, what ends, the subsidy forfeited) and every reason it would
// be refused; then the confirmation; then the result. One client key per intent, so a retry answers the
// first result.
import { useCallback, useState } from 'react';
import { Alert, Button, Card, Descriptions, Popconfirm, Result, Select, Space, Typography } from 'antd';
import { SwapOutlined } from '@ant-design/icons';
import { ErrorAlert } from '../lib/ErrorAlert.tsx';
import { useLang } from '../lib/i18n.tsx';
import { formatYuan } from '../lib/money.ts';
import { useApi } from '../lib/useApi.ts';
import { useSubmit } from '../lib/useSubmit.ts';
import { call, query } from './call.ts';
import { ConversionAgreement } from './ConversionAgreement.tsx';
import { useIntentKey } from '../lib/intent-key.ts';
import { labelOf, useReference } from './reference.ts';
import { useStaff } from './staff.tsx';

export interface ConversionAccount {
  accountId: string;
  accountNumber: string;
  kind: string;
  state: string;
  balance: string;
}

interface Blocker {
  code: string;
  field?: string;
  message_zh: string;
  message_en: string;
}

interface ConversionPreview {
  direction: 'to_unit' | 'to_flexible';
  businessDate: string;
  from: { accountId: string; accountNumber: string; state: string; balance: string };
  to: {
    accountId: string;
    accountNumber: string;
    state: string;
    balance: string;
    employer: { employerId: string; code: string; name: string } | null;
  } | null;
  principal: string;
  interest: string;
  amount: string;
  monthsCarried: number;
  coveredMonthsCarried: number;
  agreementNumber: string | null;
  periodsCancelled: number;
  paymentOrdersCancelled: number;
  rentOrdersEnded: number;
  subsidyForfeited: boolean;
  subsidyForfeitedAmount: string;
  blockers: Blocker[];
}

interface ConversionResult {
  conversionId: string;
  direction: 'to_unit' | 'to_flexible';
  fromAccountNumber: string;
  toAccountNumber: string;
  principal: string;
  interest: string;
  amount: string;
  monthsCarried: number;
  coveredMonthsCarried: number;
  agreementNumber: string | null;
  periodsCancelled: number;
  subsidyForfeited: boolean;
  subsidyForfeitedAmount: string;
  businessDate: string;
  replayed: boolean;
}

interface UnitAccountChoice {
  accountId: string;
  accountNumber: string;
  state: string;
  balance: string;
  employer: { employerId: string; code: string; name: string } | null;
}

function PreviewFacts({ preview }: { preview: ConversionPreview }) {
  const { t } = useLang();
  const toUnit = preview.direction === 'to_unit';
  return (
    <Descriptions
      data-testid="conversion-preview"
      size="small"
      bordered
      column={{ xs: 1, md: 2 }}
      style={{ marginBottom: 12 }}
      items={[
        {
          label: t('转出账户', 'From'),
          children: preview.from.accountNumber,
        },
        {
          label: t('转入账户', 'Into'),
          children: preview.to
            ? `${preview.to.accountNumber}${preview.to.employer ? ` · ${preview.to.employer.name}` : ''}`
            : t('开立新的灵活就业账户', 'A new flexible account'),
        },
        { label: t('账户余额', 'Balance'), children: formatYuan(preview.principal) },
        {
          label: t(
            `利息（计至 ${preview.businessDate} 前一日）`,
            `Interest (to the day before ${preview.businessDate})`,
          ),
          children: formatYuan(preview.interest),
        },
        {
          label: t('转移金额', 'Amount moved'),
          children: <strong>{formatYuan(preview.amount)}</strong>,
        },
        {
          label: t('结转缴存月数（其中已缴足）', 'Months carried (covered)'),
          children: `${preview.monthsCarried} (${preview.coveredMonthsCarried})`,
        },
        {
          label: toUnit ? t('终止的协议', 'Agreement ended') : t('新账户所用协议', 'Agreement used'),
          children: preview.agreementNumber ?? '—',
        },
        ...(toUnit
          ? [
              {
                label: t(
                  '取消的待缴期次 / 缴款单 / 租房委托',
                  'Periods / payment orders / rent orders ended',
                ),
                children: `${preview.periodsCancelled} / ${preview.paymentOrdersCancelled} / ${preview.rentOrdersEnded}`,
              },
              {
                label: t('放弃的缴存补贴', 'Subsidy forfeited'),
                children: (
                  <Typography.Text type="warning">
                    {formatYuan(preview.subsidyForfeitedAmount)}
                  </Typography.Text>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

function Blockers({ blockers }: { blockers: Blocker[] }) {
  const { t, lang } = useLang();
  if (blockers.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 12 }}
      title={t('目前不能转换', 'Cannot be converted now')}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {blockers.map((b, i) => (
            <li key={`${b.code}-${i}`}>{lang === 'en' ? b.message_en : b.message_zh}</li>
          ))}
        </ul>
      }
    />
  );
}

function ConversionOutcome({ result }: { result: ConversionResult }) {
  const { t } = useLang();
  return (
    <div data-testid="conversion-result">
      <Result
        status="success"
        title={t('身份转换已完成', 'Conversion done')}
        subTitle={`${result.fromAccountNumber} → ${result.toAccountNumber} · ${formatYuan(result.amount)} · ${t('转换编号', 'no.')} ${result.conversionId}${
          result.replayed ? ` · ${t('重复提交，返回首次结果', 'Repeat: the first result')}` : ''
        }`}
      />
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2 }}
        items={[
          { label: t('本金', 'Principal'), children: formatYuan(result.principal) },
          { label: t('利息', 'Interest'), children: formatYuan(result.interest) },
          {
            label: t('结转月数（已缴足）', 'Months carried (covered)'),
            children: `${result.monthsCarried} (${result.coveredMonthsCarried})`,
          },
          { label: t('协议', 'Agreement'), children: result.agreementNumber ?? '—' },
          ...(result.direction === 'to_unit'
            ? [
                { label: t('取消的待缴期次', 'Periods cancelled'), children: result.periodsCancelled },
                {
                  label: t('放弃的缴存补贴', 'Subsidy forfeited'),
                  children: formatYuan(result.subsidyForfeitedAmount),
                },
              ]
            : []),
          { label: t('会计日期', 'Business date'), children: result.businessDate },
        ]}
      />
    </div>
  );
}

function ToUnit({
  account,
  open,
  onConverted,
}: {
  account: ConversionAccount;
  /** The person's unit accounts in normal state (at least one). */
  open: UnitAccountChoice[];
  onConverted: (result: ConversionResult) => void;
}) {
  const { t, lang } = useLang();
  const reference = useReference();
  const [target, setTarget] = useState<string>();
  const key = useIntentKey('conversion-to-unit');
  const preview = useApi(
    (signal) =>
      target
        ? call<ConversionPreview>(
            'GET',
            `/accounts/${account.accountId}/conversion-to-unit/preview` + query({ unitAccountId: target }),
            undefined,
            signal,
          )
        : Promise.resolve(undefined),
    [account.accountId, target, account.balance],
  );
  const run = useSubmit(
    useCallback(
      (unitAccountId: string, idempotencyKey: string) =>
        call<ConversionResult>('POST', `/accounts/${account.accountId}/conversion-to-unit`, {
          unitAccountId,
          idempotencyKey,
        }),
      [account.accountId],
    ),
  );
  const p = preview.data;
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <label htmlFor={`conversion-target-${account.accountId}`}>
          {t('转入单位账户', 'Into unit account')}
        </label>
        <Select
          id={`conversion-target-${account.accountId}`}
          aria-label={t('转入单位账户', 'Into unit account')}
          style={{ width: 420 }}
          placeholder={t('选择单位账户', 'Choose the unit account')}
          value={target}
          onChange={(v: string) => {
            run.reset();
            setTarget(v);
          }}
          options={open.map((u) => ({
            value: u.accountId,
            label: `${u.accountNumber} · ${u.employer?.name ?? '—'} · ${labelOf(reference.data?.accountStates, u.state, lang)}`,
          }))}
        />
      </Space>
      <ErrorAlert error={preview.error ?? run.error} />
      {p && (
        <>
          <PreviewFacts preview={p} />
          <Blockers blockers={p.blockers} />
          <ConvertButton
            description={t(
              `${formatYuan(p.amount)} 转入单位账户 ${p.to?.accountNumber ?? ''}，灵活就业账户随即终止，缴存补贴不再发放。`,
              `${formatYuan(p.amount)} moves into unit account ${p.to?.accountNumber ?? ''}; the flexible account ends and no deposit subsidy is paid.`,
            )}
            label={t('转为单位账户', 'Convert to the unit account')}
            disabled={p.blockers.length > 0 || preview.loading}
            sending={run.sending}
            onConfirm={async () => {
              if (!target) return;
              const done = await run.submit(target, key.keyFor(target));
              if (done) {
                key.done();
                onConverted(done);
              }
            }}
          />
        </>
      )}
    </>
  );
}

function ToFlexible({
  account,
  depositorId,
  depositorName,
  onConverted,
}: {
  account: ConversionAccount;
  depositorId: string;
  depositorName: string;
  onConverted: (result: ConversionResult) => void;
}) {
  const { t } = useLang();
  const key = useIntentKey('conversion-to-flexible');
  const preview = useApi(
    (signal) =>
      call<ConversionPreview>(
        'GET',
        `/unit-accounts/${account.accountId}/conversion-to-flexible/preview`,
        undefined,
        signal,
      ),
    [account.accountId, account.balance],
  );
  const run = useSubmit(
    useCallback(
      (idempotencyKey: string) =>
        call<ConversionResult>('POST', `/unit-accounts/${account.accountId}/conversion-to-flexible`, {
          idempotencyKey,
        }),
      [account.accountId],
    ),
  );
  const p = preview.data;
  if (!p) return <ErrorAlert error={preview.error} />;
  return (
    <>
      <ErrorAlert error={run.error} />
      <PreviewFacts preview={p} />
      <Blockers blockers={p.blockers} />
      {p.blockers.some((b) => b.code === 'CONVERSION_AGREEMENT_REQUIRED') && (
        <Card
          size="small"
          type="inner"
          title={t('签订灵活就业缴存协议', 'Sign the flexible deposit agreement')}
          style={{ marginBottom: 12 }}
        >
          <ConversionAgreement
            depositorId={depositorId}
            depositorName={depositorName}
            onSigned={preview.reload}
          />
        </Card>
      )}
      <ConvertButton
        description={t(
          `${formatYuan(p.amount)} 转入新开的灵活就业账户，单位账户随即终止。`,
          `${formatYuan(p.amount)} moves into a new flexible account; the unit account ends.`,
        )}
        label={t('转为灵活就业账户', 'Convert to a flexible account')}
        disabled={p.blockers.length > 0 || preview.loading}
        sending={run.sending}
        onConfirm={async () => {
          const done = await run.submit(key.keyFor(account.accountId));
          if (done) {
            key.done();
            onConverted(done);
          }
        }}
      />
    </>
  );
}

/** The convert button, asking first what will happen (the money moving, the old account ending). */
function ConvertButton({
  description,
  label,
  disabled,
  sending,
  onConfirm,
}: {
  description: string;
  label: string;
  disabled: boolean;
  sending: boolean;
  onConfirm: () => Promise<void>;
}) {
  const { t } = useLang();
  return (
    <Popconfirm
      title={t('确认转换？', 'Convert now?')}
      description={description}
      okText={t('确认转换', 'Convert')}
      cancelText={t('取消', 'Cancel')}
      onConfirm={onConfirm}
    >
      <Button type="primary" icon={<SwapOutlined />} loading={sending} disabled={disabled}>
        {label}
      </Button>
    </Popconfirm>
  );
}

/**
 * The conversion card of one account on the depositor's page, for counter staff: on a flexible account in
 * normal or sealed state once the person has a unit account in normal state (opened by their unit's file),
 * and on a sealed unit account. The result stays shown after the page reloads the (now ended) account.
 */
export function ConversionPanel({
  account,
  depositorId,
  depositorName,
  onChanged,
}: {
  account: ConversionAccount;
  depositorId: string;
  /** Signs the agreement a unit → flexible conversion needs (prefilled as the signer). */
  depositorName: string;
  onChanged: () => void;
}) {
  const { t } = useLang();
  const { hasRole } = useStaff();
  const [result, setResult] = useState<ConversionResult>();
  const counter = hasRole('teller', 'manager', 'admin');
  const toUnit = counter && account.kind === 'flexible' && (account.state === '01' || account.state === '02');
  const toFlexible = counter && account.kind === 'unit' && account.state === '02';
  const units = useApi(
    (signal) =>
      toUnit
        ? call<{ items: UnitAccountChoice[] }>(
            'GET',
            `/depositors/${depositorId}/unit-accounts`,
            undefined,
            signal,
          )
        : Promise.resolve({ items: [] }),
    [depositorId, toUnit],
  );
  const open = (units.data?.items ?? []).filter((u) => u.state === '01');
  if (!counter) return null;
  if (units.error && toUnit) return <ErrorAlert error={units.error} />;
  // Nothing to convert into yet: the card appears once the person's unit opened their account.
  if (!result && !(toUnit && open.length > 0) && !toFlexible) return null;
  const converted = (r: ConversionResult) => {
    setResult(r);
    onChanged();
  };
  return (
    <Card
      size="small"
      title={
        (result ? result.direction === 'to_unit' : toUnit)
          ? t('身份转换：灵活就业 → 单位', 'Conversion: flexible → unit')
          : t('身份转换：单位 → 灵活就业', 'Conversion: unit → flexible')
      }
      style={{ marginBottom: 16 }}
    >
      {result ? (
        <ConversionOutcome result={result} />
      ) : toUnit && open.length > 0 ? (
        <ToUnit account={account} open={open} onConverted={converted} />
      ) : (
        <ToFlexible
          account={account}
          depositorId={depositorId}
          depositorName={depositorName}
          onConverted={converted}
        />
      )}
    </Card>
  );
}
