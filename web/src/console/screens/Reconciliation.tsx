// Reconciliation with the bank (对账): import the day's statement (CSV), see what matched and what went to
// suspense, resolve suspense items (assign to an account as a deposit, or refund), and the day's report.
import { useState } from 'react';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Radio,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useLang } from '../../lib/i18n.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useApi } from '../../lib/useApi.ts';
import { call, query } from '../call.ts';
import { Page } from '../Page.tsx';
import { Nothing } from '../Loading.tsx';
import { AccountPicker, type PickedAccount } from '../AccountPicker.tsx';
import { SUSPENSE_STATUS_WORDS, word } from '../labels.ts';

interface CountAmount {
  count: number;
  amount: string;
}

interface Imported {
  statementId: string;
  statementDate: string;
  fileName: string;
  lineCount: number;
  matched: CountAmount;
  suspense: CountAmount & { itemIds: string[] };
  amountMismatches: Array<{
    serial: string;
    direction: 'in' | 'out';
    bankAmount: string;
    bookedAmount: string;
    sourceType: string;
    sourceId: string;
  }>;
  outgoing: CountAmount;
  outgoingUnbooked: CountAmount & { serials: string[] };
  replayed: boolean;
}

interface ResolveValues {
  note?: string;
  bankName?: string;
  bankCard?: string;
}

interface SuspenseItem {
  itemId: string;
  bankSerial: string;
  amount: string;
  valueDate: string;
  status: 'open' | 'assigned' | 'refunding' | 'refunded';
  counterparty: string;
  memo: string;
  depositId: string | null;
  resolvedBy: string | null;
  resolvedOn: string | null;
  note: string | null;
}

interface Report {
  date: string;
  statementImported: boolean;
  matched: CountAmount;
  amountMismatches: Imported['amountMismatches'];
  bankLinesWithoutDeposit: CountAmount;
  depositsWithoutBankLine: CountAmount & {
    items: Array<{ depositId: string; serial: string; amount: string }>;
  };
  outgoing: CountAmount;
  outgoingUnbooked: CountAmount & { items: Array<{ serial: string; amount: string }> };
  movementsWithoutBankLine: CountAmount & {
    items: Array<{
      direction: 'in' | 'out';
      sourceType: string;
      sourceId: string;
      serial: string;
      amount: string;
    }>;
  };
  suspense: {
    opening: string;
    added: string;
    assigned: string;
    refunded: string;
    closing: string;
    openItems: number;
  };
}

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

function ImportTab({ onImported }: { onImported: () => void }) {
  const { t } = useLang();
  const [file, setFile] = useState<File | null>(null);
  const [date, setDate] = useState<Dayjs | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<Imported>();
  const statements = useApi(
    (signal) =>
      call<{
        statements: Array<{
          statementId: string;
          statementDate: string;
          fileName: string;
          lineCount: number;
          importedBy: string;
          importedAt: string;
        }>;
      }>('GET', '/reconciliation/statements', undefined, signal),
    [result?.statementId],
  );

  const submit = async () => {
    if (!file) {
      setError(new Error(t('请选择对账单文件', 'Choose the statement file')));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const contentBase64 = await toBase64(file);
      const r = await call<Imported>('POST', '/reconciliation/statements', {
        fileName: file.name,
        contentBase64,
        ...(date ? { statementDate: date.format('YYYY-MM-DD') } : {}),
      });
      setResult(r);
      setFile(null);
      onImported();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <ErrorAlert error={error} />
      <Space wrap align="start" style={{ marginBottom: 16 }}>
        <Upload
          accept=".csv,text/csv"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            return false;
          }}
          onRemove={() => setFile(null)}
          fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
        >
          <Button icon={<UploadOutlined />}>{t('选择对账单（CSV）', 'Choose statement (CSV)')}</Button>
        </Upload>
        <DatePicker
          value={date}
          onChange={setDate}
          placeholder={t('对账日期（可选）', 'Statement date (optional)')}
        />
        <Button type="primary" onClick={() => void submit()} loading={busy} disabled={!file}>
          {t('导入', 'Import')}
        </Button>
      </Space>
      {result && (
        <Card
          size="small"
          style={{ marginBottom: 16 }}
          title={`${result.fileName} · ${result.statementDate}${result.replayed ? ` · ${t('重复导入，未改动', 'already imported, nothing changed')}` : ''}`}
        >
          <Row gutter={16}>
            <Col span={6}>
              <Statistic title={t('行数', 'Lines')} value={result.lineCount} />
            </Col>
            <Col span={6}>
              <Statistic
                title={t('已匹配', 'Matched')}
                value={`${result.matched.count} · ${formatYuan(result.matched.amount)}`}
              />
            </Col>
            <Col span={6}>
              <Statistic
                title={t('转入暂收', 'To suspense')}
                value={`${result.suspense.count} · ${formatYuan(result.suspense.amount)}`}
              />
            </Col>
            <Col span={6}>
              <Statistic title={t('金额不符', 'Mismatches')} value={result.amountMismatches.length} />
            </Col>
          </Row>
        </Card>
      )}
      <Table
        rowKey="statementId"
        size="small"
        loading={statements.loading}
        dataSource={statements.data?.statements ?? []}
        locale={{ emptyText: <Nothing text={t('尚未导入对账单', 'No statement imported yet')} /> }}
        columns={[
          { title: t('对账日期', 'Date'), dataIndex: 'statementDate' },
          { title: t('文件', 'File'), dataIndex: 'fileName' },
          { title: t('行数', 'Lines'), dataIndex: 'lineCount', align: 'right' },
          { title: t('导入人', 'By'), dataIndex: 'importedBy' },
          { title: t('导入时间', 'At'), render: (_, s) => dayjs(s.importedAt).format('YYYY-MM-DD HH:mm') },
        ]}
      />
    </>
  );
}

