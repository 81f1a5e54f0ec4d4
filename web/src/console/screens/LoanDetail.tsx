// One loan: its workflow steps (who did what), the quota and why, the next step for the roles that own
// it (maker-checker: the server refuses a second step by the same person), once disbursed its repayments
// with any over-payment held for refund and the refund for finance (LoanRepayments.tsx), and the repayment
// schedule as a table and a chart: the fixed schedule once disbursed, else the projected one
// (POST /calc/schedule).
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Modal,
  Row,
  Space,
  Steps,
  Table,
  Tag,
  Typography,
} from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { download } from '../../lib/api.ts';
import { useLang } from '../../lib/i18n.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useApi } from '../../lib/useApi.ts';
import { call } from '../call.ts';
import { Page } from '../Page.tsx';
import { Loading, Nothing } from '../Loading.tsx';
import { EChart, type ChartOption } from '../EChart.tsx';
import { INSTALLMENT_STATUS_WORDS, LOAN_STATUS_WORDS, METHOD_WORDS, word } from '../labels.ts';
import { useStaff } from '../staff.tsx';
import { LoanRepayments } from '../LoanRepayments.tsx';
import type { LoanView, ScheduleRow } from './loan-types.ts';
import { nextStep, rejectRoles } from './loan-steps.ts';

const STEP_ORDER = [
  'applied',
  'reviewed',
  'awaiting_manager',
  'approved',
  'contracted',
  'mortgaged',
  'disbursed',
];

interface MortgageValues {
  certificateNo: string;
  address: string;
  areaSqm: string;
  price: string;
}

