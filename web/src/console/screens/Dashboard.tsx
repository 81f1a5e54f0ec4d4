// The dashboard: depositors, balances, this month's deposits and withdrawals, loans; by district and by
// form of employment; twelve months of trend (GET /dashboard, limited to the district of a viewer).
import { useMemo } from 'react';
import { Button, Card, Col, Row, Statistic, Table, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useLang } from '../../lib/i18n.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useApi } from '../../lib/useApi.ts';
import { call } from '../call.ts';
import { Page } from '../Page.tsx';
import { Loading } from '../Loading.tsx';
import { EChart, type ChartOption } from '../EChart.tsx';
import { labelOf, useReference } from '../reference.ts';

interface CountAmount {
  count: number;
  amount: string;
}

interface Figures {
  depositors: number;
  openAccounts: number;
  balance: string;
  depositsThisMonth: CountAmount;
  withdrawalsThisMonth: CountAmount;
  loans: { active: number; outstanding: string; inProgress: number };
}

export interface DashboardData {
  businessDate: string;
  districtCode: string | null;
  totals: Figures;
  byDistrict: Array<Figures & { districtCode: string; zh: string; en: string }>;
  byEmploymentForm: Array<{ employmentForm: string; depositors: number; balance: string }>;
  monthly: Array<{
    month: string;
    newDepositors: number;
    deposits: CountAmount;
    withdrawals: CountAmount;
    loansDisbursed: CountAmount;
  }>;
}

/** Yuan string → number for a chart axis only (never for arithmetic on money). */
const chartYuan = (amount: string) => Number(amount);

