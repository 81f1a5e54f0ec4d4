// The flexible deposit agreement a unit → flexible conversion opens its account under (rules.md §2, §5.3):
// prepared for the existing depositor (mode, amount, debit day, bank card, consent), its exact text shown,
// and signed by the person at the counter (the hash of the text shown must match). The conversion then
// binds the new flexible account to it.
import { useState } from 'react';
import { Button, Form, Input, Space } from 'antd';
import { ErrorAlert } from '../lib/ErrorAlert.tsx';
import { useLang } from '../lib/i18n.tsx';
import { useSubmit } from '../lib/useSubmit.ts';
import { call } from './call.ts';
import {
  AgreementTermsFields,
  AgreementText,
  agreementRequest,
  type AgreementValues,
  type PreparedAgreement,
} from './agreement-terms.tsx';

export function ConversionAgreement({
  depositorId,
  depositorName,
  onSigned,
}: {
  depositorId: string;
  depositorName: string;
  onSigned: () => void;
}) {
  const { t } = useLang();
  const [form] = Form.useForm<AgreementValues>();
  const depositMode = Form.useWatch('depositMode', form);
  const [signerName, setSignerName] = useState(depositorName);
  const prepare = useSubmit((values: AgreementValues) => {
    return call<PreparedAgreement>('POST', `/depositors/${depositorId}/agreement`, agreementRequest(values));
  });
  const sign = useSubmit((prepared: PreparedAgreement) =>
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
        <AgreementTermsFields depositMode={depositMode} />
        <Button htmlType="submit" loading={prepare.sending}>
          {t('生成协议文本', 'Prepare the agreement')}
        </Button>
      </Form>
    );

  return (
    <>
      <ErrorAlert error={sign.error} />
      <AgreementText prepared={prepared} maxHeight={240} />
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
