// The transfer platform inbox (转移接续, rules.md §5.4): transfers in and out with their stage and the
// platform's status; tellers start a transfer in (the contact letter goes to the old center). A transfer's
// drawer shows its account and person, the contact letter, the account sheet, the money still waiting on
// 21903 / 21904, its entries and every platform message in order. A transfer out needs no staff step: the
// system checks the letter, settles interest, pays out and answers with the sheet, and the new center's
// confirmation finishes it; staff follow it here. When the platform was down and is back, tellers and
// managers send a transfer's queued messages now instead of waiting for the close, and they cancel a
// transfer in at the person's request until the old center has answered (status 05); finance pays the
// money of a transfer in that ended uncredited back to the old center.
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Drawer,
  Descriptions,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import {
  PlusOutlined,
  ReloadOutlined,
  RollbackOutlined,
  SendOutlined,
  StopOutlined,
} from '@ant-design/icons';
import { useLang } from '../../lib/i18n.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { FormModal } from '../../lib/FormModal.tsx';
import { TransferCancelDialog } from '../../lib/TransferCancelDialog.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useApi } from '../../lib/useApi.ts';
import { useSubmit } from '../../lib/useSubmit.ts';
import { call, newIdempotencyKey, query } from '../call.ts';
import { Page } from '../Page.tsx';
import { Loading, Nothing } from '../Loading.tsx';
import { AccountPicker, type PickedAccount } from '../AccountPicker.tsx';
import { word } from '../labels.ts';
import {
  TRANSFER_PLATFORM_STATUS_WORDS,
  TRANSFER_REFUSAL_WORDS,
  TRANSFER_STAGE_WORDS,
  type Transfer,
} from '../../lib/transfers.ts';
import { useStaff } from '../staff.tsx';
import { useIntentKey } from '../../lib/intent-key.ts';

interface TransferMessageLine {
  messageId: string;
  direction: 'inbound' | 'outbound';
  type: string;
  seq: number | null;
  state: string;
  outcome: string | null;
  detail: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  status: string | null;
  reason: string | null;
  amount: string | null;
}

interface TransferDetails extends Transfer {
  contactLetter: {
    person: { idType: string; idNumber: string; name: string; phone: string };
    newAccountNumber: string;
    newCenterCode: string;
    newCenterName: string;
    oldCenterCode: string;
    oldCenterName: string;
    oldAccountNumber: string;
    receivingBank: { bankName: string; accountNumber: string; accountName: string };
  } | null;
  accountSheet: {
    accountNumber: string;
    name: string;
    principal: string;
    interest: string;
    openDate: string;
    paidUpToMonth: string;
    continuousMonths: number;
    lastSixMonthsContinuous: boolean;
    loansUsed: number;
    loanOutstanding: boolean;
    fraudFound: boolean;
  } | null;
  messages: TransferMessageLine[];
  entries: Array<{
    entryId: string;
    book: string;
    entryType: string;
    businessDate: string;
    memo: string;
    amount: string;
  }>;
  held: { ledgerAccount: string; amount: string } | null;
}

/** What POST /transfers/:id/resend answers. */
interface ResendResult {
  sent: number;
  confirmedByQuery: number;
  timedOut: number;
  rejected: number;
  stillQueued: number;
  failed: number;
  messages: Array<{ messageId: string; type: string; state: string; lastError: string | null }>;
}

const MESSAGE_TYPE_WORDS: Record<string, [string, string]> = {
  contact_letter: ['联系函', 'Contact letter'],
  status: ['状态', 'Status'],
  account_sheet: ['账户信息表', 'Account sheet'],
  funds: ['资金划转', 'Funds'],
};

const MESSAGE_STATE_WORDS: Record<string, [string, string]> = {
  processed: ['已处理', 'Processed'],
  held: ['暂存，等待前序报文', 'Held for an earlier message'],
  rejected: ['已拒收', 'Rejected'],
  pending: ['待发送', 'Queued'],
  sent: ['已送达平台', 'Sent'],
  failed: ['发送失败', 'Failed'],
};