export default function Dashboard() {
  const { t, lang } = useLang();
  const reference = useReference();
  const { data, error, loading, reload } = useApi(
    (signal) => call<DashboardData>('GET', '/dashboard', undefined, signal),
    [],
  );

  const trend = useMemo<ChartOption | null>(() => {
    if (!data) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 70, right: 50, bottom: 60, top: 40 },
      xAxis: { type: 'category', data: data.monthly.map((m) => m.month) },
      yAxis: [
        { type: 'value', name: t('金额（元）', 'Yuan') },
        { type: 'value', name: t('人数', 'People'), splitLine: { show: false } },
      ],
      series: [
        {
          name: t('缴存额', 'Deposits'),
          type: 'bar',
          data: data.monthly.map((m) => chartYuan(m.deposits.amount)),
        },
        {
          name: t('提取额', 'Withdrawals'),
          type: 'bar',
          data: data.monthly.map((m) => chartYuan(m.withdrawals.amount)),
        },
        {
          name: t('放款额', 'Loans disbursed'),
          type: 'bar',
          data: data.monthly.map((m) => chartYuan(m.loansDisbursed.amount)),
        },
        {
          name: t('新开户', 'New depositors'),
          type: 'line',
          yAxisIndex: 1,
          data: data.monthly.map((m) => m.newDepositors),
        },
      ],
    };
  }, [data, t]);

  const byForm = useMemo<ChartOption | null>(() => {
    if (!data) return null;
    return {
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [
        {
          name: t('缴存人', 'Depositors'),
          type: 'pie',
          radius: ['40%', '68%'],
          label: { formatter: '{d}%' },
          data: data.byEmploymentForm.map((f) => ({
            name: labelOf(reference.data?.employmentForms, f.employmentForm, lang),
            value: f.depositors,
          })),
        },
      ],
    };
  }, [data, reference.data, lang, t]);

  const byDistrictChart = useMemo<ChartOption | null>(() => {
    if (!data || data.byDistrict.length < 2) return null;
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 160, right: 30, top: 10, bottom: 30 },
      xAxis: { type: 'value', name: t('元', 'Yuan') },
      yAxis: { type: 'category', data: data.byDistrict.map((d) => (lang === 'zh' ? d.zh : d.en)) },
      series: [
        {
          name: t('账户余额', 'Balance'),
          type: 'bar',
          data: data.byDistrict.map((d) => chartYuan(d.balance)),
        },
      ],
    };
  }, [data, lang, t]);

  const title = t('业务总览', 'Dashboard');
  if (loading && !data) return <Loading />;
  const totals = data?.totals;
  return (
    <Page
      title={title}
      extra={
        <Button icon={<ReloadOutlined />} onClick={reload} loading={loading}>
          {t('刷新', 'Refresh')}
        </Button>
      }
    >
      <ErrorAlert error={error} />
      {data && totals && (
        <>
          <Typography.Paragraph type="secondary">
            {t('截至会计日期', 'As of business date')} {data.businessDate}
            {data.districtCode &&
              ` · ${t('辖区', 'District')}: ${labelOf(reference.data?.districts, data.districtCode, lang)}`}
          </Typography.Paragraph>
          <Row gutter={[16, 16]}>
            <Col xs={24} sm={12} lg={6}>
              <Card>
                <Statistic
                  title={t('缴存人数', 'Depositors')}
                  value={totals.depositors}
                  suffix={t('人', '')}
                />
                <Typography.Text type="secondary">
                  {t('正常账户', 'Open accounts')} {totals.openAccounts}
                </Typography.Text>
              </Card>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Card>
                <Statistic title={t('缴存余额', 'Balances')} value={formatYuan(totals.balance)} />
              </Card>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Card>
                <Statistic
                  title={t('本月缴存', 'Deposits this month')}
                  value={formatYuan(totals.depositsThisMonth.amount)}
                />
                <Typography.Text type="secondary">
                  {t(
                    `${totals.depositsThisMonth.count} 笔 · 本月提取 ${formatYuan(totals.withdrawalsThisMonth.amount)}（${totals.withdrawalsThisMonth.count} 笔）`,
                    `${totals.depositsThisMonth.count} deposit(s) · withdrawals ${formatYuan(totals.withdrawalsThisMonth.amount)} (${totals.withdrawalsThisMonth.count})`,
                  )}
                </Typography.Text>
              </Card>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Card>
                <Statistic
                  title={t('贷款余额', 'Loans outstanding')}
                  value={formatYuan(totals.loans.outstanding)}
                />
                <Typography.Text type="secondary">
                  {t('在贷', 'Active')} {totals.loans.active} · {t('审批中', 'In progress')}{' '}
                  {totals.loans.inProgress}
                </Typography.Text>
              </Card>
            </Col>
          </Row>
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            <Col xs={24} xl={16}>
              <Card title={t('近十二个月趋势', 'Last twelve months')}>
                {trend && <EChart option={trend} label={t('月度趋势图', 'Monthly trend chart')} />}
              </Card>
            </Col>
            <Col xs={24} xl={8}>
              <Card title={t('按就业形式', 'By form of employment')}>
                {byForm && <EChart option={byForm} label={t('就业形式分布图', 'Employment form chart')} />}
              </Card>
            </Col>
          </Row>
          {byDistrictChart && (
            <Card title={t('各区县余额', 'Balance by district')} style={{ marginTop: 16 }}>
              <EChart
                option={byDistrictChart}
                height={360}
                label={t('各区县余额图', 'Balance by district chart')}
              />
            </Card>
          )}
          <Card title={t('按区县', 'By district')} style={{ marginTop: 16 }}>
            <Table
              rowKey="districtCode"
              size="small"
              pagination={false}
              scroll={{ x: 900 }}
              dataSource={data.byDistrict}
              columns={[
                { title: t('区县', 'District'), render: (_, d) => (lang === 'zh' ? d.zh : d.en) },
                { title: t('缴存人', 'Depositors'), dataIndex: 'depositors', align: 'right' },
                { title: t('余额', 'Balance'), align: 'right', render: (_, d) => formatYuan(d.balance) },
                {
                  title: t('本月缴存', 'Deposits (month)'),
                  align: 'right',
                  render: (_, d) =>
                    `${formatYuan(d.depositsThisMonth.amount)} (${d.depositsThisMonth.count})`,
                },
                {
                  title: t('本月提取', 'Withdrawals (month)'),
                  align: 'right',
                  render: (_, d) =>
                    `${formatYuan(d.withdrawalsThisMonth.amount)} (${d.withdrawalsThisMonth.count})`,
                },
                { title: t('在贷笔数', 'Active loans'), align: 'right', render: (_, d) => d.loans.active },
                {
                  title: t('贷款余额', 'Outstanding'),
                  align: 'right',
                  render: (_, d) => formatYuan(d.loans.outstanding),
                },
              ]}
            />
          </Card>
          <Card title={t('按就业形式', 'By form of employment')} style={{ marginTop: 16 }}>
            <Table
              rowKey="employmentForm"
              size="small"
              pagination={false}
              dataSource={data.byEmploymentForm}
              columns={[
                {
                  title: t('就业形式', 'Form of employment'),
                  render: (_, f) => labelOf(reference.data?.employmentForms, f.employmentForm, lang),
                },
                { title: t('缴存人', 'Depositors'), dataIndex: 'depositors', align: 'right' },
                { title: t('余额', 'Balance'), align: 'right', render: (_, f) => formatYuan(f.balance) },
              ]}
            />
          </Card>
        </>
      )}
    </Page>
  );
}
