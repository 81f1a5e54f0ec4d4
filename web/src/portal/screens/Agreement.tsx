// The agreement (rules.md §2): choose the deposit mode and amount within the limits in force, the bank
// card and debit day; the exact text is prepared by the server, read here, and signed with the hash of
// that text. The account opens right after signing.
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
  Radio,
  Result,
  Typography,
} from 'antd';
import { useNavigate } from 'react-router';
import { api, download } from '../../lib/api.ts';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { usePolicyFigures } from '../../lib/figures.ts';
import { useLang } from '../../lib/i18n.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useSubmit } from '../../lib/useSubmit.ts';
import { amountRules } from '../../lib/validators.ts';
import { flexibleAccount, MODE_LABELS, signedAgreement, useMe, type Me } from '../me.ts';
import { Screen } from './Screen.tsx';

interface Draft {
  agreementId: string;
  agreementNumber: string;
  termsVersion: string;
  text: string;
  textSha256: string;
}

interface Choice {
  depositMode: 'monthly' | 'quarterly' | 'annual' | 'flexible';
  monthlyAmount?: string;
  debitDay?: number;
  bankName: string;
  bankCard: string;
  consentDataCheck: boolean;
}

function ChooseAndSign({ me, onDone }: { me: Me; onDone(): void }) {
  const { t } = useLang();
  const figures = usePolicyFigures();
  const lower = figures.value('deposit.monthly_lower_limit');
  const upper = figures.value('deposit.monthly_upper_limit');
  const [form] = Form.useForm<Choice>();
  const mode = Form.useWatch('depositMode', form);
  const periodic = mode !== undefined && mode !== 'flexible';
  const [draft, setDraft] = useState<Draft>();

  const prepare = useSubmit(
    useCallback(
      async (v: Choice) => {
        const created = await api<{ agreementId: string }>(
          'POST',
          `/depositors/${me.depositorId}/agreement`,
          {
            as: 'depositor',
            body: {
              depositMode: v.depositMode,
              ...(v.depositMode !== 'flexible'
                ? { monthlyAmount: v.monthlyAmount?.trim(), debitDay: v.debitDay }
                : {}),
              bankName: v.bankName.trim(),
              bankCard: v.bankCard.replace(/\s+/g, ''),
              consentDataCheck: v.consentDataCheck,
            },
          },
        );
        return api<Draft>('GET', `/agreements/${created.agreementId}`, { as: 'depositor' });
      },
      [me.depositorId],
    ),
  );
  const sign = useSubmit(
    useCallback(
      async (v: { signerName: string }) => {
        if (!draft) throw new Error('no draft');
        await api('POST', `/agreements/${draft.agreementId}/sign`, {
          as: 'depositor',
          body: { textSha256: draft.textSha256, signerName: v.signerName.trim() },
        });
        return api('POST', `/depositors/${me.depositorId}/accounts`, { as: 'depositor', body: {} });
      },
      [draft, me.depositorId],
    ),
  );

  if (draft) {
    return (
      <Card
        title={t(
          `协议 ${draft.agreementNumber}（条款版本 ${draft.termsVersion}）`,
          `Agreement ${draft.agreementNumber} (terms ${draft.termsVersion})`,
        )}
      >
        <div
          tabIndex={0}
          role="document"
          aria-label={t('协议全文', 'Agreement text')}
          data-testid="agreement-text"
          style={{
            whiteSpace: 'pre-wrap',
            maxHeight: 360,
            overflow: 'auto',
            border: '1px solid #eee',
            padding: 12,
            background: '#fafafa',
            fontSize: 14,
          }}
        >
          {draft.text}
        </div>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, wordBreak: 'break-all' }}>
          SHA-256: {draft.textSha256}
        </Typography.Paragraph>
        <Form
          layout="vertical"
          onFinish={async (v: { signerName: string; read: boolean }) =>
            (await sign.submit(v)) !== undefined && onDone()
          }
        >
          <Form.Item
            name="read"
            valuePropName="checked"
            rules={[
              {
                validator: async (_r, v) => {
                  if (!v) throw new Error(t('请确认已阅读协议', 'Confirm you have read it'));
                },
              },
            ]}
          >
            <Checkbox>{t('我已阅读并同意上述协议', 'I have read and agree to the agreement above')}</Checkbox>
          </Form.Item>
          <Form.Item
            name="signerName"
            label={t('签名（输入本人姓名）', 'Signature (type your name)')}
            rules={[
              { required: true, whitespace: true, message: t('请输入姓名', 'Type your name') },
              {
                validator: async (_r, v) => {
                  if (v && String(v).trim() !== me.name)
                    throw new Error(t('须与登记姓名一致', 'Must match your registered name'));
                },
              },
            ]}
          >
            <Input autoComplete="name" />
          </Form.Item>
          <ErrorAlert error={sign.error} />
          <Button type="primary" htmlType="submit" block loading={sign.sending}>
            {t('签署协议并开户', 'Sign and open my account')}
          </Button>
          <Button type="link" block onClick={() => setDraft(undefined)}>
            {t('返回修改', 'Change my choices')}
          </Button>
        </Form>
      </Card>
    );
  }

  return (
    <Card>
      {lower && upper && (
        <Alert
          type="info"
          style={{ marginBottom: 16 }}
          title={t(
            `现行月缴存额：${formatYuan(lower)} – ${formatYuan(upper)}`,
            `Monthly amount now: ${formatYuan(lower)} – ${formatYuan(upper)}`,
          )}
        />
      )}
      <Form<Choice>
        form={form}
        layout="vertical"
        initialValues={{ depositMode: 'flexible', debitDay: 10, consentDataCheck: true }}
        onFinish={async (v) => {
          const d = await prepare.submit(v);
          if (d) setDraft(d);
        }}
      >
        <Form.Item name="depositMode" label={t('缴存方式', 'Deposit mode')} rules={[{ required: true }]}>
          <Radio.Group>
            {(['monthly', 'quarterly', 'annual', 'flexible'] as const).map((m) => (
              <Radio.Button key={m} value={m}>
                {t(MODE_LABELS[m]?.[0] ?? m, MODE_LABELS[m]?.[1] ?? m)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Typography.Paragraph type="secondary">
          {mode === 'flexible'
            ? t(
                '随时缴存、金额自定；每笔不低于月下限，每年度合计不超过 12 倍月上限。',
                'Pay any time, any amount: each payment at least the monthly lower limit, at most 12 × the upper limit a year.',
              )
            : mode === 'quarterly'
              ? t(
                  '每季度首月扣缴 3 个月的月缴存额。',
                  'Three months’ amount debited in the first month of each quarter.',
                )
              : mode === 'annual'
                ? t('一次预缴 12 个月的月缴存额。', 'Twelve months’ amount paid in advance.')
                : t('每月约定日从银行卡扣缴月缴存额。', 'The monthly amount is debited on the agreed day.')}
        </Typography.Paragraph>
        {periodic && (
          <>
            <Form.Item
              name="monthlyAmount"
              label={t('月缴存额（元）', 'Monthly amount (yuan)')}
              rules={amountRules(t, { min: lower, max: upper })}
            >
              <Input inputMode="decimal" />
            </Form.Item>
            <Form.Item
              name="debitDay"
              label={t('每月扣款日（1–28）', 'Debit day (1–28)')}
              rules={[
                {
                  required: true,
                  type: 'integer',
                  min: 1,
                  max: 28,
                  message: t('1–28 之间', 'Between 1 and 28'),
                },
              ]}
            >
              <InputNumber min={1} max={28} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </>
        )}
        <Form.Item
          name="bankName"
          label={t('开户银行', 'Bank')}
          rules={[{ required: true, whitespace: true, message: t('请输入开户银行', 'Enter the bank') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="bankCard"
          label={t('银行卡号（扣款与提取）', 'Bank card (debits and payouts)')}
          rules={[
            { required: true, pattern: /^\s*(\d\s*){12,30}$/, message: t('12–30 位数字', '12–30 digits') },
          ]}
        >
          <Input inputMode="numeric" autoComplete="cc-number" />
        </Form.Item>
        <Form.Item name="consentDataCheck" valuePropName="checked">
          <Checkbox>
            {t(
              '同意中心向人社、税务、不动产登记、征信等部门核验我的信息',
              'I agree that the center may check my data with social insurance, tax, property registry and credit bureaus',
            )}
          </Checkbox>
        </Form.Item>
        <ErrorAlert error={prepare.error} />
        <Button type="primary" htmlType="submit" block loading={prepare.sending}>
          {t('生成协议并阅读', 'Prepare the agreement to read')}
        </Button>
      </Form>
    </Card>
  );
}

export default function Agreement() {
  const { t } = useLang();
  const me = useMe();
  const navigate = useNavigate();
  const [done, setDone] = useState(false);
  const agreement = signedAgreement(me.data);
  const account = flexibleAccount(me.data);
  const [downloadError, setDownloadError] = useState<unknown>();

  if (done)
    return (
      <Screen title={t('缴存协议', 'Agreement')}>
        <Result
          status="success"
          title={t('协议已签署，账户已开立', 'Signed; your account is open')}
          extra={
            <Button type="primary" onClick={() => navigate('/portal/pay')}>
              {t('去缴存', 'Make a deposit')}
            </Button>
          }
        />
      </Screen>
    );

  return (
    <Screen title={t('缴存协议', 'Agreement')} loading={me.loading && !me.data} error={me.error}>
      {me.data && agreement ? (
        <Card>
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('协议编号', 'Number')}>{agreement.agreementNumber}</Descriptions.Item>
            <Descriptions.Item label={t('缴存方式', 'Mode')}>
              {t(
                MODE_LABELS[agreement.depositMode]?.[0] ?? '',
                MODE_LABELS[agreement.depositMode]?.[1] ?? '',
              )}
            </Descriptions.Item>
            {agreement.monthlyAmount && (
              <Descriptions.Item label={t('月缴存额', 'Monthly amount')}>
                {formatYuan(agreement.monthlyAmount)}
              </Descriptions.Item>
            )}
            {agreement.debitDay && (
              <Descriptions.Item label={t('扣款日', 'Debit day')}>{agreement.debitDay}</Descriptions.Item>
            )}
            <Descriptions.Item label={t('银行卡', 'Bank card')}>
              {agreement.bankName} {agreement.bankCard}
            </Descriptions.Item>
            <Descriptions.Item label={t('签署时间', 'Signed at')}>{agreement.signedAt}</Descriptions.Item>
          </Descriptions>
          <ErrorAlert error={downloadError} />
          <Button
            onClick={() =>
              download(
                `/agreements/${agreement.agreementId}.pdf`,
                'depositor',
                `agreement-${agreement.agreementNumber}.pdf`,
              ).catch(setDownloadError)
            }
          >
            {t('下载协议 PDF', 'Download the agreement (PDF)')}
          </Button>
          {!account && (
            <Button type="primary" style={{ marginLeft: 8 }} onClick={() => navigate('/portal')}>
              {t('去开户', 'Open the account')}
            </Button>
          )}
        </Card>
      ) : (
        me.data && <ChooseAndSign me={me.data} onDone={() => setDone(true)} />
      )}
    </Screen>
  );
}
