// One unit (单位): its unit accounts (state, seal reason, monthly terms, balance) with seal / unseal and
// its reason, and its monthly remittances (汇缴): record one for a month, either at the monthly amounts on
// file or per account, confirm the total, and see what was credited. One client key per remittance intent,
// so a retry answers the first result.
import { useCallback, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  Modal,
  Radio,
  Result,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { LockOutlined, PlusOutlined, UnlockOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useLang } from '../../lib/i18n.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { formatYuan, isYuanAmount } from '../../lib/money.ts';
import { useApi } from '../../lib/useApi.ts';
import { useSubmit } from '../../lib/useSubmit.ts';
import { requiredRule, yuanToFen } from '../../lib/validators.ts';
import { useBusinessDate } from '../business-date.ts';
import { call } from '../call.ts';
import { useIntentKey } from '../../lib/intent-key.ts';
import { Page } from '../Page.tsx';
import { Loading, Nothing } from '../Loading.tsx';
import { labelOf, useReference } from '../reference.ts';
import { useStaff } from '../staff.tsx';
import type { RecordedRemittance, UnitAccount, UnitView } from './unit-types.ts';

/** 123450n → "1234.50" (the API's yuan string). */
function fenToYuan(fen: bigint): string {
  return `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
}

function SealModal({
  account,
  onClose,
  onDone,
}: {
  account: UnitAccount | undefined;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const action = account?.state === '02' ? 'unseal' : 'seal';
  const run = useSubmit(
    useCallback(
      (accountId: string, reason: string) =>
        call<{ state: string }>('POST', `/unit-accounts/${accountId}/state`, { action, reason }),
      [action],
    ),
  );
  const close = () => {
    form.resetFields();
    run.reset();
    onClose();
  };
  return (
    <Modal
      open={!!account}
      title={
        action === 'seal'
          ? t(
              `封存单位账户 ${account?.accountNumber ?? ''}`,
              `Seal unit account ${account?.accountNumber ?? ''}`,
            )
          : t(
              `启封单位账户 ${account?.accountNumber ?? ''}`,
              `Unseal unit account ${account?.accountNumber ?? ''}`,
            )
      }
      okText={action === 'seal' ? t('确认封存', 'Seal') : t('确认启封', 'Unseal')}
      cancelText={t('取消', 'Cancel')}
      confirmLoading={run.sending}
      onOk={() => form.submit()}
      onCancel={close}
      forceRender
    >
      <ErrorAlert error={run.error} />
      <Typography.Paragraph type="secondary">
        {action === 'seal'
          ? t(
              '封存（业务类型 05）：职工离职，单位停止为其汇缴；封存后可转为灵活就业账户。',
              'Seal (business type 05): the employee left; the unit stops remitting. A sealed account may be converted to a flexible one.',
            )
          : t(
              '启封（业务类型 04）：职工在本单位重新就业，恢复汇缴。',
              'Unseal (business type 04): the employee works at this unit again; remittances resume.',
            )}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        name="unit-account-state"
        onFinish={async (v) => {
          if (!account) return;
          if (await run.submit(account.accountId, v.reason.trim())) {
            void message.success(action === 'seal' ? t('已封存', 'Sealed') : t('已启封', 'Unsealed'));
            form.resetFields();
            onDone();
          }
        }}
      >
        <Form.Item
          name="reason"
          label={t('原因', 'Reason')}
          rules={[
            requiredRule(t, '原因', 'the reason'),
            { max: 200, message: t('最多 200 字', 'At most 200 characters') },
          ]}
        >
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface RemitValues {
  month?: Dayjs;
  mode: 'onFile' | 'lines';
  amounts?: Record<string, string | undefined>;
}

interface RemitIntent {
  month: string;
  lines?: Array<{ accountId: string; amount: string }>;
  count: number;
  total: string;
}

function RemittanceDrawer({
  unit,
  open,
  onClose,
  onDone,
}: {
  unit: UnitView;
  open: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useLang();
  const businessDate = useBusinessDate();
  const [form] = Form.useForm<RemitValues>();
  const mode = Form.useWatch('mode', form) ?? 'onFile';
  const [confirming, setConfirming] = useState<RemitIntent>();
  const key = useIntentKey('unit-remit');
  const run = useSubmit(
    useCallback(
      (body: { month: string; lines?: RemitIntent['lines']; idempotencyKey: string }) =>
        call<RecordedRemittance>('POST', `/units/${unit.employerId}/remittances`, body),
      [unit.employerId],
    ),
  );
  const normal = unit.accounts.filter((a) => a.state === '01');
  const onFile = normal.filter((a) => a.monthlyAmount !== null);
  const onFileTotal = fenToYuan(onFile.reduce((s, a) => s + (yuanToFen(a.monthlyAmount ?? '0') ?? 0n), 0n));
  const lastMonth = businessDate.data ? dayjs(businessDate.data).endOf('month') : undefined;

  const prepare = (v: RemitValues) => {
    if (!v.month) return;
    const month = v.month.format('YYYY-MM');
    if (v.mode === 'lines') {
      const lines = normal
        .map((a) => ({ accountId: a.accountId, amount: (v.amounts?.[a.accountId] ?? '').trim() }))
        .filter((l) => l.amount !== '');
      if (lines.length === 0) {
        form.setFields([
          {
            name: 'mode',
            errors: [t('请至少为一个账户填写金额', 'Enter an amount for at least one account')],
          },
        ]);
        return;
      }
      const total = lines.reduce((s, l) => s + (yuanToFen(l.amount) ?? 0n), 0n);
      setConfirming({ month, lines, count: lines.length, total: fenToYuan(total) });
    } else {
      setConfirming({ month, count: onFile.length, total: onFileTotal });
    }
  };

  const send = async () => {
    if (!confirming) return;
    const body = { month: confirming.month, ...(confirming.lines ? { lines: confirming.lines } : {}) };
    const done = await run.submit({ ...body, idempotencyKey: key.keyFor(JSON.stringify(body)) });
    setConfirming(undefined);
    if (done) {
      key.done();
      form.resetFields();
      onDone();
    }
  };

  const close = () => {
    run.reset();
    setConfirming(undefined);
    onClose();
  };

  return (
    <Drawer
      open={open}
      onClose={close}
      title={t(`登记汇缴 · ${unit.name}`, `Record a remittance · ${unit.name}`)}
      size="large"
      forceRender
      extra={
        !run.result && (
          <Button type="primary" onClick={() => form.submit()} disabled={normal.length === 0}>
            {t('核对并提交', 'Check and submit')}
          </Button>
        )
      }
    >
      <ErrorAlert error={run.error} />
      {run.result ? (
        <div data-testid="remittance-result">
          <Result
            status="success"
            title={t('汇缴已入账', 'Remittance recorded')}
            subTitle={`${run.result.month} · ${formatYuan(run.result.total)} · ${t('汇缴编号', 'no.')} ${run.result.remittanceId} · ${t('凭证', 'entry')} ${run.result.journalEntryId}${
              run.result.replayed ? ` · ${t('重复提交，返回首次结果', 'Repeat: the first result')}` : ''
            }`}
            extra={
              <Button onClick={() => run.reset()} icon={<PlusOutlined />}>
                {t('再登记一笔', 'Record another')}
              </Button>
            }
          />
          <Table
            rowKey="accountId"
            size="small"
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            dataSource={run.result.lines}
            columns={[
              { title: t('单位账号', 'Unit account'), dataIndex: 'accountNumber' },
              {
                title: t('职工', 'Employee'),
                render: (_, l) => unit.accounts.find((a) => a.accountId === l.accountId)?.name ?? '—',
              },
              { title: t('金额', 'Amount'), align: 'right', render: (_, l) => formatYuan(l.amount) },
            ]}
          />
        </div>
      ) : normal.length === 0 ? (
        <Alert
          type="warning"
          title={t(
            '本单位没有正常状态的单位账户，无法汇缴。',
            'The unit has no account in normal state to remit to.',
          )}
        />
      ) : (
        <Form<RemitValues>
          form={form}
          layout="vertical"
          name="unit-remittance"
          initialValues={{ mode: 'onFile' }}
          onFinish={prepare}
        >
          <Form.Item
            name="month"
            label={t('汇缴月份', 'Month')}
            rules={[{ required: true, message: t('请选择汇缴月份', 'Choose the month') }]}
            extra={t('不得晚于会计日期所在月份', 'Not after the business date’s month')}
          >
            <DatePicker
              picker="month"
              format="YYYY-MM"
              style={{ width: 200 }}
              disabledDate={(d) => (lastMonth ? d.isAfter(lastMonth) : false)}
            />
          </Form.Item>
          <Form.Item name="mode" label={t('金额', 'Amounts')}>
            <Radio.Group
              options={[
                { value: 'onFile', label: t('按登记的月缴存额', 'At the monthly amounts on file') },
                { value: 'lines', label: t('逐户填写', 'Per account') },
              ]}
            />
          </Form.Item>
          {mode === 'onFile' ? (
            onFile.length === 0 ? (
              <Alert
                type="warning"
                title={t(
                  '正常账户均未登记月缴存额，请逐户填写金额。',
                  'No normal account has a monthly amount on file: enter amounts per account.',
                )}
              />
            ) : (
              <>
                <Table<UnitAccount>
                  rowKey="accountId"
                  size="small"
                  pagination={false}
                  dataSource={onFile}
                  columns={[
                    { title: t('单位账号', 'Unit account'), dataIndex: 'accountNumber' },
                    { title: t('职工', 'Employee'), dataIndex: 'name' },
                    {
                      title: t('月缴存额', 'Monthly amount'),
                      align: 'right',
                      render: (_, a) => formatYuan(a.monthlyAmount),
                    },
                  ]}
                />
                <Typography.Paragraph style={{ marginTop: 12 }}>
                  {t('合计', 'Total')}: <strong>{formatYuan(onFileTotal)}</strong> ·{' '}
                  {t(`${onFile.length} 户`, `${onFile.length} account(s)`)}
                </Typography.Paragraph>
              </>
            )
          ) : (
            <Table<UnitAccount>
              rowKey="accountId"
              size="small"
              pagination={false}
              dataSource={normal}
              columns={[
                { title: t('单位账号', 'Unit account'), dataIndex: 'accountNumber' },
                { title: t('职工', 'Employee'), dataIndex: 'name' },
                {
                  title: t('金额（元）', 'Amount (yuan)'),
                  render: (_, a) => (
                    <Form.Item
                      name={['amounts', a.accountId]}
                      style={{ margin: 0 }}
                      rules={[
                        {
                          validator: async (_r, value: unknown) => {
                            const text = String(value ?? '').trim();
                            if (text !== '' && !isYuanAmount(text))
                              throw new Error(
                                t(
                                  '金额应为正数，最多两位小数',
                                  'A positive amount with at most two decimals',
                                ),
                              );
                          },
                        },
                      ]}
                    >
                      <Input
                        prefix="¥"
                        inputMode="decimal"
                        aria-label={t(`${a.name} 的金额`, `Amount for ${a.name}`)}
                        placeholder={a.monthlyAmount ?? ''}
                        style={{ width: 160 }}
                      />
                    </Form.Item>
                  ),
                },
              ]}
            />
          )}
        </Form>
      )}
      <Modal
        open={confirming !== undefined}
        title={t('确认汇缴', 'Confirm the remittance')}
        okText={t('确认入账', 'Record')}
        cancelText={t('取消', 'Cancel')}
        confirmLoading={run.sending}
        onOk={() => void send()}
        onCancel={() => setConfirming(undefined)}
      >
        <Descriptions
          column={1}
          items={[
            { label: t('单位', 'Unit'), children: `${unit.name} (${unit.code})` },
            { label: t('月份', 'Month'), children: confirming?.month },
            { label: t('账户数', 'Accounts'), children: confirming?.count },
            { label: t('合计', 'Total'), children: <strong>{formatYuan(confirming?.total)}</strong> },
          ]}
        />
      </Modal>
    </Drawer>
  );
}

export default function UnitDetail() {
  const { id = '' } = useParams();
  const { t, lang } = useLang();
  const { hasRole } = useStaff();
  const reference = useReference();
  const [sealing, setSealing] = useState<UnitAccount>();
  const [remitting, setRemitting] = useState(false);
  const { data, error, loading, reload } = useApi(
    (signal) => call<UnitView>('GET', `/units/${id}`, undefined, signal),
    [id],
  );
  const counter = hasRole('teller', 'manager', 'admin');
  const remitted = useMemo(() => [...(data?.remittances ?? [])].reverse(), [data]);
  if (loading && !data) return <Loading />;
  if (!data) return <ErrorAlert error={error} />;
  return (
    <Page
      title={`${data.name} · ${t('单位', 'Unit')}`}
      extra={
        <Space>
          {counter && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setRemitting(true)}>
              {t('登记汇缴', 'Record a remittance')}
            </Button>
          )}
          <Link to="/console/units">{t('返回列表', 'Back to the list')}</Link>
        </Space>
      }
    >
      <ErrorAlert error={error} />
      <Card title={t('单位信息', 'Unit')} style={{ marginBottom: 16 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            { label: t('单位编号', 'Code'), children: data.code },
            { label: t('单位名称', 'Name'), children: data.name },
            {
              label: t('区县', 'District'),
              children: labelOf(reference.data?.districts, data.districtCode, lang),
            },
          ]}
        />
      </Card>
      <Card title={t('单位账户', 'Unit accounts')} style={{ marginBottom: 16 }}>
        <Table<UnitAccount>
          rowKey="accountId"
          size="small"
          dataSource={data.accounts}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: <Nothing text={t('尚无单位账户', 'No unit accounts yet')} /> }}
          scroll={{ x: 1100 }}
          columns={[
            { title: t('单位账号', 'Account'), dataIndex: 'accountNumber' },
            {
              title: t('职工', 'Employee'),
              render: (_, a) => <Link to={`/console/depositors/${a.depositorId}`}>{a.name}</Link>,
            },
            { title: t('证件号码', 'ID number'), dataIndex: 'idNumberMasked' },
            {
              title: t('状态', 'State'),
              render: (_, a) => (
                <Space orientation="vertical" size={0}>
                  <Tag color={a.state === '01' ? 'green' : a.state === '02' ? 'orange' : undefined}>
                    {labelOf(reference.data?.accountStates, a.state, lang)}
                  </Tag>
                  {a.state === '02' && a.sealReason && (
                    <Typography.Text type="secondary">
                      {a.sealedOn} · {a.sealReason}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            {
              title: t('缴存基数', 'Monthly base'),
              align: 'right',
              render: (_, a) => formatYuan(a.monthlyBase),
            },
            {
              title: t('月缴存额', 'Monthly amount'),
              align: 'right',
              render: (_, a) => formatYuan(a.monthlyAmount),
            },
            { title: t('余额', 'Balance'), align: 'right', render: (_, a) => formatYuan(a.balance) },
            { title: t('开户日', 'Opened'), dataIndex: 'openedOn' },
            ...(counter
              ? [
                  {
                    title: t('操作', 'Action'),
                    render: (_: unknown, a: UnitAccount) =>
                      a.state === '01' ? (
                        <Button size="small" icon={<LockOutlined />} onClick={() => setSealing(a)}>
                          {t('封存', 'Seal')}
                        </Button>
                      ) : a.state === '02' ? (
                        <Button size="small" icon={<UnlockOutlined />} onClick={() => setSealing(a)}>
                          {t('启封', 'Unseal')}
                        </Button>
                      ) : (
                        '—'
                      ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Card title={t('汇缴记录', 'Remittances')}>
        <Table
          rowKey="remittanceId"
          size="small"
          dataSource={remitted}
          pagination={{ pageSize: 12, hideOnSinglePage: true }}
          locale={{ emptyText: <Nothing text={t('尚无汇缴', 'No remittances yet')} /> }}
          columns={[
            { title: t('月份', 'Month'), dataIndex: 'month' },
            { title: t('金额', 'Total'), align: 'right', render: (_, r) => formatYuan(r.total) },
            { title: t('入账日', 'Recorded on'), dataIndex: 'businessDate' },
            { title: t('汇缴编号', 'No.'), dataIndex: 'remittanceId' },
          ]}
        />
      </Card>
      <SealModal
        account={sealing}
        onClose={() => setSealing(undefined)}
        onDone={() => {
          setSealing(undefined);
          reload();
        }}
      />
      {counter && (
        <RemittanceDrawer unit={data} open={remitting} onClose={() => setRemitting(false)} onDone={reload} />
      )}
    </Page>
  );
}
