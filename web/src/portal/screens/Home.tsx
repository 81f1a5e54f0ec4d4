// The depositor's home: the account and its balance, the credit grade with its reasons, what to do next
// (sign, open, pay) and the way to every other screen.
import { useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, Row, Statistic, Tag } from 'antd';
import { Link } from 'react-router';
import { api } from '../../lib/api.ts';
import { CreditGradeCard } from '../../lib/CreditGrade.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { useLang } from '../../lib/i18n.tsx';
import { formatYuan } from '../../lib/money.ts';
import { flexibleAccount, MODE_LABELS, signedAgreement, STATE_LABELS, useMe } from '../me.ts';
import { Screen } from './Screen.tsx';

export default function Home() {
  const { t } = useLang();
  const me = useMe();
  const [opening, setOpening] = useState(false);
  const [openError, setOpenError] = useState<unknown>();
  const account = flexibleAccount(me.data);
  const agreement = signedAgreement(me.data);
  const pair = (p: [string, string] | undefined, fallback: string) => (p ? t(p[0], p[1]) : fallback);

  const openAccount = async () => {
    if (!me.data) return;
    setOpening(true);
    setOpenError(undefined);
    try {
      await api('POST', `/depositors/${me.data.depositorId}/accounts`, { as: 'depositor', body: {} });
      me.reload();
    } catch (e) {
      setOpenError(e);
    } finally {
      setOpening(false);
    }
  };

  const links: { to: string; zh: string; en: string }[] = [
    { to: '/portal/pay', zh: '缴存', en: 'Deposit' },
    { to: '/portal/statement', zh: '明细与利息', en: 'Statement & interest' },
    { to: '/portal/withdraw', zh: '提取', en: 'Withdraw' },
    // Named without 提取, so that 提取 stays the name of one link only: the withdrawal screen.
    { to: '/portal/rent-orders', zh: '按月租房', en: 'Monthly rent orders' },
    { to: '/portal/loans', zh: '贷款', en: 'Loans' },
    { to: '/portal/certificates', zh: '证明下载', en: 'Certificates' },
    { to: '/portal/transfers', zh: '异地转移', en: 'Transfers' },
    { to: '/portal/agreement', zh: '缴存协议', en: 'Agreement' },
  ];

  return (
    <Screen
      title={me.data ? t(`${me.data.name}，您好`, `Hello, ${me.data.name}`) : t('我的公积金', 'My HPF')}
      back={false}
      loading={me.loading && !me.data}
      error={me.error}
    >
      {me.data && (
        <>
          {!agreement && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('第一步：签订缴存协议', 'First: sign the agreement')}
              description={t(
                '选择缴存方式和金额，阅读并签署协议后即可开户缴存。',
                'Choose how and how much to deposit, read and sign the agreement, then your account opens.',
              )}
              action={
                <Link to="/portal/agreement">
                  <Button type="primary">{t('去签约', 'Sign')}</Button>
                </Link>
              }
            />
          )}
          {agreement && !account && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('协议已签署，请开立账户', 'Agreement signed: open your account')}
              action={
                <Button type="primary" loading={opening} onClick={openAccount}>
                  {t('开户', 'Open')}
                </Button>
              }
            />
          )}
          <ErrorAlert error={openError} />
          {account ? (
            <Card style={{ marginBottom: 12 }}>
              <Row gutter={12}>
                <Col span={24}>
                  <Statistic
                    title={t('账户余额', 'Balance')}
                    value={formatYuan(account.balance)}
                    data-testid="balance"
                  />
                </Col>
              </Row>
              <Descriptions size="small" column={1} style={{ marginTop: 12 }}>
                <Descriptions.Item label={t('个人账号', 'Account number')}>
                  {account.accountNumber}
                </Descriptions.Item>
                <Descriptions.Item label={t('账户状态', 'State')}>
                  <Tag color={account.state === '01' ? 'green' : 'orange'}>
                    {pair(STATE_LABELS[account.state], account.state)}
                  </Tag>
                </Descriptions.Item>
                {agreement && (
                  <Descriptions.Item label={t('缴存方式', 'Deposit mode')}>
                    {pair(MODE_LABELS[agreement.depositMode], agreement.depositMode)}
                    {agreement.monthlyAmount &&
                      ` · ${formatYuan(agreement.monthlyAmount)}${t('/月', ' a month')}`}
                  </Descriptions.Item>
                )}
                <Descriptions.Item label={t('开户日期', 'Opened on')}>{account.openedOn}</Descriptions.Item>
              </Descriptions>
            </Card>
          ) : (
            agreement === undefined && (
              <Empty description={t('尚未开户', 'No account yet')} style={{ margin: '24px 0' }} />
            )
          )}
          {account && <CreditGradeCard depositorId={me.data.depositorId} as="depositor" />}
          <nav aria-label={t('功能', 'Services')}>
            <Row gutter={[8, 8]}>
              {links.map((l) => (
                <Col xs={12} sm={8} key={l.to}>
                  <Link to={l.to} style={{ display: 'block' }}>
                    <Card size="small" hoverable style={{ textAlign: 'center' }}>
                      {t(l.zh, l.en)}
                    </Card>
                  </Link>
                </Col>
              ))}
            </Row>
          </nav>
        </>
      )}
    </Screen>
  );
}
