// The public page: the Baotou 2023 pilot in plain words (who may join, the four deposit modes, what the
// money is for, loans, the subsidy, interest) and the public calculators, with the ways in: register or
// log in on the portal, staff to the console. The figures come from the parameters in force.
import { useState } from 'react';
import {
  Button,
  Card,
  Col,
  Collapse,
  ConfigProvider,
  Layout,
  Radio,
  Row,
  Space,
  Table,
  Typography,
} from 'antd';
import { Link } from 'react-router';
import { LangSwitch } from '../lib/LangSwitch.tsx';
import { useLang } from '../lib/i18n.tsx';
import { usePolicyFigures } from '../lib/figures.ts';
import { formatYuan } from '../lib/money.ts';
import {
  AffordabilityCalculator,
  QuotaCalculator,
  ScheduleCalculator,
} from './calculators/LoanCalculators.tsx';
import { InterestCalculator, SubsidyCalculator } from './calculators/DepositCalculators.tsx';

const { Title, Paragraph, Text } = Typography;

function Policy() {
  const { t } = useLang();
  const f = usePolicyFigures();
  const v = (key: string, fallback: string) => f.value(key) ?? fallback;
  const lower = formatYuan(v('deposit.monthly_lower_limit', '198.00'));
  const upper = formatYuan(v('deposit.monthly_upper_limit', '6574.00'));
  const modes = [
    {
      key: 'monthly',
      mode: t('按月缴存', 'Monthly'),
      rule: t(
        `每月固定金额，${lower}–${upper} 之间，每月约定日从银行卡扣款`,
        `A fixed amount each month between ${lower} and ${upper}, debited from your card on the agreed day`,
      ),
    },
    {
      key: 'quarterly',
      mode: t('按季缴存', 'Quarterly'),
      rule: t(
        '每季度预缴 3 个月的约定月缴存额，在季度首月扣款',
        'Three months of the agreed amount, paid in advance in the first month of each quarter',
      ),
    },
    {
      key: 'annual',
      mode: t('按年缴存', 'Annual'),
      rule: t('一次预缴 12 个月的约定月缴存额', 'Twelve months of the agreed amount, paid in advance'),
    },
    {
      key: 'flexible',
      mode: t('灵活缴存', 'Flexible'),
      rule: t(
        `随时缴、金额自定：每笔不低于 ${lower}，每个公积金年度合计不超过 12 × ${upper}`,
        `Any time, any amount: each payment at least ${lower}, at most 12 × ${upper} in one HPF year`,
      ),
    },
  ];
  const items = [
    {
      key: 'who',
      label: t('谁可以参加', 'Who may join'),
      children: (
        <ul>
          <li>
            {t(
              `年满 ${v('eligibility.min_age_years', '16')} 周岁、未达法定退休年龄、具有完全民事行为能力`,
              `Aged ${v('eligibility.min_age_years', '16')} or over, below the statutory retirement age, with full civil capacity`,
            )}
          </li>
          <li>
            {t(
              '在包头灵活就业：个体经营、非全日制、新业态（外卖、网约车、快递、直播、家政等）、自谋职业',
              'Working flexibly in Baotou: individual business, part-time, platform work (delivery, ride-hailing, couriers, live-streaming, domestic service …) or other self-employment',
            )}
          </li>
          <li>
            {t(
              '没有正在缴存的单位住房公积金账户；不限户籍，不设收入门槛；每人只能开一个灵活就业账户',
              'No active employer HPF account; no hukou restriction and no income threshold; one flexible account per person',
            )}
          </li>
          <li>
            {t(
              '居民身份证、港澳台居民居住证或外国人永久居留身份证均可办理',
              'Resident ID card, Hong Kong/Macao/Taiwan residence permit or foreign permanent residence ID',
            )}
          </li>
        </ul>
      ),
    },
    {
      key: 'modes',
      label: t('四种缴存方式', 'Four ways to deposit'),
      children: (
        <>
          <Paragraph>
            {t(
              `月缴存额下限 ${lower}、上限 ${upper}，每个公积金年度（7月1日至次年6月30日）公布一次。签约时选择一种方式，每年度可变更一次。`,
              `The monthly amount is between ${lower} and ${upper}, published every HPF year (1 July – 30 June). You choose a mode when you sign and may change it once a year.`,
            )}
          </Paragraph>
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={modes}
            columns={[
              { title: t('方式', 'Mode'), dataIndex: 'mode', width: 110 },
              { title: t('规则', 'Rule'), dataIndex: 'rule' },
            ]}
          />
          <Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t(
              '定期缴存未按期扣款即为断缴，断缴月份一般不能补缴。缴存额达到当月下限的月份计为“已缴月份”，连续缴存月数影响提取和贷款。',
              'A periodic payment not made in time is a missed period, normally not collected later. A month counts as covered when it received at least that month’s lower limit; consecutive covered months matter for withdrawals and loans.',
            )}
          </Paragraph>
        </>
      ),
    },
    {
      key: 'use',
      label: t('钱可以怎么用', 'What the money can be used for'),
      children: (
        <ul>
          <li>
            {t(
              `租房提取：连续缴存满 ${v('withdrawal.min_consecutive_months', '6')} 个月、本人及配偶在本市无房、无公积金贷款，每年最多 ${formatYuan(v('rent.annual_cap', '14000.00'))}；可按月提取或一次性提取已付房租；公租房按实际租金`,
              `Rent: after ${v('withdrawal.min_consecutive_months', '6')} consecutive covered months, owning no home in the city and with no HPF loan, up to ${formatYuan(v('rent.annual_cap', '14000.00'))} a year, monthly or once for rent paid; public rental housing by the actual rent`,
            )}
          </li>
          <li>
            {t(
              '灵活提取：连续缴存满 6 个月且无未还清贷款的，可随时提取任意部分余额，不限用途和次数',
              'Free withdrawal: after 6 consecutive covered months and with no loan outstanding, take any part of the balance at any time, for any purpose',
            )}
          </li>
          <li>
            {t(
              '销户提取：随时可以销户（无未还清贷款），取出全部余额和利息，符合条件的另发缴存补贴',
              'Closure: close the account at any time (with no loan outstanding) and take the whole balance with interest, plus the subsidy when eligible',
            )}
          </li>
          <li>
            {t(
              '就业身份变化时可在灵活就业账户和单位账户之间转换，异地工作可办理转移接续',
              'Accounts convert between flexible and employer-based when your work changes, and move between cities through the national transfer platform',
            )}
          </li>
        </ul>
      ),
    },
    {
      key: 'loans',
      label: t('住房公积金贷款（存贷挂钩）', 'Loans (linked to deposits)'),
      children: (
        <>
          <Paragraph>
            {t(
              '连续缴存满 6 个月、无未还清的公积金贷款、信用良好，在本市购房即可申请。期限最长 30 年，且到期时年龄不超过法定退休年龄后 5 年。',
              'After 6 consecutive covered months, with no HPF loan outstanding and acceptable credit, you may borrow to buy a home in the city. Up to 30 years, ending no later than 5 years after your statutory retirement age.',
            )}
          </Paragraph>
          <Paragraph>
            {t(
              '额度取以下四项中最低者，并向下取整到千元：A 账户余额 × 20 倍 × 缴存时长、稳定性、资金流动性和信用系数；B 还款能力（月供不超过家庭月收入减负债的 50%）；C 房价扣除最低首付（首套 20%，二套 30%）；D 最高额度。',
              'The quota is the smallest of four, rounded down to a thousand yuan: A your balance × 20 × duration, stability, liquidity and credit coefficients; B repayment capacity (installment ≤ 50 % of household income less debts); C the price less the minimum down payment (20 % first home, 30 % second); D the cap.',
            )}
          </Paragraph>
          <Paragraph>
            {t(
              `最高额度：单人 ${formatYuan(v('loan.cap_single', '600000.00'))}，夫妻双方缴存 ${formatYuan(v('loan.cap_couple', '800000.00'))}，多子女家庭上浮 10%。现行利率：首套五年以下 ${v('loan.rate.first_home_le5_pct', '—')}%、五年以上 ${v('loan.rate.first_home_gt5_pct', '—')}%；二套五年以下 ${v('loan.rate.second_home_le5_pct', '—')}%、五年以上 ${v('loan.rate.second_home_gt5_pct', '—')}%。`,
              `Cap: ${formatYuan(v('loan.cap_single', '600000.00'))} single, ${formatYuan(v('loan.cap_couple', '800000.00'))} when both spouses deposit, +10 % for families with two or more children. Rates now: first home ≤ 5 years ${v('loan.rate.first_home_le5_pct', '—')} %, over 5 years ${v('loan.rate.first_home_gt5_pct', '—')} %; second home ≤ 5 years ${v('loan.rate.second_home_le5_pct', '—')} %, over 5 years ${v('loan.rate.second_home_gt5_pct', '—')} %.`,
            )}
          </Paragraph>
        </>
      ),
    },
    {
      key: 'interest',
      label: t('利息', 'Interest'),
      children: (
        <Paragraph>
          {t(
            `按一年期定期存款基准利率计息，现为年利率 ${v('interest.annual_rate_pct', '1.50')}%。钱到账当天起计息，按每天余额累计（积数），除以 360；每年 6 月 30 日结息并入本金。例如 10,000 元存满一整年（365 天）利息为 152.08 元。`,
            `Interest at the one-year deposit benchmark, now ${v('interest.annual_rate_pct', '1.50')} % a year, from the day the money arrives, on each day’s balance, divided by 360; credited every 30 June. Example: 10,000 yuan for a whole year (365 days) earns 152.08.`,
          )}
        </Paragraph>
      ),
    },
    {
      key: 'subsidy',
      label: t('缴存补贴', 'Deposit subsidy'),
      children: (
        <Paragraph>
          {t(
            `首次缴存满一年、账户从未提取、贷款、转出或转换的，销户提取时另发缴存补贴：每笔缴存额 × ${v('subsidy.annual_rate_pct', '0.5')}% × 存入天数 ÷ 360，每人终身最多 ${formatYuan(v('subsidy.lifetime_cap', '10000.00'))}。`,
            `When an account at least one year old and never used (no withdrawal, loan, transfer out or conversion) is closed by withdrawal, a subsidy is paid: each deposit × ${v('subsidy.annual_rate_pct', '0.5')} % × days held ÷ 360, at most ${formatYuan(v('subsidy.lifetime_cap', '10000.00'))} per person in a lifetime.`,
          )}
        </Paragraph>
      ),
    },
  ];
  return <Collapse items={items} defaultActiveKey={['who', 'modes']} />;
}

