// Balance, the covered-months calendar (rules.md §3.3), the statement with running balance, and interest:
// what has been credited and an estimate of this HPF year's interest so far (POST /calc/interest over the
// statement's movements at the rate in force).
import { Card, Col, Descriptions, Empty, Row, Statistic, Tag, Typography } from 'antd';
import { api } from '../../lib/api.ts';
import { usePolicyFigures } from '../../lib/figures.ts';
import { useLang } from '../../lib/i18n.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useApi } from '../../lib/useApi.ts';
import type { InterestResult } from '../../public/calculators/types.ts';
import { ItemList, ItemRow } from '../ItemList.tsx';
import { flexibleAccount, useMe } from '../me.ts';
import type { DepositPlan, PlanMonth } from '../plan.ts';
import { Screen } from './Screen.tsx';

interface Line {
  entryId: string;
  valueDate: string;
  kind: string;
  memo: string;
  amountIn: string;
  amountOut: string;
  balance: string;
}

interface StatementData {
  from: string;
  to: string;
  openingBalance: string;
  closingBalance: string;
  totals: { in: string; out: string; deposits: string; interest: string };
  lines: Line[];
}

function hpfYearStart(date: string): string {
  const [y = 2000, m = 1] = date.split('-').map(Number);
  return `${m >= 7 ? y : y - 1}-07-01`;
}

function MonthCalendar({ months, from, to }: { months: PlanMonth[]; from: string; to: string }) {
  const { t } = useLang();
  const byMonth = new Map(months.map((m) => [m.month, m]));
  const firstYear = Number(from.slice(0, 4));
  const lastYear = Number(to.slice(0, 4));
  const years: number[] = [];
  for (let y = lastYear; y >= firstYear && years.length < 6; y -= 1) years.push(y);
  return (
    <div data-testid="month-calendar">
      {years.map((year) => (
        <div key={year} style={{ marginBottom: 8 }}>
          <Typography.Text strong>{year}</Typography.Text>
          <div
            role="list"
            style={{ display: 'grid', gridTemplateColumns: 'repeat(6, 1fr)', gap: 4, marginTop: 4 }}
          >
            {Array.from({ length: 12 }, (_, i) => {
              const key = `${year}-${String(i + 1).padStart(2, '0')}`;
              const m = byMonth.get(key);
              const state = m ? (m.covered ? 'covered' : 'short') : 'none';
              const label = `${i + 1}${t('月', '')}`;
              const title =
                state === 'covered'
                  ? t(
                      `${key} 已缴 ${formatYuan(m?.allocated)}`,
                      `${key} covered, ${formatYuan(m?.allocated)}`,
                    )
                  : state === 'short'
                    ? t(
                        `${key} 不足下限 ${formatYuan(m?.allocated)}`,
                        `${key} below the limit, ${formatYuan(m?.allocated)}`,
                      )
                    : t(`${key} 未缴`, `${key} not covered`);
              return (
                <div
                  role="listitem"
                  key={key}
                  title={title}
                  aria-label={title}
                  style={{
                    textAlign: 'center',
                    padding: '6px 0',
                    borderRadius: 4,
                    fontSize: 12,
                    background: state === 'covered' ? '#c0392b' : state === 'short' ? '#f9d6d2' : '#eee',
                    color: state === 'covered' ? '#fff' : '#555',
                  }}
                >
                  {label}
                </div>
              );
            })}
          </div>
        </div>
      ))}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <Tag color="#c0392b">{t('已缴', 'Covered')}</Tag>
        <Tag color="#f9d6d2" style={{ color: '#555' }}>
          {t('不足下限', 'Below limit')}
        </Tag>
        <Tag>{t('未缴', 'None')}</Tag>
      </Typography.Text>
    </div>
  );
}