function SuspenseTab({ tick }: { tick: number }) {
  const { t, lang } = useLang();
  const { message } = App.useApp();
  const [status, setStatus] = useState<'open' | 'assigned' | 'refunding' | 'refunded' | 'all'>('open');
  const [resolving, setResolving] = useState<SuspenseItem>();
  const [action, setAction] = useState<'assign' | 'refund'>('assign');
  const [account, setAccount] = useState<PickedAccount | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [form] = Form.useForm<ResolveValues>();
  const items = useApi(
    (signal) =>
      call<{ items: SuspenseItem[] }>(
        'GET',
        '/reconciliation/suspense' + query({ status }),
        undefined,
        signal,
      ),
    [status, tick],
  );

  const resolve = async (values: ResolveValues) => {
    if (!resolving) return;
    if (action === 'assign' && !account) {
      setError(new Error(t('请选择入账账户', 'Choose the account to credit')));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await call('POST', `/reconciliation/suspense/${resolving.itemId}/resolve`, {
        action,
        ...(action === 'assign' && account ? { accountId: account.accountId } : {}),
        ...(values.note?.trim() ? { note: values.note.trim() } : {}),
        ...(action === 'refund'
          ? { bankName: values.bankName?.trim() ?? '', bankCard: values.bankCard?.trim() ?? '' }
          : {}),
      });
      void message.success(
        action === 'refund' ? t('已提交退回付款', 'The refund went to the bank') : t('已处理', 'Resolved'),
      );
      setResolving(undefined);
      form.resetFields();
      items.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Segmented
        value={status}
        onChange={(v) => setStatus(v as typeof status)}
        style={{ marginBottom: 12 }}
        options={(['open', 'assigned', 'refunding', 'refunded', 'all'] as const).map((s) => ({
          value: s,
          label: s === 'all' ? t('全部', 'All') : word(SUSPENSE_STATUS_WORDS, s, lang),
        }))}
      />
      <ErrorAlert error={items.error} />
      <Table<SuspenseItem>
        rowKey="itemId"
        size="small"
        loading={items.loading}
        dataSource={items.data?.items ?? []}
        locale={{ emptyText: <Nothing text={t('没有未达账项', 'No unmatched items')} /> }}
        scroll={{ x: 900 }}
        columns={[
          { title: t('银行流水号', 'Bank serial'), dataIndex: 'bankSerial' },
          { title: t('到账日', 'Value date'), dataIndex: 'valueDate' },
          { title: t('金额', 'Amount'), align: 'right', render: (_, i) => formatYuan(i.amount) },
          { title: t('付款人', 'Payer'), dataIndex: 'counterparty' },
          { title: t('附言', 'Memo'), dataIndex: 'memo' },
          {
            title: t('状态', 'Status'),
            render: (_, i) => (
              <Tag color={i.status === 'open' ? 'orange' : 'green'}>
                {word(SUSPENSE_STATUS_WORDS, i.status, lang)}
              </Tag>
            ),
          },
          {
            title: t('操作', 'Action'),
            render: (_, i) =>
              i.status === 'open' ? (
                <Button
                  size="small"
                  onClick={() => {
                    setResolving(i);
                    setAction('assign');
                    setAccount(null);
                    setError(undefined);
                  }}
                >
                  {t('处理', 'Resolve')}
                </Button>
              ) : (
                `${i.resolvedBy ?? ''} ${i.resolvedOn ?? ''}`
              ),
          },
        ]}
      />
      <Modal
        open={!!resolving}
        title={t('处理未达账项', 'Resolve the item')}
        okText={t('确认', 'Confirm')}
        cancelText={t('取消', 'Cancel')}
        confirmLoading={busy}
        forceRender
        width={640}
        onOk={() => form.submit()}
        onCancel={() => setResolving(undefined)}
      >
        <ErrorAlert error={error} />
        {resolving && (
          <Descriptions
            size="small"
            column={2}
            style={{ marginBottom: 12 }}
            items={[
              { label: t('流水号', 'Serial'), children: resolving.bankSerial },
              { label: t('金额', 'Amount'), children: formatYuan(resolving.amount) },
              { label: t('付款人', 'Payer'), children: resolving.counterparty },
              { label: t('附言', 'Memo'), children: resolving.memo },
            ]}
          />
        )}
        <Form form={form} name="suspense-resolve" layout="vertical" onFinish={(v) => void resolve(v)}>
          <Form.Item label={t('处理方式', 'Action')}>
            <Radio.Group
              value={action}
              onChange={(e) => setAction(e.target.value as 'assign' | 'refund')}
              options={[
                { value: 'assign', label: t('入账到缴存账户', 'Credit an account') },
                { value: 'refund', label: t('退回付款人', 'Refund the payer') },
              ]}
            />
          </Form.Item>
          {action === 'assign' && (
            <Form.Item label={t('入账账户', 'Account')} required>
              <AccountPicker onPick={setAccount} />
            </Form.Item>
          )}
          {action === 'refund' && (
            <>
              <Typography.Paragraph type="secondary">
                {t(
                  '款项经银行付回付款人的银行卡；银行确认后该笔挂账记为已退回，银行拒绝或退票时款项回到待查明款项。',
                  'The bank pays the money back to the payer’s card; once it confirms, the item is refunded; a refusal or a return puts the money back in suspense.',
                )}
              </Typography.Paragraph>
              <Form.Item
                name="bankName"
                label={t('付款人开户行', 'Payer’s bank')}
                rules={[
                  { required: true, whitespace: true, message: t('请填写开户行', 'Enter the bank') },
                  { max: 100 },
                ]}
              >
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item
                name="bankCard"
                label={t('付款人卡号', 'Payer’s card number')}
                rules={[
                  { required: true, message: t('请填写卡号', 'Enter the card number') },
                  { pattern: /^\d{12,30}$/, message: t('卡号为 12–30 位数字', '12–30 digits') },
                ]}
              >
                <Input maxLength={30} inputMode="numeric" />
              </Form.Item>
            </>
          )}
          <Form.Item
            name="note"
            label={t('说明', 'Note')}
            rules={[
              {
                required: action === 'refund',
                whitespace: true,
                message: t('退回须填写说明', 'A refund needs a note'),
              },
              { max: 500 },
            ]}
          >
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function ReportTab() {
  const { t } = useLang();
  const [date, setDate] = useState<Dayjs | null>(null);
  const report = useApi(
    async (signal) => {
      if (!date) return null;
      return call<Report>(
        'GET',
        '/reconciliation/report' + query({ date: date.format('YYYY-MM-DD') }),
        undefined,
        signal,
      );
    },
    [date?.format('YYYY-MM-DD')],
  );
  const r = report.data;
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <span id="report-date">{t('对账日期', 'Value date')}</span>
        <DatePicker aria-labelledby="report-date" value={date} onChange={setDate} />
      </Space>
      <ErrorAlert error={report.error} />
      {!date && <Nothing text={t('请选择日期', 'Choose a date')} />}
      {r && (
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, md: 2 }}
          items={[
            {
              label: t('已导入对账单', 'Statement imported'),
              children: r.statementImported ? t('是', 'Yes') : t('否', 'No'),
            },
            {
              label: t('已匹配', 'Matched'),
              children: `${r.matched.count} · ${formatYuan(r.matched.amount)}`,
            },
            {
              label: t('银行有、系统无', 'Bank lines without deposit'),
              children: `${r.bankLinesWithoutDeposit.count} · ${formatYuan(r.bankLinesWithoutDeposit.amount)}`,
            },
            {
              label: t('系统有、银行无', 'Deposits without bank line'),
              children: `${r.depositsWithoutBankLine.count} · ${formatYuan(r.depositsWithoutBankLine.amount)}`,
            },
            {
              label: t('其他收付 系统有、银行无', 'Other booked movements without bank line'),
              children: `${r.movementsWithoutBankLine.count} · ${formatYuan(r.movementsWithoutBankLine.amount)}`,
            },
            { label: t('金额不符', 'Amount mismatches'), children: r.amountMismatches.length },
            {
              label: t('支出', 'Outgoing'),
              children: `${r.outgoing.count} · ${formatYuan(r.outgoing.amount)}`,
            },
            {
              label: t('支出 银行有、系统无', 'Outgoing lines not booked'),
              children: `${r.outgoingUnbooked.count} · ${formatYuan(r.outgoingUnbooked.amount)}`,
            },
            {
              label: t('暂收款 期初 / 期末', 'Suspense opening / closing'),
              children: `${formatYuan(r.suspense.opening)} / ${formatYuan(r.suspense.closing)}`,
            },
            { label: t('未处理项', 'Open items'), children: r.suspense.openItems },
          ]}
        />
      )}
      {r && <ItemsToCheck report={r} />}
    </>
  );
}