const CALCULATORS = [
  { key: 'schedule', zh: '还款计划', en: 'Schedule', node: <ScheduleCalculator /> },
  { key: 'afford', zh: '还款能力', en: 'Capacity', node: <AffordabilityCalculator /> },
  { key: 'quota', zh: '贷款额度', en: 'Quota', node: <QuotaCalculator /> },
  { key: 'interest', zh: '利息', en: 'Interest', node: <InterestCalculator /> },
  { key: 'subsidy', zh: '缴存补贴', en: 'Subsidy', node: <SubsidyCalculator /> },
];

/** A wrapping row of choices (fits 390 px) instead of tabs that scroll out of sight. */
function Calculators() {
  const { t } = useLang();
  const [current, setCurrent] = useState('schedule');
  const chosen = CALCULATORS.find((c) => c.key === current) ?? CALCULATORS[0];
  return (
    <div>
      <Radio.Group
        optionType="button"
        buttonStyle="solid"
        value={current}
        onChange={(e) => setCurrent(String(e.target.value))}
        aria-label={t('选择计算器', 'Choose a calculator')}
        style={{ display: 'flex', flexWrap: 'wrap', gap: 4, marginBottom: 16 }}
        options={CALCULATORS.map((c) => ({ value: c.key, label: t(c.zh, c.en) }))}
      />
      <section aria-label={chosen ? t(chosen.zh, chosen.en) : undefined} key={chosen?.key}>
        {chosen?.node}
      </section>
    </div>
  );
}