export default function Statement() {
  const { t } = useLang();
  const me = useMe();
  const figures = usePolicyFigures();
  const account = flexibleAccount(me.data);
  const id = account?.accountId;
  const plan = useApi(
    (signal) =>
      id
        ? api<DepositPlan>('GET', `/accounts/${id}/deposit-plan`, { as: 'depositor', signal })
        : Promise.resolve(undefined),
    [id],
  );
  const statement = useApi(
    (signal) =>
      id && account
        ? api<StatementData>('GET', `/accounts/${id}/statement?from=${account.openedOn}`, {
            as: 'depositor',
            signal,
          })
        : Promise.resolve(undefined),
    [id],
  );
  const rate = figures.value('interest.annual_rate_pct');
  const today = plan.data?.businessDate;
  const estimate = useApi(
    async (signal) => {
      const s = statement.data;
      if (!s || !rate || !today) return undefined;
      const start = hpfYearStart(today);
      const from = s.from > start ? s.from : start;
      const opening = s.lines.filter((l) => l.valueDate < from).at(-1)?.balance ?? s.openingBalance;
      const movements = s.lines
        .filter((l) => l.valueDate >= from && l.kind !== 'interest')
        .map((l) => ({ date: l.valueDate, amount: l.amountIn !== '0.00' ? l.amountIn : `-${l.amountOut}` }))
        .filter((m) => m.amount !== '-0.00');
      return api<InterestResult>('POST', '/calc/interest', {
        signal,
        body: {
          from,
          to: today,
          openingBalance: opening.startsWith('-') ? '0' : opening,
          annualRate: rate,
          movements,
        },
      }).then((r) => ({ ...r, from }));
    },
    [statement.data, rate, today],
  );

  const loading =
    (me.loading && !me.data) || (!!id && (plan.loading || statement.loading) && !statement.data);
  return (
    <Screen
      title={t('明细与利息', 'Statement & interest')}
      loading={loading}
      error={me.error ?? plan.error ?? statement.error}
    >
      {me.data && !account && <Empty description={t('尚未开户', 'No account yet')} />}
      {account && statement.data && plan.data && (
        <>
          <Card size="small" style={{ marginBottom: 12 }}>
            <Row gutter={12}>
              <Col span={12}>
                <Statistic title={t('余额', 'Balance')} value={formatYuan(account.balance)} />
              </Col>
              <Col span={12}>
                <Statistic
                  title={t('连续缴存月数', 'Consecutive months')}
                  value={plan.data.consecutiveMonths}
                />
              </Col>
            </Row>
          </Card>
          <Card size="small" title={t('缴存月份', 'Covered months')} style={{ marginBottom: 12 }}>
            <MonthCalendar months={plan.data.months} from={account.openedOn} to={plan.data.businessDate} />
          </Card>
          <Card size="small" title={t('利息', 'Interest')} style={{ marginBottom: 12 }}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('已结利息（开户以来）', 'Interest credited (since opening)')}>
                {formatYuan(statement.data.totals.interest)}
              </Descriptions.Item>
              <Descriptions.Item label={t('年利率', 'Annual rate')}>
                {rate ? `${rate}%` : '—'}
              </Descriptions.Item>
              {estimate.data && (
                <Descriptions.Item
                  label={t(
                    `本年度（${estimate.data.from} 起）预计利息`,
                    `This HPF year so far (from ${estimate.data.from}), estimated`,
                  )}
                >
                  {formatYuan(estimate.data.interest)}
                </Descriptions.Item>
              )}
            </Descriptions>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
              {t(
                '每年 6 月 30 日结息；利息 = 每日余额之和 × 年利率 ÷ 360。',
                'Interest is credited every 30 June: Σ daily balances × rate ÷ 360.',
              )}
            </Typography.Paragraph>
          </Card>
          <Card
            size="small"
            title={t(
              `明细（${statement.data.from} 至 ${statement.data.to}）`,
              `Movements (${statement.data.from} to ${statement.data.to})`,
            )}
          >
            <ItemList
              empty={t('暂无明细', 'No movements yet')}
              items={[...statement.data.lines].reverse()}
              rowKey={(line) => line.entryId}
              pageSize={10}
              render={(line) => (
                <ItemRow
                  title={
                    <span>
                      {line.amountIn !== '0.00' ? (
                        <Typography.Text type="success">+{formatYuan(line.amountIn)}</Typography.Text>
                      ) : (
                        <Typography.Text type="danger">-{formatYuan(line.amountOut)}</Typography.Text>
                      )}{' '}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {line.memo}
                      </Typography.Text>
                    </span>
                  }
                  description={line.valueDate}
                  extra={<Typography.Text type="secondary">{formatYuan(line.balance)}</Typography.Text>}
                />
              )}
            />
            <Descriptions column={2} size="small" style={{ marginTop: 8 }}>
              <Descriptions.Item label={t('收入合计', 'In')}>
                {formatYuan(statement.data.totals.in)}
              </Descriptions.Item>
              <Descriptions.Item label={t('支出合计', 'Out')}>
                {formatYuan(statement.data.totals.out)}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </>
      )}
    </Screen>
  );
}