export default function LoanDetail() {
  const { id = '' } = useParams();
  const { t, lang } = useLang();
  const { hasRole } = useStaff();
  const { message } = App.useApp();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [mortgaging, setMortgaging] = useState(false);
  const [rejectForm] = Form.useForm<{ reason: string }>();
  const [mortgageForm] = Form.useForm<MortgageValues>();
  const loan = useApi((signal) => call<LoanView>('GET', `/loans/${id}`, undefined, signal), [id]);
  const l = loan.data;
  const projected = useApi(
    async (signal) => {
      if (!l || l.schedule.length > 0) return null;
      const result = await call<{ installments: ScheduleRow[] }>(
        'POST',
        '/calc/schedule',
        {
          principal: l.amount,
          annualRate: l.annualRate.replace(/0+$/, '').replace(/\.$/, ''),
          months: l.termMonths,
          method: l.method,
        },
        signal,
      );
      return result.installments;
    },
    [l?.loanId, l?.schedule.length, l?.amount, l?.termMonths, l?.method, l?.annualRate],
  );
  const schedule = l && l.schedule.length > 0 ? l.schedule : (projected.data ?? []);
  const isProjected = !!l && l.schedule.length === 0;

  const chart = useMemo<ChartOption | null>(() => {
    if (schedule.length === 0) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 70, right: 80, top: 40, bottom: 60 },
      xAxis: { type: 'category', name: t('期次', 'Period'), data: schedule.map((r) => r.period) },
      yAxis: [
        { type: 'value', name: t('月供（元）', 'Payment') },
        { type: 'value', name: t('剩余本金', 'Balance'), splitLine: { show: false } },
      ],
      series: [
        {
          name: t('本金', 'Principal'),
          type: 'bar',
          stack: 'pay',
          data: schedule.map((r) => Number(r.principal)),
        },
        {
          name: t('利息', 'Interest'),
          type: 'bar',
          stack: 'pay',
          data: schedule.map((r) => Number(r.interest)),
        },
        {
          name: t('剩余本金', 'Balance'),
          type: 'line',
          yAxisIndex: 1,
          showSymbol: false,
          data: schedule.map((r) => Number(r.balance)),
        },
      ],
    };
  }, [schedule, t]);

  const act = async (path: string, body?: unknown, done?: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await call('POST', `/loans/${id}/${path}`, body ?? {});
      if (done) void message.success(done);
      loan.reload();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };

  if (loan.loading && !l) return <Loading />;
  if (!l) return <ErrorAlert error={loan.error} />;

  const next = nextStep(l);
  const mayAct = next && hasRole(...next.roles);
  const mayReject = hasRole(...rejectRoles(l));
  const stepIndex = l.status === 'rejected' ? -1 : STEP_ORDER.indexOf(l.status);
  const stepsShown = STEP_ORDER.filter((s) => s !== 'awaiting_manager' || l.steps.needsManager);
  const current =
    l.status === 'settled' || l.status === 'disbursed'
      ? stepsShown.length
      : stepsShown.indexOf(STEP_ORDER[stepIndex] ?? '');

  const runNext = () => {
    if (!next) return;
    if (next.action === 'mortgage') {
      mortgageForm.setFieldsValue({
        address: l.house.address,
        areaSqm: l.house.areaSqm,
        price: l.house.price,
      });
      setMortgaging(true);
      return;
    }
    void act(next.action, next.action === 'disburse' ? undefined : {}, t('已完成', 'Done'));
  };

  return (
    <Page
      title={`${t('贷款', 'Loan')} ${l.loanNumber}`}
      extra={
        <Space>
          {l.steps.contract && (
            <Button
              icon={<DownloadOutlined />}
              onClick={() => {
                download(`/loans/${l.loanId}/contract.pdf`, 'staff', `contract-${l.loanNumber}.pdf`).catch(
                  setError,
                );
              }}
            >
              {t('合同 PDF', 'Contract PDF')}
            </Button>
          )}
          <Link to="/console/loans">{t('返回列表', 'Back to the queue')}</Link>
        </Space>
      }
    >
      <ErrorAlert error={error} />
      <Card style={{ marginBottom: 16 }}>
        {l.status === 'rejected' ? (
          <Typography.Paragraph type="danger">
            {t('已拒绝', 'Rejected')} · {l.steps.rejected?.by} · {l.steps.rejected?.reason}
          </Typography.Paragraph>
        ) : (
          <Steps
            size="small"
            current={current}
            items={stepsShown.map((s) => ({ title: word(LOAN_STATUS_WORDS, s, lang) }))}
          />
        )}
        <Space style={{ marginTop: 16 }} wrap>
          <Tag color="blue" data-testid="loan-status">
            {word(LOAN_STATUS_WORDS, l.status, lang)}
          </Tag>
          {next && (
            <Button type="primary" disabled={!mayAct} loading={busy} onClick={runNext}>
              {next.label[lang]}
            </Button>
          )}
          {next && !mayAct && (
            <Typography.Text type="secondary">
              {t('下一步由以下角色办理：', 'Next step by: ')}
              {next.roles.join(', ')}
            </Typography.Text>
          )}
          {mayReject && (
            <Button danger onClick={() => setRejecting(true)} disabled={busy}>
              {t('拒绝', 'Reject')}
            </Button>
          )}
        </Space>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title={t('贷款信息', 'Loan')} style={{ marginBottom: 16 }}>
            <Descriptions
              size="small"
              column={1}
              items={[
                {
                  label: t('借款人', 'Borrower'),
                  children: <Link to={`/console/depositors/${l.depositorId}`}>#{l.depositorId}</Link>,
                },
                ...(l.spouse ? [{ label: t('配偶', 'Spouse'), children: l.spouse.name }] : []),
                { label: t('申请金额', 'Amount'), children: formatYuan(l.amount) },
                { label: t('可贷额度', 'Quota'), children: formatYuan(l.quota) },
                {
                  label: t('期限 / 方式', 'Term / method'),
                  children: `${l.termMonths} ${t('个月', 'months')} · ${word(METHOD_WORDS, l.method, lang)}`,
                },
                { label: t('年利率', 'Annual rate'), children: `${l.annualRate}%` },
                {
                  label: t('房屋', 'House'),
                  children: `${l.house.address} · ${l.house.areaSqm}㎡ · ${formatYuan(l.house.price)} · ${l.house.home === 'first' ? t('首套', 'first home') : t('二套', 'second home')}`,
                },
                {
                  label: t('月收入 / 月负债', 'Income / debts'),
                  children: `${formatYuan(l.income.monthlyIncome)} / ${formatYuan(l.income.monthlyDebts)}`,
                },
                { label: t('售房人', 'Seller'), children: `${l.seller.name} · ${l.seller.bankName}` },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('办理记录', 'Steps taken')} style={{ marginBottom: 16 }}>
            <Descriptions
              size="small"
              column={1}
              items={[
                { label: t('申请', 'Applied'), children: `${l.steps.applied.by} · ${l.steps.applied.on}` },
                {
                  label: t('初审', 'Reviewed'),
                  children: l.steps.reviewed ? `${l.steps.reviewed.by} · ${l.steps.reviewed.on}` : '—',
                },
                {
                  label: t('审批', 'Approved'),
                  children: l.steps.approved ? `${l.steps.approved.by} · ${l.steps.approved.on}` : '—',
                },
                ...(l.steps.needsManager
                  ? [
                      {
                        label: t('主任审批', 'Manager'),
                        children: l.steps.managerApproved
                          ? `${l.steps.managerApproved.by} · ${l.steps.managerApproved.on}`
                          : '—',
                      },
                    ]
                  : []),
                {
                  label: t('合同', 'Contract'),
                  children: l.steps.contract
                    ? `${l.steps.contract.contractNo} · ${l.steps.contract.date}`
                    : '—',
                },
                {
                  label: t('抵押', 'Mortgage'),
                  children: l.steps.mortgage
                    ? `${l.steps.mortgage.certificateNo} · ${l.steps.mortgage.recordedOn ?? ''}`
                    : '—',
                },
                {
                  label: t('放款', 'Disbursement'),
                  children: l.disbursement
                    ? `${formatYuan(l.disbursement.amount)} · ${l.disbursement.status} · ${l.disbursement.requestNo}`
                    : '—',
                },
              ]}
            />
            {l.quotaExplanation?.candidates && (
              <>
                <Typography.Text strong>{t('额度测算', 'Quota factors')}</Typography.Text>
                <ul style={{ margin: '8px 0 0', paddingLeft: 20 }}>
                  {l.quotaExplanation.candidates.map((c) => (
                    <li key={c.code}>
                      {c.code}. {lang === 'zh' ? c.label_zh : c.label_en}: {formatYuan(c.amount)}
                      {c.code === l.quotaExplanation?.binding && (
                        <Tag color="gold" style={{ marginLeft: 8 }}>
                          {t('取最低', 'binding')}
                        </Tag>
                      )}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </Card>
        </Col>
      </Row>
      {l.repayment && <LoanRepayments loanId={l.loanId} repayment={l.repayment} onChanged={loan.reload} />}
      <Card
        title={
          isProjected
            ? t('还款计划（预计，放款时确定）', 'Repayment schedule (projected; fixed at disbursement)')
            : t('还款计划', 'Repayment schedule')
        }
      >
        <ErrorAlert error={projected.error} />
        {chart && <EChart option={chart} height={280} label={t('还款计划图', 'Repayment schedule chart')} />}
        <div data-testid="schedule-table">
          <Table<ScheduleRow>
            rowKey="period"
            size="small"
            loading={projected.loading && isProjected}
            dataSource={schedule}
            locale={{ emptyText: <Nothing /> }}
            pagination={{ pageSize: 12, showSizeChanger: false }}
            columns={[
              { title: t('期次', 'Period'), dataIndex: 'period' },
              ...(isProjected ? [] : [{ title: t('应还日', 'Due'), dataIndex: 'dueDate' }]),
              {
                title: t('月供', 'Payment'),
                align: 'right' as const,
                render: (_: unknown, r: ScheduleRow) => formatYuan(r.payment),
              },
              {
                title: t('本金', 'Principal'),
                align: 'right' as const,
                render: (_: unknown, r: ScheduleRow) => formatYuan(r.principal),
              },
              {
                title: t('利息', 'Interest'),
                align: 'right' as const,
                render: (_: unknown, r: ScheduleRow) => formatYuan(r.interest),
              },
              {
                title: t('剩余本金', 'Balance'),
                align: 'right' as const,
                render: (_: unknown, r: ScheduleRow) => formatYuan(r.balance),
              },
              ...(isProjected
                ? []
                : [
                    {
                      title: t('状态', 'Status'),
                      render: (_: unknown, r: ScheduleRow) => word(INSTALLMENT_STATUS_WORDS, r.status, lang),
                    },
                  ]),
            ]}
          />
        </div>
      </Card>
      <Modal
        open={rejecting}
        title={t('拒绝贷款申请', 'Reject the loan')}
        okText={t('拒绝', 'Reject')}
        okButtonProps={{ danger: true }}
        cancelText={t('取消', 'Cancel')}
        confirmLoading={busy}
        forceRender
        onOk={() => rejectForm.submit()}
        onCancel={() => setRejecting(false)}
      >
        <Form
          form={rejectForm}
          name="loan-reject"
          layout="vertical"
          onFinish={(v) => {
            void act('reject', { reason: v.reason.trim() }, t('已拒绝', 'Rejected')).then(
              (ok) => ok && setRejecting(false),
            );
          }}
        >
          <Form.Item
            name="reason"
            label={t('原因', 'Reason')}
            rules={[
              { required: true, whitespace: true, message: t('请填写原因', 'Give the reason') },
              { max: 500 },
            ]}
          >
            <Input.TextArea rows={3} maxLength={500} autoFocus />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={mortgaging}
        title={t('抵押登记', 'Record the mortgage')}
        okText={t('登记', 'Record')}
        cancelText={t('取消', 'Cancel')}
        confirmLoading={busy}
        forceRender
        onOk={() => mortgageForm.submit()}
        onCancel={() => setMortgaging(false)}
      >
        <Form<MortgageValues>
          form={mortgageForm}
          name="loan-mortgage"
          layout="vertical"
          onFinish={(v) => {
            void act(
              'mortgage',
              {
                certificateNo: v.certificateNo.trim(),
                address: v.address.trim(),
                areaSqm: v.areaSqm.trim(),
                price: v.price.trim(),
              },
              t('已登记', 'Recorded'),
            ).then((ok) => ok && setMortgaging(false));
          }}
        >
          <Form.Item
            name="certificateNo"
            label={t('不动产登记证明号', 'Registration certificate no.')}
            rules={[{ required: true, whitespace: true, message: t('请填写', 'Required') }, { max: 60 }]}
          >
            <Input maxLength={60} autoFocus />
          </Form.Item>
          <Form.Item
            name="address"
            label={t('房屋地址', 'Address')}
            rules={[{ required: true, whitespace: true, message: t('请填写', 'Required') }, { max: 200 }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item
            name="areaSqm"
            label={t('面积（㎡）', 'Area (㎡)')}
            rules={[
              { required: true, message: t('请填写', 'Required') },
              { pattern: /^\d{1,6}(\.\d{1,2})?$/, message: t('最多两位小数', 'At most two decimals') },
            ]}
          >
            <Input inputMode="decimal" />
          </Form.Item>
          <Form.Item
            name="price"
            label={t('评估价（元）', 'Price (yuan)')}
            rules={[
              { required: true, message: t('请填写', 'Required') },
              { pattern: /^\d{1,12}(\.\d{1,2})?$/, message: t('金额最多两位小数', 'At most two decimals') },
            ]}
          >
            <Input prefix="¥" inputMode="decimal" />
          </Form.Item>
        </Form>
      </Modal>
    </Page>
  );
}