const WAITING_ACCOUNT_WORDS: Record<string, [string, string]> = {
  '21903': [
    '21903 待付款项（等待转入地确认到账）',
    '21903 payouts in transit (until the new center confirms)',
  ],
  '21904': [
    '21904 转移接续待匹配款项（等待账户信息表）',
    '21904 transfer funds awaiting their account sheet',
  ],
};

function messageColor(m: TransferMessageLine): string {
  if (m.state === 'rejected' || m.state === 'failed') return 'red';
  if (m.state === 'pending' || m.state === 'held') return 'orange';
  return m.direction === 'inbound' ? '#1677ff' : 'green';
}

/** Paying uncredited transfer-in money back to the old center (POST /transfers/:id/return-funds). */
function ReturnFundsDialog({
  transfer,
  open,
  onClose,
  onReturned,
}: {
  transfer: TransferDetails;
  open: boolean;
  onClose: (refused: boolean) => void;
  onReturned: (after: Transfer) => void;
}) {
  const { t, lang } = useLang();
  const key = useIntentKey('transfer-return');
  const run = useSubmit(
    useCallback(
      (idempotencyKey: string) =>
        call<Transfer>('POST', `/transfers/${transfer.transferId}/return-funds`, { idempotencyKey }),
      [transfer.transferId],
    ),
  );
  const give = async () => {
    const after = await run.submit(key.keyFor(transfer.transferId));
    if (!after) return;
    key.done();
    run.reset();
    onReturned(after);
  };
  return (
    <FormModal
      open={open}
      title={t('退回原中心', 'Pay back to the old center')}
      okText={t('确认退回', 'Pay it back')}
      run={run}
      onOk={() => void give()}
      // A refusal may mean the money was paid back meanwhile: the transfer is read again.
      onCancel={() => onClose(!!run.error)}
    >
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          {
            label: t('退回金额', 'Amount'),
            children: (
              <strong data-testid="return-amount">
                {formatYuan(transfer.held?.amount ?? transfer.funds)}
              </strong>
            ),
          },
          { label: t('收款方', 'To'), children: `${transfer.peerCenterName} (${transfer.peerCenterCode})` },
          { label: t('业务阶段', 'Stage'), children: word(TRANSFER_STAGE_WORDS, transfer.stage, lang) },
        ]}
      />
      <Typography.Paragraph type="secondary">
        {t(
          '该转入业务已终止，到账资金未计入个人账户。确认后从 21904 转移接续待匹配款项付出（借 21904 / 贷 101），并经平台通知原中心。',
          'This transfer in ended and its money was not credited. It is paid out of 21904 (Dr 21904 / Cr 101) and the old center is told through the platform.',
        )}
      </Typography.Paragraph>
    </FormModal>
  );
}