const SOURCE_WORDS: Record<string, [string, string]> = {
  deposit: ['缴存', 'Deposit'],
  loan_debit: ['贷款代扣还款', 'Loan repayment debit'],
  transfer_in: ['转入资金', 'Transfer-in funds'],
  payout_return: ['退票', 'Payout returned'],
  payout: ['提取付款', 'Payout'],
  loan_disbursement: ['贷款发放', 'Loan disbursement'],
  transfer_out: ['转出资金', 'Transfer-out funds'],
  transfer_in_return: ['转入资金退回', 'Transfer-in funds paid back'],
};

interface CheckRow {
  key: string;
  problem: string;
  serial: string;
  direction: 'in' | 'out';
  source: string;
  bankAmount: string | null;
  bookedAmount: string | null;
}

/** Every line or booked movement staff must look at: mismatched amounts and one-sided movements. */
function ItemsToCheck({ report }: { report: Report }) {
  const { t } = useLang();
  const source = (type: string | null) => {
    const w = type === null ? null : SOURCE_WORDS[type];
    return w ? t(w[0], w[1]) : '—';
  };
  const rows: CheckRow[] = [
    ...report.amountMismatches.map((m) => ({
      key: `mismatch:${m.direction}:${m.serial}`,
      problem: t('金额不符', 'Amount differs'),
      serial: m.serial,
      direction: m.direction,
      source: `${source(m.sourceType)} #${m.sourceId}`,
      bankAmount: m.bankAmount,
      bookedAmount: m.bookedAmount,
    })),
    ...report.outgoingUnbooked.items.map((o) => ({
      key: `unbooked:${o.serial}`,
      problem: t('银行支出、系统无记录', 'Paid out by the bank, not in the books'),
      serial: o.serial,
      direction: 'out' as const,
      source: '—',
      bankAmount: o.amount,
      bookedAmount: null,
    })),
    ...report.depositsWithoutBankLine.items.map((d) => ({
      key: `deposit:${d.depositId}`,
      problem: t('系统有、银行无', 'In the books, not on the statement'),
      serial: d.serial,
      direction: 'in' as const,
      source: `${source('deposit')} #${d.depositId}`,
      bankAmount: null,
      bookedAmount: d.amount,
    })),
    ...report.movementsWithoutBankLine.items.map((m) => ({
      key: `movement:${m.sourceType}:${m.sourceId}`,
      problem: t('系统有、银行无', 'In the books, not on the statement'),
      serial: m.serial,
      direction: m.direction,
      source: `${source(m.sourceType)} #${m.sourceId}`,
      bankAmount: null,
      bookedAmount: m.amount,
    })),
  ];
  if (rows.length === 0) return null;
  const yuan = (v: string | null) => (v === null ? '—' : formatYuan(v));
  return (
    <Table<CheckRow>
      style={{ marginTop: 12 }}
      rowKey="key"
      size="small"
      pagination={false}
      title={() => t('需核对的项目', 'Items to check')}
      dataSource={rows}
      columns={[
        { title: t('问题', 'Problem'), dataIndex: 'problem' },
        { title: t('银行流水号', 'Bank serial'), dataIndex: 'serial' },
        {
          title: t('方向', 'Direction'),
          dataIndex: 'direction',
          render: (d: 'in' | 'out') => (d === 'in' ? t('收入', 'In') : t('支出', 'Out')),
        },
        { title: t('业务', 'Booked as'), dataIndex: 'source' },
        { title: t('银行金额', 'Bank amount'), dataIndex: 'bankAmount', align: 'right', render: yuan },
        { title: t('账面金额', 'Booked amount'), dataIndex: 'bookedAmount', align: 'right', render: yuan },
      ]}
    />
  );
}

export default function Reconciliation() {
  const { t } = useLang();
  const [tick, setTick] = useState(0);
  return (
    <Page title={t('银行对账', 'Reconciliation')}>
      <Card>
        <Tabs
          items={[
            {
              key: 'import',
              label: t('导入对账单', 'Import statement'),
              children: <ImportTab onImported={() => setTick((n) => n + 1)} />,
            },
            {
              key: 'suspense',
              label: t('未达账项', 'Unmatched items'),
              children: <SuspenseTab tick={tick} />,
            },
            { key: 'report', label: t('对账报告', 'Report'), children: <ReportTab /> },
          ]}
        />
      </Card>
    </Page>
  );
}
