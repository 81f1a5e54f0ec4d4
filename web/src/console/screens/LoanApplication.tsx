// A loan application at the counter (rules.md §6): the borrower, the house, income and the seller, the
// amount, term and method; "测算" shows eligibility (every failed rule) and the quota with its factors
// before the application is sent. Idempotent by a client key kept until the application is accepted.
import { useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Col,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Tag,
  Typography,
} from 'antd';
import { ApiError } from '../../lib/api.ts';
import { useLang } from '../../lib/i18n.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { formatYuan } from '../../lib/money.ts';
import { call, newIdempotencyKey } from '../call.ts';
import { AccountPicker, type PickedAccount } from '../AccountPicker.tsx';
import { METHOD_WORDS, word } from '../labels.ts';
import { yuanRule } from '../validation.ts';
import type { Loan } from './loan-types.ts';

interface Values {
  address: string;
  areaSqm: string;
  price: string;
  home: 'first' | 'second';
  inCity?: boolean;
  children?: number;
  monthlyIncome: string;
  monthlyDebts: string;
  evidence: string;
  sellerName: string;
  sellerBank: string;
  sellerAccount: string;
  amount: string;
  termMonths: number;
  method: 'equal-installment' | 'equal-principal';
}

interface Preview {
  eligible: boolean;
  consecutiveMonths: number;
  maximumTermMonths: number;
  quota: {
    quota: string;
    binding: string;
    candidates: Array<{ code: string; amount: string; label_zh: string; label_en: string }>;
    installment?: string;
  };
}

interface Failure {
  code: string;
  message_zh: string;
  message_en: string;
}

function failuresOf(error: unknown): Failure[] | null {
  if (!(error instanceof ApiError)) return null;
  const failures = error.body.details?.failures;
  return Array.isArray(failures) ? (failures as Failure[]) : null;
}