/** One transfer with its letter, sheet, money and messages (GET /transfers/:id/details). */
function TransferDetailsView({ transferId, onChanged }: { transferId: string; onChanged: () => void }) {
  const { t, lang } = useLang();
  const { hasRole } = useStaff();
  const { message } = App.useApp();
  const { data, error, loading, reload } = useApi(
    (signal) => call<TransferDetails>('GET', `/transfers/${transferId}/details`, undefined, signal),
    [transferId],
  );
  const [resending, setResending] = useState(false);
  const [resendError, setResendError] = useState<unknown>();
  const [resent, setResent] = useState<ResendResult>();
  const [cancelling, setCancelling] = useState(false);
  const [returning, setReturning] = useState(false);
  if (loading && !data) return <Loading />;
  if (!data) return <ErrorAlert error={error} />;
  // Queued: never sent, or an attempt that timed out. A message the platform rejected is final.
  const queued = data.messages.filter((m) => m.direction === 'outbound' && m.state === 'pending').length;
  const resendNotes = resent
    ? [
        resent.confirmedByQuery > 0 &&
          t(
            `其中 ${resent.confirmedByQuery} 条平台已收到，未重复发送`,
            `${resent.confirmedByQuery} of them the platform already had: not sent twice`,
          ),
        resent.timedOut > 0 &&
          t(
            '平台仍未应答，未发出的报文保留在队列中，可稍后再试，日终也会重发',
            'The platform still did not answer: the messages stay queued; try again later, the close also retries',
          ),
        resent.rejected > 0 &&
          t(
            '平台拒收的报文不会再次发送，请联系平台核查',
            'A message the platform rejected is not sent again: check with the platform',
          ),
        resent.messages.length === 0 && t('没有待发送的报文', 'There was nothing queued'),
      ].filter((note): note is string => typeof note === 'string')
    : [];
  const resend = async () => {
    setResending(true);
    setResendError(undefined);
    try {
      const result = await call<ResendResult>('POST', `/transfers/${transferId}/resend`);
      setResent(result);
      const delivered = result.sent + result.confirmedByQuery;
      if (result.stillQueued === 0 && result.rejected === 0)
        void message.success(t(`已发送 ${delivered} 条报文`, `${delivered} message(s) sent`));
      else void message.warning(t('部分报文仍未发出', 'Some messages were not sent'));
      reload();
      onChanged();
    } catch (e) {
      setResendError(e);
    } finally {
      setResending(false);
    }
  };
  const out = data.direction === 'out';
  const letter = data.contactLetter;
  const sheet = data.accountSheet;
  const yes = (v: boolean) => (v ? t('是', 'Yes') : t('否', 'No'));
  return (
    <div data-testid="transfer-details">
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={
          out
            ? t(
                '转出业务无需柜面操作：收到转入地联系函后，系统自动核验账户与身份、结息、划出资金并回复账户信息表；转入地确认到账后办结。以下为平台报文记录。',
                'A transfer out needs no counter step: when the new center’s letter arrives the system checks the account and person, settles interest, pays the money out and answers with the account sheet; the new center’s confirmation finishes it. Below is the record of platform messages.',
              )
            : t(
                '转入业务在发出联系函后由平台报文推进：收到信息表与资金后自动入账。',
                'After the letter is sent a transfer in advances by platform messages: it is credited once the sheet and the money have arrived.',
              )
        }
      />
      <Descriptions
        column={1}
        bordered
        size="small"
        style={{ marginBottom: 16 }}
        items={[
          {
            label: t('方向', 'Direction'),
            children: out ? t('转出', 'Out') : t('转入', 'In'),
          },
          { label: t('业务类型', 'Business type'), children: data.businessType },
          {
            label: t('本中心账户', 'Account here'),
            children: data.accountNumber ? (
              <Space size={8}>
                {data.accountNumber}
                {data.depositorId && (
                  <Link to={`/console/depositors/${data.depositorId}`}>{data.depositorName ?? '—'}</Link>
                )}
              </Space>
            ) : (
              '—'
            ),
          },
          {
            label: t('对方中心', 'Peer center'),
            children: `${data.peerCenterName} (${data.peerCenterCode})`,
          },
          { label: t('对方账号', 'Peer account'), children: data.peerAccountNumber },
          {
            label: t('阶段', 'Stage'),
            children: (
              <span data-testid="transfer-stage">{word(TRANSFER_STAGE_WORDS, data.stage, lang)}</span>
            ),
          },
          {
            label: t('平台状态', 'Platform status'),
            children: data.platformStatus
              ? `${data.platformStatus} ${word(TRANSFER_PLATFORM_STATUS_WORDS, data.platformStatus, lang)}`
              : '—',
          },
          {
            label: data.stage === 'cancelled' ? t('撤销原因', 'Cancelled because') : t('拒绝原因', 'Refusal'),
            children: data.refusalReason ? (
              <Typography.Text type={data.stage === 'cancelled' ? undefined : 'danger'}>
                {word(TRANSFER_REFUSAL_WORDS, data.refusalReason, lang)}
              </Typography.Text>
            ) : (
              '—'
            ),
          },
          { label: t('本金', 'Principal'), children: formatYuan(data.principal) },
          { label: t('利息', 'Interest'), children: formatYuan(data.interest) },
          {
            label: out ? t('划出资金', 'Funds paid') : t('到账资金', 'Funds'),
            children: formatYuan(data.funds),
          },
          {
            label: t('在途挂账', 'Waiting'),
            children: data.held ? (
              <Typography.Text type="warning">
                {formatYuan(data.held.amount)} ·{' '}
                {data.fundsReturnable
                  ? t(
                      '21904 转移接续待匹配款项（业务已终止，待退回原中心）',
                      '21904 transfer funds (the transfer ended: to be paid back to the old center)',
                    )
                  : word(WAITING_ACCOUNT_WORDS, data.held.ledgerAccount, lang)}
              </Typography.Text>
            ) : (
              t('无', 'None')
            ),
          },
          ...(out ? [] : [{ label: t('计入月数', 'Months credited'), children: data.monthsCredited }]),
          ...(data.returnSerial
            ? [
                {
                  label: t('已退回原中心', 'Paid back'),
                  children: (
                    <span data-testid="transfer-returned">
                      {formatYuan(data.funds)} · {data.returnedOn} · {data.returnSerial}
                    </span>
                  ),
                },
              ]
            : []),
          { label: t('待发报文', 'Queued messages'), children: data.pendingMessages },
        ]}
      />
      {data.fundsReturnable && hasRole('finance', 'manager') && (
        <>
          <Button
            type="primary"
            icon={<RollbackOutlined />}
            style={{ marginBottom: 16 }}
            onClick={() => setReturning(true)}
          >
            {t('退回原中心', 'Pay back to the old center')}
          </Button>
          <ReturnFundsDialog
            transfer={data}
            open={returning}
            onClose={(refused) => {
              setReturning(false);
              if (refused) reload();
            }}
            onReturned={() => {
              setReturning(false);
              void message.success(t('资金已退回原中心', 'The money was paid back to the old center'));
              reload();
              onChanged();
            }}
          />
        </>
      )}
      {data.cancellable && hasRole('teller', 'manager') && (
        <>
          <Button
            danger
            icon={<StopOutlined />}
            style={{ marginBottom: 16 }}
            onClick={() => setCancelling(true)}
          >
            {t('撤销转入', 'Cancel the transfer in')}
          </Button>
          <TransferCancelDialog
            as="staff"
            transfer={data}
            open={cancelling}
            onClose={(refused) => {
              setCancelling(false);
              if (refused) reload();
            }}
            onCancelled={(after) => {
              setCancelling(false);
              void message.success(
                after.pendingMessages > 0
                  ? t(
                      '已撤销；撤销报文待平台恢复后发出',
                      'Cancelled; the status message goes when the platform is back',
                    )
                  : t('已撤销，已通知原中心', 'Cancelled; the old center was told'),
              );
              reload();
              onChanged();
            }}
          />
        </>
      )}
      {letter && (
        <Card size="small" type="inner" title={t('联系函', 'Contact letter')} style={{ marginBottom: 16 }}>
          <Descriptions
            size="small"
            column={{ xs: 1, md: 2 }}
            items={[
              { label: t('姓名', 'Name'), children: letter.person.name },
              { label: t('证件号码', 'ID number'), children: letter.person.idNumber },
              { label: t('手机', 'Phone'), children: letter.person.phone },
              {
                label: t('转出中心 / 原账号', 'Old center / account'),
                children: `${letter.oldCenterName} · ${letter.oldAccountNumber}`,
              },
              {
                label: t('转入中心 / 新账号', 'New center / account'),
                children: `${letter.newCenterName} · ${letter.newAccountNumber}`,
              },
              {
                label: t('收款账户', 'Receiving bank'),
                children: `${letter.receivingBank.bankName} ${letter.receivingBank.accountNumber}`,
              },
            ]}
          />
        </Card>
      )}
      <Card size="small" type="inner" title={t('账户信息表', 'Account sheet')} style={{ marginBottom: 16 }}>
        {sheet ? (
          <Descriptions
            data-testid="transfer-sheet"
            size="small"
            column={{ xs: 1, md: 2 }}
            items={[
              { label: t('账号', 'Account'), children: sheet.accountNumber },
              { label: t('姓名', 'Name'), children: sheet.name },
              { label: t('本金', 'Principal'), children: formatYuan(sheet.principal) },
              { label: t('当年利息', 'Interest'), children: formatYuan(sheet.interest) },
              { label: t('开户日期', 'Opened'), children: sheet.openDate },
              { label: t('缴至年月', 'Paid up to'), children: sheet.paidUpToMonth },
              { label: t('连续缴存月数', 'Continuous months'), children: sheet.continuousMonths },
              {
                label: t('近 6 个月连续缴存', 'Last six months continuous'),
                children: yes(sheet.lastSixMonthsContinuous),
              },
              {
                label: t('贷款次数 / 未结清', 'Loans used / outstanding'),
                children: `${sheet.loansUsed} / ${yes(sheet.loanOutstanding)}`,
              },
              { label: t('骗提骗贷记录', 'Fraud found'), children: yes(sheet.fraudFound) },
            ]}
          />
        ) : (
          <Nothing text={t('尚无账户信息表', 'No account sheet yet')} />
        )}
      </Card>
      <Card
        size="small"
        type="inner"
        title={t('报文时间线', 'Message timeline')}
        style={{ marginBottom: 16 }}
        extra={
          queued > 0 &&
          hasRole('teller', 'manager') && (
            <Button
              size="small"
              type="primary"
              icon={<SendOutlined />}
              loading={resending}
              onClick={() => void resend()}
            >
              {t('立即重发待发送报文', 'Send queued messages now')}
            </Button>
          )
        }
      >
        <ErrorAlert error={resendError} />
        {resent && (
          <Alert
            data-testid="resend-result"
            type={resent.stillQueued === 0 && resent.rejected === 0 ? 'success' : 'warning'}
            showIcon
            closable={{ onClose: () => setResent(undefined) }}
            style={{ marginBottom: 12 }}
            title={t(
              `已发送 ${resent.sent + resent.confirmedByQuery} 条，失败 ${resent.rejected} 条，仍待发送 ${resent.stillQueued} 条`,
              `Sent ${resent.sent + resent.confirmedByQuery}, failed ${resent.rejected}, still queued ${resent.stillQueued}`,
            )}
            description={
              resendNotes.length > 0 && (
                <Space orientation="vertical" size={0}>
                  {resendNotes.map((note) => (
                    <span key={note}>{note}</span>
                  ))}
                </Space>
              )
            }
          />
        )}
        {data.messages.length === 0 ? (
          <Nothing text={t('尚无报文', 'No messages yet')} />
        ) : (
          <Timeline
            data-testid="transfer-timeline"
            items={data.messages.map((m) => ({
              key: m.messageId,
              color: messageColor(m),
              content: (
                <Space orientation="vertical" size={0}>
                  <Typography.Text strong>
                    {m.direction === 'inbound' ? t('收到', 'Received') : t('发出', 'Sent')}{' '}
                    {word(MESSAGE_TYPE_WORDS, m.type, lang)}
                    {m.status && ` ${m.status} ${word(TRANSFER_PLATFORM_STATUS_WORDS, m.status, lang)}`}
                    {m.reason && ` · ${word(TRANSFER_REFUSAL_WORDS, m.reason, lang)}`}
                    {m.amount && ` · ${formatYuan(m.amount)}`}
                  </Typography.Text>
                  <Typography.Text type="secondary">
                    {new Date(m.sentAt ?? m.createdAt).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB')} ·{' '}
                    {word(MESSAGE_STATE_WORDS, m.state, lang)}
                    {m.attempts > 1 && ` · ${t(`尝试 ${m.attempts} 次`, `${m.attempts} attempts`)}`}
                    {m.lastError && ` · ${m.lastError}`}
                  </Typography.Text>
                </Space>
              ),
            }))}
          />
        )}
      </Card>
      <Card size="small" type="inner" title={t('会计分录', 'Journal entries')}>
        <Table
          rowKey="entryId"
          size="small"
          pagination={false}
          dataSource={data.entries}
          locale={{ emptyText: <Nothing text={t('无', 'None')} /> }}
          columns={[
            { title: t('凭证', 'Entry'), dataIndex: 'entryId' },
            { title: t('账套', 'Book'), dataIndex: 'book' },
            { title: t('日期', 'Date'), dataIndex: 'businessDate' },
            { title: t('摘要', 'Memo'), dataIndex: 'memo' },
            { title: t('金额', 'Amount'), align: 'right', render: (_, e) => formatYuan(e.amount) },
          ]}
        />
      </Card>
    </div>
  );
}

interface StartValues {
  oldCenterCode: string;
  oldCenterName: string;
  oldAccountNumber: string;
}

export default function Transfers() {
  const { t, lang } = useLang();
  const { hasRole } = useStaff();
  const { message } = App.useApp();
  const [direction, setDirection] = useState<'in' | 'out'>();
  const [stage, setStage] = useState<string>();
  const [selected, setSelected] = useState<Transfer>();
  const [starting, setStarting] = useState(false);
  const [account, setAccount] = useState<PickedAccount | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [key, setKey] = useState(() => newIdempotencyKey('transfer-in'));
  const [form] = Form.useForm<StartValues>();
  const list = useApi(
    (signal) =>
      call<{ items: Transfer[] }>(
        'GET',
        '/transfers' + query({ direction, stage, limit: 200 }),
        undefined,
        signal,
      ),
    [direction, stage],
  );

  const start = async (values: StartValues) => {
    if (!account) {
      setError(new Error(t('请选择转入账户', 'Choose the account to transfer into')));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await call('POST', '/transfers/in', {
        accountId: account.accountId,
        oldCenterCode: values.oldCenterCode.trim(),
        oldCenterName: values.oldCenterName.trim(),
        oldAccountNumber: values.oldAccountNumber.trim(),
        idempotencyKey: key,
      });
      void message.success(t('联系函已发出', 'Contact letter sent'));
      setStarting(false);
      setKey(newIdempotencyKey('transfer-in'));
      form.resetFields();
      list.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      title={t('转移接续', 'Transfers')}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={list.reload} loading={list.loading}>
            {t('刷新', 'Refresh')}
          </Button>
          {hasRole('teller', 'manager') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setStarting(true)}>
              {t('办理转入', 'Start a transfer in')}
            </Button>
          )}
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          aria-label={t('方向', 'Direction')}
          placeholder={t('方向：全部', 'Direction: all')}
          style={{ width: 160 }}
          value={direction}
          onChange={setDirection}
          options={[
            { value: 'in', label: t('转入', 'In') },
            { value: 'out', label: t('转出', 'Out') },
          ]}
        />
        <Select
          allowClear
          aria-label={t('阶段', 'Stage')}
          placeholder={t('阶段：全部', 'Stage: all')}
          style={{ width: 200 }}
          value={stage}
          onChange={setStage}
          options={Object.keys(TRANSFER_STAGE_WORDS).map((s) => ({
            value: s,
            label: word(TRANSFER_STAGE_WORDS, s, lang),
          }))}
        />
      </Space>
      <ErrorAlert error={list.error} />
      <Card>
        <Table<Transfer>
          rowKey="transferId"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: <Nothing text={t('暂无转移业务', 'No transfers')} /> }}
          scroll={{ x: 1200 }}
          columns={[
            {
              title: t('业务编号', 'Transfer no.'),
              render: (_, r) => (
                <Button type="link" style={{ padding: 0 }} onClick={() => setSelected(r)}>
                  {r.transferNo}
                </Button>
              ),
            },
            {
              title: t('方向', 'Direction'),
              render: (_, r) => (
                <Tag color={r.direction === 'in' ? 'green' : 'orange'}>
                  {r.direction === 'in' ? t('转入', 'In') : t('转出', 'Out')}
                </Tag>
              ),
            },
            {
              title: t('对方中心', 'Peer center'),
              render: (_, r) => `${r.peerCenterName} (${r.peerCenterCode})`,
            },
            { title: t('对方账号', 'Peer account'), dataIndex: 'peerAccountNumber' },
            {
              title: t('本中心账户', 'Account here'),
              render: (_, r) =>
                r.accountNumber ? (
                  <Space orientation="vertical" size={0}>
                    {r.accountNumber}
                    {r.depositorId && (
                      <Link to={`/console/depositors/${r.depositorId}`}>{r.depositorName ?? '—'}</Link>
                    )}
                  </Space>
                ) : (
                  '—'
                ),
            },
            {
              title: t('阶段', 'Stage'),
              render: (_, r) => (
                <Space size={4}>
                  {word(TRANSFER_STAGE_WORDS, r.stage, lang)}
                  {r.refusalReason && (
                    <Tag color={r.stage === 'cancelled' ? 'default' : 'red'}>
                      {word(TRANSFER_REFUSAL_WORDS, r.refusalReason, lang)}
                    </Tag>
                  )}
                </Space>
              ),
            },
            {
              title: t('平台状态', 'Platform'),
              render: (_, r) =>
                r.platformStatus
                  ? `${r.platformStatus} ${word(TRANSFER_PLATFORM_STATUS_WORDS, r.platformStatus, lang)}`
                  : '—',
            },
            { title: t('资金', 'Funds'), align: 'right', render: (_, r) => formatYuan(r.funds) },
            {
              title: t('待发报文', 'Queued'),
              render: (_, r) => (r.pendingMessages > 0 ? <Tag color="red">{r.pendingMessages}</Tag> : 0),
            },
            { title: t('日期', 'Date'), dataIndex: 'businessDate' },
          ]}
        />
      </Card>
      <Drawer
        open={!!selected}
        onClose={() => setSelected(undefined)}
        title={selected?.transferNo}
        size="large"
      >
        {selected && (
          <TransferDetailsView
            key={selected.transferId}
            transferId={selected.transferId}
            onChanged={list.reload}
          />
        )}
      </Drawer>
      <Drawer
        forceRender
        open={starting}
        onClose={() => setStarting(false)}
        title={t('办理转入', 'Start a transfer in')}
        size="large"
        extra={
          <Button type="primary" loading={busy} onClick={() => form.submit()}>
            {t('发送联系函', 'Send the letter')}
          </Button>
        }
      >
        <ErrorAlert error={error} />
        <Form<StartValues> form={form} name="transfer-in" layout="vertical" onFinish={(v) => void start(v)}>
          <Form.Item label={t('转入账户（本中心）', 'Account here')} required>
            <AccountPicker onPick={setAccount} />
          </Form.Item>
          <Form.Item
            name="oldCenterCode"
            label={t('原中心代码', 'Old center code')}
            rules={[{ required: true, whitespace: true, message: t('请填写', 'Required') }, { max: 20 }]}
          >
            <Input maxLength={20} />
          </Form.Item>
          <Form.Item
            name="oldCenterName"
            label={t('原中心名称', 'Old center name')}
            rules={[{ required: true, whitespace: true, message: t('请填写', 'Required') }, { max: 100 }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="oldAccountNumber"
            label={t('原个人账号', 'Old account number')}
            rules={[{ required: true, whitespace: true, message: t('请填写', 'Required') }, { max: 40 }]}
          >
            <Input maxLength={40} />
          </Form.Item>
        </Form>
      </Drawer>
    </Page>
  );
}
