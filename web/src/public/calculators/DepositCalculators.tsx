// The interest calculator (rules.md §4.1: balance-days × rate / 360) and the deposit-subsidy calculator
// (§4.2): a few dated amounts in, the result and the deciding rule out.
import { useCallback } from 'react';
import { Button, Checkbox, Col, DatePicker, Descriptions, Form, Input, Row, Space, Alert } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { api } from '../../lib/api.ts';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { useLang } from '../../lib/i18n.tsx';
import { formatYuan } from '../../lib/money.ts';
import { usePolicyFigures } from '../../lib/figures.ts';
import { useSubmit } from '../../lib/useSubmit.ts';
import { amountRules, optionalAmountRules, rateRules } from '../../lib/validators.ts';
import type { InterestResult, SubsidyResult } from './types.ts';

const day = (d: Dayjs) => d.format('YYYY-MM-DD');
const trim = (v: unknown) => String(v ?? '').trim();

interface Movement {
  date: Dayjs;
  amount: string;
}

function MovementList({ name, signed }: { name: string; signed: boolean }) {
  const { t } = useLang();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <div>
          {fields.map((field, index) => (
            <Space key={field.key} align="baseline" wrap style={{ display: 'flex' }}>
              <Form.Item
                name={[field.name, 'date']}
                label={t(`第 ${index + 1} 笔日期`, `Date ${index + 1}`)}
                rules={[{ required: true, message: t('请选择日期', 'Pick a date') }]}
              >
                <DatePicker />
              </Form.Item>
              <Form.Item
                name={[field.name, 'amount']}
                label={
                  signed ? t('金额（取出为负）', 'Amount (negative = out)') : t('金额（元）', 'Amount (yuan)')
                }
                rules={
                  signed
                    ? [
                        { required: true, message: t('请输入金额', 'Enter an amount') },
                        {
                          pattern: /^-?\d{1,12}(\.\d{1,2})?$/,
                          message: t('最多两位小数', 'At most two decimals'),
                        },
                      ]
                    : amountRules(t)
                }
              >
                <Input inputMode="decimal" style={{ width: 140 }} />
              </Form.Item>
              <Button
                onClick={() => remove(field.name)}
                aria-label={t(`删除第 ${index + 1} 笔`, `Remove row ${index + 1}`)}
              >
                {t('删除', 'Remove')}
              </Button>
            </Space>
          ))}
          <Button type="dashed" onClick={() => add()} style={{ marginBottom: 16 }}>
            {signed ? t('添加一笔存取', 'Add a movement') : t('添加一笔缴存', 'Add a deposit')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}

export function InterestCalculator() {
  const { t } = useLang();
  const figures = usePolicyFigures();
  const send = useCallback(
    (v: { range: [Dayjs, Dayjs]; openingBalance?: string; annualRate: string; movements?: Movement[] }) =>
      api<InterestResult>('POST', '/calc/interest', {
        body: {
          from: day(v.range[0]),
          to: day(v.range[1]),
          ...(trim(v.openingBalance) ? { openingBalance: trim(v.openingBalance) } : {}),
          annualRate: trim(v.annualRate),
          movements: (v.movements ?? []).map((m) => ({ date: day(m.date), amount: trim(m.amount) })),
        },
      }),
    [],
  );
  const run = useSubmit(send);
  const rate = figures.value('interest.annual_rate_pct');
  return (
    <div>
      <Form
        name="interest"
        layout="vertical"
        onFinish={run.submit}
        initialValues={{
          range: [dayjs('2024-07-01'), dayjs('2025-06-30')],
          openingBalance: '10000.00',
          annualRate: rate ?? '1.50',
        }}
        key={rate ?? 'default'}
        aria-label={t('利息计算', 'Interest')}
      >
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="range"
              label={t('计息期间（含首尾）', 'Period (both ends included)')}
              rules={[{ required: true, message: t('请选择期间', 'Pick the period') }]}
            >
              <DatePicker.RangePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item
              name="openingBalance"
              label={t('期初余额（元）', 'Opening balance')}
              rules={optionalAmountRules(t)}
            >
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="annualRate" label={t('年利率（%）', 'Annual rate (%)')} rules={rateRules(t)}>
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
        </Row>
        <MovementList name="movements" signed />
        <Button type="primary" htmlType="submit" loading={run.sending}>
          {t('计算利息', 'Calculate interest')}
        </Button>
      </Form>
      <div style={{ marginTop: 16 }} aria-live="polite">
        <ErrorAlert error={run.error} />
        {run.result && (
          <Descriptions bordered size="small" column={1} data-testid="interest-result">
            <Descriptions.Item label={t('积数（元·天）', 'Balance-days (yuan·days)')}>
              {run.result.balanceDays}
            </Descriptions.Item>
            <Descriptions.Item
              label={t('利息 = 积数 × 年利率 ÷ 360', 'Interest = balance-days × rate ÷ 360')}
            >
              <strong>{formatYuan(run.result.interest)}</strong>
            </Descriptions.Item>
          </Descriptions>
        )}
      </div>
    </div>
  );
}

export function SubsidyCalculator() {
  const { t, lang } = useLang();
  const figures = usePolicyFigures();
  const send = useCallback(
    (v: {
      closureDate: Dayjs;
      annualRate: string;
      deposits?: Movement[];
      alreadyPaid?: string;
      used?: string[];
    }) =>
      api<SubsidyResult>('POST', '/calc/subsidy', {
        body: {
          closureDate: day(v.closureDate),
          annualRate: trim(v.annualRate),
          deposits: (v.deposits ?? []).map((m) => ({ date: day(m.date), amount: trim(m.amount) })),
          ...(trim(v.alreadyPaid) ? { alreadyPaid: trim(v.alreadyPaid) } : {}),
          ...(figures.value('subsidy.lifetime_cap') ? { cap: figures.value('subsidy.lifetime_cap') } : {}),
          used: {
            withdrawal: v.used?.includes('withdrawal') ?? false,
            loan: v.used?.includes('loan') ?? false,
            transferOut: v.used?.includes('transferOut') ?? false,
            conversion: v.used?.includes('conversion') ?? false,
          },
        },
      }),
    [figures],
  );
  const run = useSubmit(send);
  const rate = figures.value('subsidy.annual_rate_pct');
  return (
    <div>
      <Form
        name="subsidy"
        layout="vertical"
        onFinish={run.submit}
        key={rate ?? 'default'}
        initialValues={{
          closureDate: dayjs('2025-06-30'),
          annualRate: rate ?? '0.5',
          deposits: [{ date: dayjs('2024-01-15'), amount: '1200.00' }],
        }}
        aria-label={t('缴存补贴计算', 'Deposit subsidy')}
      >
        <Row gutter={12}>
          <Col xs={12}>
            <Form.Item
              name="closureDate"
              label={t('销户日期', 'Closure date')}
              rules={[{ required: true, message: t('请选择日期', 'Pick a date') }]}
            >
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item name="annualRate" label={t('补贴年率（%）', 'Subsidy rate (%)')} rules={rateRules(t)}>
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
        </Row>
        <MovementList name="deposits" signed={false} />
        <Form.Item
          name="alreadyPaid"
          label={t('已领取补贴（元，可选）', 'Subsidy already received (optional)')}
          rules={optionalAmountRules(t)}
        >
          <Input inputMode="decimal" />
        </Form.Item>
        <Form.Item name="used" label={t('账户是否曾使用', 'Has the account been used')}>
          <Checkbox.Group
            options={[
              { value: 'withdrawal', label: t('提取', 'Withdrawal') },
              { value: 'loan', label: t('贷款', 'Loan') },
              { value: 'transferOut', label: t('转出', 'Transfer out') },
              { value: 'conversion', label: t('转为单位缴存', 'Conversion') },
            ]}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={run.sending}>
          {t('计算补贴', 'Calculate the subsidy')}
        </Button>
      </Form>
      <div style={{ marginTop: 16 }} aria-live="polite">
        <ErrorAlert error={run.error} />
        {run.result && (
          <div data-testid="subsidy-result">
            <Alert
              type={run.result.eligible ? 'success' : 'warning'}
              showIcon
              title={
                run.result.eligible
                  ? t(
                      `可获缴存补贴 ${formatYuan(run.result.subsidy)}`,
                      `Subsidy: ${formatYuan(run.result.subsidy)}`,
                    )
                  : t('不符合缴存补贴条件', 'Not eligible for the subsidy')
              }
              description={
                <>
                  {run.result.uncapped &&
                    t(
                      `按公式为 ${formatYuan(run.result.uncapped)}，受终身上限限制。`,
                      `By the formula ${formatYuan(run.result.uncapped)}, cut by the lifetime cap.`,
                    )}
                  {run.result.reasons?.map((r) => (
                    <div key={r.code}>{lang === 'zh' ? r.message_zh : r.message_en}</div>
                  ))}
                </>
              }
            />
          </div>
        )}
      </div>
    </div>
  );
}