export default function PublicPage() {
  const { t } = useLang();
  return (
    <ConfigProvider button={{ autoInsertSpace: false }}>
      <Layout style={{ minHeight: '100vh', background: '#f5f5f5' }}>
        <header style={{ background: '#c0392b', color: '#fff', padding: '16px 16px 24px' }}>
          <div style={{ maxWidth: 1080, margin: '0 auto' }}>
            <Row justify="space-between" align="middle" wrap={false}>
              <Text strong style={{ color: '#fff', fontSize: 18 }}>
                {t('安居 · 包头住房公积金', 'Anju · Baotou HPF')}
              </Text>
              <LangSwitch />
            </Row>
            <Title level={1} style={{ color: '#fff', fontSize: 26, margin: '16px 0 8px' }}>
              {t('灵活就业人员住房公积金', 'Housing Provident Fund for flexible workers')}
            </Title>
            <Paragraph style={{ color: '#fdecea', marginBottom: 16 }}>
              {t(
                '个体户、外卖骑手、网约车司机、自由职业者……自愿缴存，按时计息，可租房、购房、贷款。',
                'Self-employed, delivery riders, ride-hailing drivers, freelancers … deposit by choice, earn interest, and use it for rent, a home and a loan.',
              )}
            </Paragraph>
            <Space wrap>
              <Link to="/portal/register">
                <Button size="large">{t('在线登记开户', 'Register online')}</Button>
              </Link>
              <Link to="/portal/login">
                <Button size="large" ghost>
                  {t('缴存人登录', 'Depositor login')}
                </Button>
              </Link>
              <Link to="/console" style={{ color: '#fff', textDecoration: 'underline' }}>
                {t('工作人员入口', 'Staff login')}
              </Link>
            </Space>
          </div>
        </header>
        <main style={{ maxWidth: 1080, width: '100%', margin: '0 auto', padding: 16 }}>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={10}>
              <Card title={t('政策要点', 'The policy in plain words')} size="small">
                <Policy />
                <Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
                  {t(
                    '依据《包头市灵活就业人员参加住房公积金制度试点工作实施方案》（包府办发〔2023〕129号）。',
                    'Based on the Baotou pilot plan for flexible workers (Bao Fu Ban Fa [2023] No. 129).',
                  )}
                </Paragraph>
              </Card>
            </Col>
            <Col xs={24} lg={14}>
              <Card title={t('计算器', 'Calculators')} size="small">
                <Calculators />
              </Card>
            </Col>
          </Row>
        </main>
        <footer style={{ textAlign: 'center', padding: 16, color: '#888' }}>
          {t('包头市住房公积金管理中心 · 演示系统', 'Baotou Housing Provident Fund Center · demo system')}
        </footer>
      </Layout>
    </ConfigProvider>
  );
}
