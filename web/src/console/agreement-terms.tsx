// The flexible deposit agreement as the counter prepares and shows it (rules.md §2): the terms fields
// (mode, monthly amount and debit day unless the mode is flexible, bank, card, consent), the request body
// for POST /depositors/:id/agreement, and the exact text with its SHA-256 the person signs. Used by the
// registration wizard and by the unit → flexible conversion.
import { Checkbox, Col, Form, Input, InputNumber, Row, Select, Typography } from 'antd';
import { useLang } from '../lib/i18n.tsx';
import { requiredRule } from '../lib/validators.ts';
import { useReference } from './reference.ts';
import { yuanRule } from './validation.ts';

export interface AgreementValues {
  depositMode: string;
  monthlyAmount?: string;
  debitDay?: number;
  bankName: string;
  bankCard: string;
  consentDataCheck?: boolean;
}

export interface PreparedAgreement {
  agreementId: string;
  agreementNumber: string;
  termsVersion: string;
  title: { zh: string; en: string };
  text: string;
  textSha256: string;
}

/** The body of POST /depositors/:id/agreement: no amount or debit day for the flexible mode. */
export function agreementRequest(values: AgreementValues) {
  const flexible = values.depositMode === 'flexible';
  return {
    depositMode: values.depositMode,
    monthlyAmount: flexible ? null : (values.monthlyAmount?.trim() ?? null),
    debitDay: flexible ? null : (values.debitDay ?? null),
    bankName: values.bankName.trim(),
    bankCard: values.bankCard.replace(/\s+/g, ''),
    consentDataCheck: !!values.consentDataCheck,
  };
}

/** The terms fields, inside a Form<AgreementValues>; `depositMode` is the form's watched mode. */
export function AgreementTermsFields({ depositMode }: { depositMode: string | undefined }) {
  const { t, lang } = useLang();
  const reference = useReference();
  return (
    <>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item
            name="depositMode"
            label={t('缴存方式', 'Deposit mode')}
            rules={[{ required: true, message: t('请选择', 'Choose one') }]}
          >
            <Select options={reference.data?.depositModes.map((m) => ({ value: m.code, label: m[lang] }))} />
          </Form.Item>
        </Col>
        {depositMode !== 'flexible' && (
          <>
            <Col xs={24} md={8}>
              <Form.Item
                name="monthlyAmount"
                label={t('月缴存额（元）', 'Monthly amount (yuan)')}
                rules={[
                  requiredRule(t, '月缴存额', 'the monthly amount'),
                  yuanRule(t('金额格式不正确（最多两位小数）', 'An amount with at most two decimals')),
                ]}
              >
                <Input inputMode="decimal" prefix="¥" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="debitDay"
                label={t('扣款日（1–28）', 'Debit day (1–28)')}
                rules={[{ required: true, message: t('请输入扣款日', 'Enter the debit day') }]}
              >
                <InputNumber min={1} max={28} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </>
        )}
        <Col xs={24} md={8}>
          <Form.Item
            name="bankName"
            label={t('扣款银行', 'Bank')}
            rules={[requiredRule(t, '银行名称', 'the bank'), { max: 100 }]}
          >
            <Input maxLength={100} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name="bankCard"
            label={t('银行卡号', 'Bank card number')}
            rules={[
              requiredRule(t, '银行卡号', 'the card number'),
              { pattern: /^[\d ]{12,36}$/, message: t('应为 12–30 位数字', '12–30 digits') },
            ]}
          >
            <Input inputMode="numeric" maxLength={36} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name="consentDataCheck"
        valuePropName="checked"
        rules={[
          {
            validator: (_, v) =>
              v ? Promise.resolve() : Promise.reject(new Error(t('须同意信息核验', 'Consent is required'))),
          },
        ]}
      >
        <Checkbox>
          {t('同意中心核验社保、税务等信息', 'Consents to the center checking social-insurance and tax data')}
        </Checkbox>
      </Form.Item>
    </>
  );
}

/** The exact text to be signed, with its number, terms version and SHA-256. */
export function AgreementText({ prepared, maxHeight }: { prepared: PreparedAgreement; maxHeight: number }) {
  const { t, lang } = useLang();
  return (
    <>
      <Typography.Title level={2} style={{ fontSize: 16 }}>
        {prepared.title[lang]} · {prepared.agreementNumber}
      </Typography.Title>
      <div
        tabIndex={0}
        aria-label={t('协议文本', 'Agreement text')}
        style={{
          whiteSpace: 'pre-wrap',
          maxHeight,
          overflow: 'auto',
          border: '1px solid #d9d9d9',
          borderRadius: 6,
          padding: 12,
          marginBottom: 12,
          background: '#fafafa',
        }}
      >
        {prepared.text}
      </div>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        SHA-256 {prepared.textSha256} · {t('条款版本', 'Terms')} {prepared.termsVersion}
      </Typography.Paragraph>
    </>
  );
}
