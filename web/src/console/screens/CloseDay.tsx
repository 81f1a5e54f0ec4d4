// The business-day close (日终): start it, and watch each step go from pending to done by polling the
// close status of the day being closed. A catch-up closes every open day before a chosen date.
import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Popconfirm,
  Progress,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import {
  CheckCircleTwoTone,
  ClockCircleOutlined,
  LoadingOutlined,
  PlayCircleOutlined,
} from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useLang } from '../../lib/i18n.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { call } from '../call.ts';
import { Page } from '../Page.tsx';
import { CLOSE_STATUS_WORDS, CLOSE_STEP_WORDS, word } from '../labels.ts';

interface CloseStatus {
  date: string;
  status: string;
  steps: Array<{
    step: string;
    status: string;
    summary: Record<string, unknown> | null;
    finishedAt: string | null;
  }>;
}

const POLL_MS = 400;

function summaryText(summary: Record<string, unknown> | null): string {
  if (!summary) return '';
  return Object.entries(summary)
    .filter(([, v]) => v !== null && typeof v !== 'object')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' · ');
}

export default function CloseDay() {
  const { t, lang } = useLang();
  const [businessDate, setBusinessDate] = useState<string>();
  const [status, setStatus] = useState<CloseStatus>();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>();
  const [closed, setClosed] = useState<string[]>([]);
  const [to, setTo] = useState<Dayjs | null>(null);

  const refresh = useCallback(async () => {
    const { businessDate: date } = await call<{ businessDate: string }>('GET', '/calendar');
    setBusinessDate(date);
    const s = await call<CloseStatus>('GET', `/close-day/${date}`);
    setStatus(s);
    return s;
  }, []);

  useEffect(() => {
    refresh().catch(setError);
  }, [refresh]);

  const poll = useCallback(async (date: string) => {
    try {
      const s = await call<CloseStatus>('GET', `/close-day/${date}`);
      if (s.steps.length > 0) setStatus(s);
      const { businessDate: now } = await call<{ businessDate: string }>('GET', '/calendar');
      setBusinessDate(now);
      return now;
    } catch {
      return date;
    }
  }, []);

  const start = async () => {
    if (!businessDate) return;
    setRunning(true);
    setError(undefined);
    setClosed([]);
    let watching = businessDate;
    setStatus({ date: watching, status: 'running', steps: [] });
    const request = call<{ closed: Array<{ date: string }>; businessDate: string }>(
      'POST',
      '/close-day',
      to ? { to: to.format('YYYY-MM-DD') } : {},
    );
    let finished = false;
    request.finally(() => (finished = true)).catch(() => undefined);
    // Poll while the close runs: the day being closed is the business date until it advances.
    for (let first = true; !finished; first = false) {
      await new Promise((resolve) => setTimeout(resolve, first ? 100 : POLL_MS));
      const now = await poll(watching);
      if (now !== watching && !finished) {
        await poll(watching);
        watching = now;
      }
    }
    try {
      const result = await request;
      setClosed(result.closed.map((c) => c.date));
      const last = result.closed[result.closed.length - 1]?.date ?? watching;
      setStatus(await call<CloseStatus>('GET', `/close-day/${last}`));
      setBusinessDate(result.businessDate);
      window.dispatchEvent(new Event('anju:business-date'));
    } catch (e) {
      setError(e);
      await poll(watching);
    } finally {
      setRunning(false);
    }
  };

  const knownSteps = Object.keys(CLOSE_STEP_WORDS);
  const rows =
    status && status.steps.length > 0
      ? status.steps
      : knownSteps.map((step) => ({ step, status: 'pending', summary: null, finishedAt: null }));
  const done = rows.filter((r) => r.status === 'done').length;
  const percent = rows.length ? Math.round((done / rows.length) * 100) : 0;
  const currentStep = running ? rows.find((r) => r.status !== 'done') : undefined;

  return (
    <Page title={t('日终结账', 'Business-day close')}>
      <ErrorAlert error={error} />
      <Card style={{ marginBottom: 16 }}>
        <Descriptions
          column={{ xs: 1, md: 3 }}
          items={[
            {
              label: t('当前会计日期', 'Business date'),
              children: <strong data-testid="close-business-date">{businessDate ?? '…'}</strong>,
            },
            {
              label: t('本次结账日', 'Closing'),
              children: status?.date ?? '—',
            },
            {
              label: t('状态', 'Status'),
              children: (
                <Tag
                  color={status?.status === 'done' ? 'green' : status?.status === 'failed' ? 'red' : 'blue'}
                  data-testid="close-status"
                >
                  {word(CLOSE_STATUS_WORDS, status?.status ?? 'not_started', lang)}
                </Tag>
              ),
            },
          ]}
        />
        <Space wrap>
          <span id="close-to-label">{t('补结至（不含，可选）', 'Catch up to (exclusive, optional)')}</span>
          <DatePicker
            aria-labelledby="close-to-label"
            value={to}
            onChange={setTo}
            disabled={running}
            disabledDate={(d) => !!businessDate && !d.isAfter(dayjs(businessDate).add(1, 'day'), 'day')}
          />
          <Popconfirm
            title={t('确认开始日终结账？', 'Start the close?')}
            description={
              to
                ? t(
                    `将结账至 ${to.format('YYYY-MM-DD')} 前的每一天`,
                    `Closes every day before ${to.format('YYYY-MM-DD')}`,
                  )
                : t(
                    `结账 ${businessDate ?? ''} 并进入下一会计日`,
                    `Closes ${businessDate ?? ''} and moves to the next day`,
                  )
            }
            okText={t('开始', 'Start')}
            cancelText={t('取消', 'Cancel')}
            onConfirm={() => void start()}
          >
            <Button type="primary" icon={<PlayCircleOutlined />} loading={running} disabled={!businessDate}>
              {t('开始日终', 'Close the day')}
            </Button>
          </Popconfirm>
        </Space>
      </Card>
      {closed.length > 0 && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          title={t(`已结账：${closed.join('、')}`, `Closed: ${closed.join(', ')}`)}
          description={t(`新的会计日期：${businessDate ?? ''}`, `New business date: ${businessDate ?? ''}`)}
        />
      )}
      <Card title={t('结账步骤', 'Steps')}>
        <div role="status" aria-live="polite">
          <Progress
            percent={percent}
            status={running ? 'active' : status?.status === 'failed' ? 'exception' : undefined}
          />
          {currentStep && (
            <Typography.Text type="secondary">
              {t('正在执行：', 'Running: ')}
              {word(CLOSE_STEP_WORDS, currentStep.step, lang)}
            </Typography.Text>
          )}
        </div>
        <Table
          rowKey="step"
          size="small"
          pagination={false}
          style={{ marginTop: 12 }}
          dataSource={rows}
          columns={[
            {
              title: t('步骤', 'Step'),
              render: (_, r) => word(CLOSE_STEP_WORDS, r.step, lang),
            },
            {
              title: t('状态', 'Status'),
              render: (_, r) =>
                r.status === 'done' ? (
                  <Space>
                    <CheckCircleTwoTone twoToneColor="#52c41a" />
                    {word(CLOSE_STATUS_WORDS, 'done', lang)}
                  </Space>
                ) : running && r === currentStep ? (
                  <Space>
                    <LoadingOutlined />
                    {word(CLOSE_STATUS_WORDS, 'running', lang)}
                  </Space>
                ) : (
                  <Space>
                    <ClockCircleOutlined />
                    {word(CLOSE_STATUS_WORDS, r.status, lang)}
                  </Space>
                ),
            },
            { title: t('结果', 'Result'), render: (_, r) => summaryText(r.summary) },
            {
              title: t('完成时间', 'Finished'),
              render: (_, r) => (r.finishedAt ? dayjs(r.finishedAt).format('HH:mm:ss') : ''),
            },
          ]}
        />
      </Card>
    </Page>
  );
}