export function LoanApplication({
  open,
  onClose,
  onApplied,
}: {
  open: boolean;
  onClose: () => void;
  onApplied: (loan: Loan) => void;
}) {
  const { t, lang } = useLang();
  const [form] = Form.useForm<Values>();
  const [borrower, setBorrower] = useState<PickedAccount | null>(null);
  const [preview, setPreview] = useState<Preview>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(() => newIdempotencyKey('loan'));

  const request = (v: Values) => ({
    depositorId: borrower?.depositorId ?? '',
    house: {
      address: v.address.trim(),
      areaSqm: v.areaSqm.trim(),
      price: v.price.trim(),
      home: v.home,
      inCity: !!v.inCity,
    },
    children: v.children ?? 0,
    income: {
      monthlyIncome: v.monthlyIncome.trim(),
      monthlyDebts: v.monthlyDebts.trim(),
      evidence: v.evidence.trim(),
    },
    amount: v.amount.trim(),
    termMonths: v.termMonths,
    method: v.method,
  });

  const run = async (send: boolean) => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    if (!borrower?.depositorId) {
      setError(new Error(t('请选择借款人', 'Choose the borrower')));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      if (!send) {
        setPreview(await call<Preview>('POST', '/loans/quota-preview', request(values)));
        return;
      }
      const loan = await call<Loan>('POST', '/loans', {
        ...request(values),
        seller: {
          name: values.sellerName.trim(),
          bankName: values.sellerBank.trim(),
          bankAccount: values.sellerAccount.trim(),
        },
        idempotencyKey: key,
      });
      setKey(newIdempotencyKey('loan'));
      setPreview(undefined);
      form.resetFields();
      onApplied(loan);
    } catch (e) {
      setPreview(undefined);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const failures = failuresOf(error);
  const required = { required: true, whitespace: true, message: t('请填写', 'Required') };
  const amountRules = [
    { required: true, message: t('请填写金额', 'Enter the amount') },
    yuanRule(t('金额应大于 0，最多两位小数', 'A positive amount with at most two decimals')),
  ];

  return (
    <Drawer
      forceRender
      open={open}
      onClose={onClose}
      size={720}
      title={t('贷款申请（柜面）', 'Loan application (counter)')}
      extra={
        <>
          <Button onClick={() => void run(false)} loading={busy} style={{ marginRight: 8 }}>
            {t('额度测算', 'Check quota')}
          </Button>
          <Button type="primary" onClick={() => void run(true)} loading={busy}>
            {t('提交申请', 'Apply')}
          </Button>
        </>
      }
    >
      {failures ? (
        <Alert
          type="warning"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          title={t(`不符合贷款条件（${failures.length} 项）`, `Not eligible (${failures.length} reasons)`)}
          description={
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {failures.map((f) => (
                <li key={f.code}>
                  {lang === 'zh' ? f.message_zh : f.message_en}{' '}
                  <Typography.Text type="secondary">[{f.code}]</Typography.Text>
                </li>
              ))}
            </ul>
          }
        />
      ) : (
        <ErrorAlert error={error} />
      )}
      {preview && (
        <Descriptions
          bordered
          size="small"
          column={1}
          style={{ marginBottom: 16 }}
          items={[
            { label: t('可贷额度', 'Quota'), children: <strong>{formatYuan(preview.quota.quota)}</strong> },
            ...preview.quota.candidates.map((c) => ({
              label: `${c.code}. ${lang === 'zh' ? c.label_zh : c.label_en}`,
              children: (
                <>
                  {formatYuan(c.amount)}
                  {c.code === preview.quota.binding && (
                    <Tag color="gold" style={{ marginLeft: 8 }}>
                      {t('取最低', 'binding')}
                    </Tag>
                  )}
                </>
              ),
            })),
            { label: t('连续缴存月数', 'Consecutive months'), children: preview.consecutiveMonths },
            { label: t('最长期限（月）', 'Longest term (months)'), children: preview.maximumTermMonths },
          ]}
        />
      )}
      <Form<Values>
        form={form}
        name="loan-application"
        layout="vertical"
        initialValues={{
          home: 'first',
          inCity: true,
          children: 0,
          monthlyDebts: '0',
          method: 'equal-installment',
          termMonths: 240,
        }}
        onValuesChange={() => setPreview(undefined)}
      >
        <Form.Item label={t('借款人', 'Borrower')} required>
          <AccountPicker onPick={setBorrower} label={t('借款人', 'Borrower')} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={24}>
            <Form.Item name="address" label={t('房屋地址', 'House address')} rules={[required, { max: 200 }]}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="areaSqm"
              label={t('面积（㎡）', 'Area (㎡)')}
              rules={[
                required,
                { pattern: /^\d{1,6}(\.\d{1,2})?$/, message: t('最多两位小数', 'At most two decimals') },
              ]}
            >
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="price" label={t('房价（元）', 'Price (yuan)')} rules={amountRules}>
              <Input prefix="¥" inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="home" label={t('套数', 'Home')}>
              <Select
                options={[
                  { value: 'first', label: t('首套', 'First home') },
                  { value: 'second', label: t('二套', 'Second home') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="inCity" valuePropName="checked">
              <Checkbox>{t('房屋在本市', 'The house is in the city')}</Checkbox>
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="children" label={t('子女数', 'Children')}>
              <InputNumber min={0} max={20} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="monthlyIncome"
              label={t('家庭月收入（元）', 'Monthly income')}
              rules={amountRules}
            >
              <Input prefix="¥" inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="monthlyDebts"
              label={t('月负债（元）', 'Monthly debts')}
              rules={[
                { required: true, message: t('请填写', 'Required') },
                { pattern: /^\d{1,12}(\.\d{1,2})?$/, message: t('金额最多两位小数', 'At most two decimals') },
              ]}
            >
              <Input prefix="¥" inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="evidence"
              label={t('收入证明', 'Income evidence')}
              rules={[required, { max: 100 }]}
            >
              <Input maxLength={100} placeholder={t('如：个税记录', 'e.g. tax record')} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="sellerName" label={t('售房人', 'Seller')} rules={[required, { max: 100 }]}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="sellerBank"
              label={t('售房人开户行', "Seller's bank")}
              rules={[required, { max: 100 }]}
            >
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="sellerAccount"
              label={t('售房人账号', "Seller's account")}
              rules={[required, { pattern: /^\d{8,30}$/, message: t('应为 8–30 位数字', '8–30 digits') }]}
            >
              <Input inputMode="numeric" maxLength={30} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="amount" label={t('申请金额（元）', 'Amount (yuan)')} rules={amountRules}>
              <Input prefix="¥" inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="termMonths"
              label={t('期限（月）', 'Term (months)')}
              rules={[{ required: true, message: t('请填写', 'Required') }]}
            >
              <InputNumber min={1} max={360} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="method" label={t('还款方式', 'Method')}>
              <Select
                options={(['equal-installment', 'equal-principal'] as const).map((m) => ({
                  value: m,
                  label: word(METHOD_WORDS, m, lang),
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
