// The flexible deposit agreement a unit → flexible conversion opens its account under (rules.md §2, §5.3):
// prepared for the existing depositor (mode, amount, debit day, bank card, consent), its exact text shown,
// and signed by the person at the counter (the hash of the text shown must match). The conversion then
// binds the new flexible account to it.
import { useState } from 'react';
import { Button, Checkbox, Col, Form, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import { ErrorAlert } from '../lib/ErrorAlert.tsx';
import { useLang } from '../lib/i18n.tsx';
import { useSubmit } from '../lib/useSubmit.ts';
import { requiredRule } from '../lib/validators.ts';
import { call } from './call.ts';
import { useReference } from './reference.ts';
import { yuanRule } from './validation.ts';

interface AgreementValues {
  depositMode: string;
  monthlyAmount?: string;
  debitDay?: number;
  bankName: string;
  bankCard: string;
  consentDataCheck?: boolean;
}

interface Prepared {
  agreementId: string;
  agreementNumber: string;
  termsVersion: string;
  title: { zh: string; en: string };
  text: string;
  textSha256: string;
}

export function ConversionAgreement({
  depositorId,
  depositorName,
  onSigned,
}: {
  depositorId: string;
  depositorName: string;
  onSigned: () => void;
}) {
  const { t, lang } = useLang();
  const reference = useReference();
  const [form] = Form.useForm<AgreementValues>();
  const depositMode = Form.useWatch('depositMode', form);
  const [signerName, setSignerName] = useState(depositorName);
  const prepare = useSubmit((values: AgreementValues) => {
    const flexible = values.depositMode === 'flexible';
    return call<Prepared>('POST', `/depositors/${depositorId}/agreement`, {
      depositMode: values.depositMode,
      monthlyAmount: flexible ? null : (values.monthlyAmount?.trim() ?? null),
      debitDay: flexible ? null : (values.debitDay ?? null),
      bankName: values.bankName.trim(),
      bankCard: values.bankCard.replace(/\s+/g, ''),
      consentDataCheck: !!values.consentDataCheck,
    });
  });
  const sign = useSubmit((prepared: Prepared) =>
    call('POST', `/agreements/${prepared.agreementId}/sign`, {
      textSha256: prepared.textSha256,
      signerName: signerName.trim(),
    }),
  );
  const prepared = prepare.result;

  if (!prepared)
    return (
      <Form<AgreementValues>
        form={form}
        name="conversion-agreement"
        layout="vertical"
        initialValues={{ depositMode: 'flexible', debitDay: 5 }}
        onFinish={(v) => void prepare.submit(v)}
      >
        <ErrorAlert error={prepare.error} />
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item
              name="depositMode"
              label={t('缴存方式', 'Deposit mode')}
              rules={[{ required: true, message: t('请选择', 'Choose one') }]}
            >
              <Select
                options={reference.data?.depositModes.map((m) => ({ value: m.code, label: m[lang] }))}
              />
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
            {t(
              '同意中心核验社保、税务等信息',
              'Consents to the center checking social-insurance and tax data',
            )}
          </Checkbox>
        </Form.Item>
        <Button htmlType="submit" loading={prepare.sending}>
          {t('生成协议文本', 'Prepare the agreement')}
        </Button>
      </Form>
    );

  return (
    <>
      <ErrorAlert error={sign.error} />
      <Typography.Title level={2} style={{ fontSize: 16 }}>
        {prepared.title[lang]} · {prepared.agreementNumber}
      </Typography.Title>
      <div
        tabIndex={0}
        aria-label={t('协议文本', 'Agreement text')}
        style={{
          whiteSpace: 'pre-wrap',
          maxHeight: 240,
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
      <Space wrap>
        <label htmlFor={`conversion-signer-${depositorId}`}>{t('签署人', 'Signer')}</label>
        <Input
          id={`conversion-signer-${depositorId}`}
          value={signerName}
          onChange={(e) => setSignerName(e.target.value)}
          style={{ width: 200 }}
          maxLength={50}
          status={signerName.trim() ? undefined : 'error'}
        />
        <Button onClick={() => prepare.reset()}>{t('修改协议', 'Change terms')}</Button>
        <Button
          type="primary"
          loading={sign.sending}
          disabled={!signerName.trim()}
          onClick={() =>
            void sign.submit(prepared).then((done) => {
              if (done) onSigned();
            })
          }
        >
          {t('确认签署', 'Sign')}
        </Button>
      </Space>
    </>
  );
}
