// The pools' liquidity (资金流动性, rules.md §8) for finance, risk and managers: the alert level in force
// for each pool, the loan ratio month by month against the 85 / 90 / 95 % lines, and every month's figures
// with the level they called for and the level set after hysteresis. Risk and managers compute a closed
// month again (the close does it at each month end).
import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { useLang } from '../../lib/i18n.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useApi } from '../../lib/useApi.ts';
import { word, type Words } from '../../lib/words.ts';
import { call } from '../call.ts';
import { EChart, type ChartOption } from '../EChart.tsx';
import { Loading, Nothing } from '../Loading.tsx';
import { Page } from '../Page.tsx';
import { useStaff } from '../staff.tsx';

interface PoolIndicator {
  book: 'FLEX' | 'MANDATORY';
  month: string;
  alertLevel: string;
  previousLevel: string;
  indicatedLevel: string;
  change: 'raised' | 'stepped_down' | 'held';
  loanRatioPct: string | null;
  usageRatioPct: string | null;
  paymentRatePct: string | null;
  capacity: string;
  netFlow: string;
  loanBalance: string;
  depositBalance: string;
  periodsDue: number;
  periodsPaid: number;
}

const LEVEL_WORDS: Words = {
  normal: ['正常', 'Normal'],
  level1: ['一级预警', 'Level 1'],
  level2: ['二级预警', 'Level 2'],
  level3: ['三级预警', 'Level 3'],
};
const LEVEL_COLORS: Record<string, string> = {
  normal: 'green',
  level1: 'gold',
  level2: 'orange',
  level3: 'red',
};
const CHANGE_WORDS: Words = {
  raised: ['升级', 'Raised'],
  stepped_down: ['降一级', 'Stepped down'],
  held: ['维持', 'Held'],
};
const BOOK_WORDS: Words = {
  FLEX: ['灵活就业资金池', 'Flexible pool'],
  MANDATORY: ['单位缴存资金池', 'Unit pool'],
};
/** What each level does (rules.md §8 levers). */
const LEVER_WORDS: Words = {
  normal: ['贷款额度流动性系数 1.0', 'Quota liquidity coefficient 1.0'],
  level1: ['贷款额度流动性系数 0.9', 'Quota liquidity coefficient 0.9'],
  level2: ['流动性系数 0.8；可提供公转商贷款', 'Coefficient 0.8; offer commercial-loan conversion (公转商)'],
  level3: ['流动性系数 0.7；新增放款轮候', 'Coefficient 0.7; new disbursements queue (轮候)'],
};

const pct = (value: string | null) => (value === null ? '—' : `${value} %`);

