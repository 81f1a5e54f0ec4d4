// Certificates to download: the calendar-year deposit certificate for the tax deduction (rules.md §12),
// the signed agreement, and (after closure) the closure certificate.
import { useCallback, useState } from 'react';
import { usePolicyFigures } from '../../lib/figures.ts';
import { Button, Card, Descriptions, Form, InputNumber, Space, Typography } from 'antd';
import { api, download } from '../../lib/api.ts';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { useLang } from '../../lib/i18n.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useSubmit } from '../../lib/useSubmit.ts';
import { signedAgreement, useMe } from '../me.ts';
import { Screen } from './Screen.tsx';

/** The first year of the scheme (the 2023 pilot): no certificate before it. */
const FIRST_YEAR = 2023;

interface TaxCertificate {
  certificateId: string;
  year: number;
  verificationCode: string;
  issuedOn: string;
  content: { totals: { deposited: string; deductible: string; excess: string } };
}

export default function Certificates() {
  const { t } = useLang();
  const me = useMe();
  const agreement = signedAgreement(me.data);
  const [downloadError, setDownloadError] = useState<unknown>();
  const issue = useSubmit(
    useCallback(
      (v: { year: number }) =>
        api<TaxCertificate>('POST', `/depositors/${me.data?.depositorId}/tax-certificates`, {
          as: 'depositor',
          body: { year: v.year },
        }),
      [me.data?.depositorId],
    ),
  );
  const closureId = new URLSearchParams(window.location.search).get('closure');
  const get = (path: string, name: string) => {
    setDownloadError(undefined);
    download(path, 'depositor', name).catch(setDownloadError);
  };
  // The center's business date (from the policy figures), never the browser's clock; the default is the
  // last completed calendar year, the one a tax return needs; the current year can still be picked.
  const figures = usePolicyFigures();
  const thisYear = figures.data ? Number(figures.data.businessDate.slice(0, 4)) : undefined;
  const maxYear = thisYear ?? FIRST_YEAR;
  return (
    <Screen title={t('证明下载', 'Certificates')} loading={me.loading && !me.data} error={me.error}>
      <ErrorAlert error={figures.error ?? downloadError} />
      <Card
        size="small"
        title={t('个人所得税扣除缴存证明', 'Deposit certificate for the income-tax deduction')}
        style={{ marginBottom: 12 }}
      >
        <Form
          layout="inline"
          onFinish={issue.submit}
          initialValues={{ year: thisYear === undefined ? undefined : Math.max(FIRST_YEAR, thisYear - 1) }}
          key={thisYear ?? 'loading'}
        >
          <Form.Item
            name="year"
            label={t('年度', 'Year')}
            rules={[
              {
                required: true,
                type: 'integer',
                min: FIRST_YEAR,
                max: maxYear,
                message: t(`${FIRST_YEAR}–${maxYear}`, `${FIRST_YEAR}–${maxYear}`),
              },
            ]}
          >
            <InputNumber min={FIRST_YEAR} max={maxYear} precision={0} disabled={thisYear === undefined} />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={issue.sending || figures.loading}
            disabled={thisYear === undefined}
          >
            {t('开具证明', 'Issue')}
          </Button>
        </Form>
        <ErrorAlert error={issue.error} />
        {issue.result && (
          <Descriptions column={1} size="small" style={{ marginTop: 12 }} data-testid="tax-certificate">
            <Descriptions.Item label={t('年度缴存', 'Deposited in the year')}>
              {formatYuan(issue.result.content.totals.deposited)}
            </Descriptions.Item>
            <Descriptions.Item label={t('可扣除', 'Deductible')}>
              {formatYuan(issue.result.content.totals.deductible)}
            </Descriptions.Item>
            <Descriptions.Item label={t('验证码', 'Verification code')}>
              {issue.result.verificationCode}
            </Descriptions.Item>
            <Descriptions.Item label="PDF">
              <Button
                onClick={() =>
                  get(
                    `/tax-certificates/${issue.result?.certificateId}.pdf`,
                    `tax-certificate-${issue.result?.year}.pdf`,
                  )
                }
              >
                {t('下载 PDF', 'Download PDF')}
              </Button>
            </Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      <Card size="small" title={t('其他文件', 'Other documents')}>
        <Space orientation="vertical">
          {agreement ? (
            <Button
              onClick={() =>
                get(`/agreements/${agreement.agreementId}.pdf`, `agreement-${agreement.agreementNumber}.pdf`)
              }
            >
              {t('缴存协议 PDF', 'Agreement (PDF)')}
            </Button>
          ) : (
            <Typography.Text type="secondary">{t('尚未签订协议', 'No agreement signed yet')}</Typography.Text>
          )}
          {closureId && (
            <Button
              onClick={() =>
                get(`/withdrawals/${closureId}/closure-certificate.pdf`, `closure-${closureId}.pdf`)
              }
            >
              {t('销户证明 PDF', 'Closure certificate (PDF)')}
            </Button>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(
              '销户后可在“提取 → 销户”结果页下载销户证明。',
              'After closing, download the closure certificate from the closure result.',
            )}
          </Typography.Text>
        </Space>
      </Card>
    </Screen>
  );
}
