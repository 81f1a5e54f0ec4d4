// The principal/interest picture of a repayment schedule: stacked bars per period (principal, interest)
// and the remaining balance as a line. ECharts is loaded with this chunk only (tree-shaken core).
import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, DataZoomComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useLang } from '../../lib/i18n.tsx';
import type { ScheduleRow } from './types.ts';

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  DataZoomComponent,
  CanvasRenderer,
]);

export default function ScheduleChart({ rows }: { rows: ScheduleRow[] }) {
  const { t } = useLang();
  const principal = t('本金', 'Principal');
  const interest = t('利息', 'Interest');
  const balance = t('剩余本金', 'Remaining principal');
  const option = {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { data: [principal, interest, balance], top: 0 },
    grid: { left: 56, right: 56, top: 60, bottom: rows.length > 36 ? 56 : 28 },
    dataZoom: rows.length > 36 ? [{ type: 'slider', height: 18, bottom: 8 }] : [],
    xAxis: { type: 'category', data: rows.map((r) => String(r.period)), name: t('期', 'No.') },
    yAxis: [
      { type: 'value', name: t('月供（元）', 'Per month (yuan)') },
      { type: 'value', name: t('余额（元）', 'Balance (yuan)'), splitLine: { show: false } },
    ],
    series: [
      {
        name: principal,
        type: 'bar',
        stack: 'pay',
        data: rows.map((r) => Number(r.principal)),
        color: '#c0392b',
      },
      {
        name: interest,
        type: 'bar',
        stack: 'pay',
        data: rows.map((r) => Number(r.interest)),
        color: '#f39c12',
      },
      {
        name: balance,
        type: 'line',
        yAxisIndex: 1,
        showSymbol: false,
        data: rows.map((r) => Number(r.balance)),
        color: '#2c3e50',
      },
    ],
  };
  return (
    <div role="img" aria-label={t('本金与利息构成图', 'Chart of principal and interest per period')}>
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 300, width: '100%' }} />
    </div>
  );
}