export default function Liquidity() {
  const { t, lang } = useLang();
  const { hasRole } = useStaff();
  const { message } = App.useApp();
  const [month, setMonth] = useState<Dayjs | null>(null);
  const [computing, setComputing] = useState(false);
  const [computeError, setComputeError] = useState<unknown>();
  const list = useApi(
    (signal) => call<{ items: PoolIndicator[] }>('GET', '/pool-indicators?months=36', undefined, signal),
    [],
  );
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const latest = (book: PoolIndicator['book']) => items.find((i) => i.book === book);

  const chart = useMemo<ChartOption | null>(() => {
    const flex = items.filter((i) => i.book === 'FLEX').reverse();
    if (flex.length === 0) return null;
    const line = (value: number, name: string) => ({
      name,
      type: 'line' as const,
      symbol: 'none',
      lineStyle: { type: 'dashed' as const, width: 1 },
      data: flex.map(() => value),
    });
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 60, right: 30, bottom: 60, top: 30 },
      xAxis: { type: 'category', data: flex.map((i) => i.month) },
      yAxis: { type: 'value', name: '%', min: 0 },
      series: [
        {
          name: t('个贷率', 'Loan ratio'),
          type: 'line',
          data: flex.map((i) => (i.loanRatioPct === null ? null : Number(i.loanRatioPct))),
        },
        line(85, t('一级 85%', 'Level 1 85%')),
        line(90, t('二级 90%', 'Level 2 90%')),
        line(95, t('三级 95%', 'Level 3 95%')),
      ],
    };
  }, [items, t]);

  const compute = async () => {
    if (!month) return;
    setComputing(true);
    setComputeError(undefined);
    try {
      await call('POST', '/pool-indicators/compute', { month: month.format('YYYY-MM') });
      void message.success(t('已重新计算', 'Computed again'));
      list.reload();
    } catch (e) {
      setComputeError(e);
    } finally {
      setComputing(false);
    }
  };

  if (list.loading && !list.data) return <Loading />;
  return (
    <Page
      title={t('流动性监测', 'Liquidity')}
      extra={
        <Button icon={<ReloadOutlined />} onClick={list.reload} loading={list.loading}>
          {t('刷新', 'Refresh')}
        </Button>
      }
    >
      <ErrorAlert error={list.error} />
      <Row gutter={16} style={{ marginBottom: 16 }}>
        {(['FLEX', 'MANDATORY'] as const).map((book) => {
          const now = latest(book);
          return (
            <Col xs={24} md={12} key={book}>
              <Card data-testid={`pool-${book}`}>
                <Space orientation="vertical" size={4}>
                  <Typography.Text strong>{word(BOOK_WORDS, book, lang)}</Typography.Text>
                  {now ? (
                    <>
                      <Space wrap>
                        <Tag color={LEVEL_COLORS[now.alertLevel]}>
                          {word(LEVEL_WORDS, now.alertLevel, lang)}
                        </Tag>
                        <Typography.Text type="secondary">
                          {t(
                            `${now.month} 月末，次日起执行`,
                            `Set at the end of ${now.month}, in force from the next day`,
                          )}
                        </Typography.Text>
                      </Space>
                      <Space size={32} wrap>
                        <Statistic title={t('个贷率', 'Loan ratio')} value={pct(now.loanRatioPct)} />
                        <Statistic title={t('资金使用率', 'Usage ratio')} value={pct(now.usageRatioPct)} />
                        <Statistic title={t('资金容量', 'Capacity')} value={formatYuan(now.capacity)} />
                      </Space>
                      <Typography.Text type="secondary">
                        {word(LEVER_WORDS, now.alertLevel, lang)}
                      </Typography.Text>
                    </>
                  ) : (
                    <Typography.Text type="secondary">
                      {t(
                        '尚无月末指标：日终结账在每月末计算',
                        'No month-end figures yet: the close computes them each month end',
                      )}
                    </Typography.Text>
                  )}
                </Space>
              </Card>
            </Col>
          );
        })}
      </Row>
      {chart && (
        <Card title={t('灵活就业资金池个贷率', 'Flexible pool loan ratio')} style={{ marginBottom: 16 }}>
          <EChart option={chart} label={t('个贷率趋势图', 'Loan ratio chart')} />
        </Card>
      )}
      {hasRole('risk', 'manager') && (
        <Card size="small" style={{ marginBottom: 16 }}>
          <Space wrap>
            <Typography.Text>{t('重新计算已结月份', 'Compute a closed month again')}</Typography.Text>
            <DatePicker picker="month" value={month} onChange={setMonth} aria-label={t('月份', 'Month')} />
            <Button type="primary" disabled={!month} loading={computing} onClick={() => void compute()}>
              {t('计算', 'Compute')}
            </Button>
          </Space>
          <ErrorAlert error={computeError} />
        </Card>
      )}
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={t(
          '个贷率 ≥85% 且连续 3 个月资金净流量为负为一级预警，≥90% 二级，≥95% 三级；预警立即升级，连续 3 个月低于当前级别后每季度降一级。',
          'Level 1 at a loan ratio of 85 % with three months of negative net flow, level 2 from 90 %, level 3 from 95 %; a level rises at once and steps down one band after three months below it.',
        )}
      />
      <Card title={t('月末指标', 'Month-end figures')}>
        <Table<PoolIndicator>
          rowKey={(r) => `${r.book}-${r.month}`}
          size="small"
          dataSource={items}
          scroll={{ x: 1100 }}
          locale={{ emptyText: <Nothing text={t('尚无月末指标', 'No month-end figures yet')} /> }}
          columns={[
            { title: t('月份', 'Month'), dataIndex: 'month' },
            { title: t('资金池', 'Pool'), render: (_, r) => word(BOOK_WORDS, r.book, lang) },
            { title: t('个贷率', 'Loan ratio'), align: 'right', render: (_, r) => pct(r.loanRatioPct) },
            { title: t('使用率', 'Usage'), align: 'right', render: (_, r) => pct(r.usageRatioPct) },
            {
              title: t('实缴率', 'Payment rate'),
              align: 'right',
              render: (_, r) => `${pct(r.paymentRatePct)} (${r.periodsPaid}/${r.periodsDue})`,
            },
            { title: t('净流量', 'Net flow'), align: 'right', render: (_, r) => formatYuan(r.netFlow) },
            { title: t('资金容量', 'Capacity'), align: 'right', render: (_, r) => formatYuan(r.capacity) },
            {
              title: t('指标所示', 'Figures call for'),
              render: (_, r) => word(LEVEL_WORDS, r.indicatedLevel, lang),
            },
            {
              title: t('预警级别', 'Alert level'),
              render: (_, r) => (
                <Space size={4}>
                  <Tag color={LEVEL_COLORS[r.alertLevel]}>{word(LEVEL_WORDS, r.alertLevel, lang)}</Tag>
                  {r.change !== 'held' && (
                    <Typography.Text type="secondary">{word(CHANGE_WORDS, r.change, lang)}</Typography.Text>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Page>
  );
}
