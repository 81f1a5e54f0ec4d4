// The transfer platform inbox (转移接续, rules.md §5.4): transfers in and out with their stage and the
// platform's status; tellers start a transfer in (the contact letter goes to the old center).
import { useState } from 'react';
import { App, Button, Card, Drawer, Descriptions, Form, Input, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useLang } from '../../lib/i18n.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useApi } from '../../lib/useApi.ts';
import { call, newIdempotencyKey, query } from '../call.ts';
import { Page } from '../Page.tsx';
import { Nothing } from '../Loading.tsx';
import { AccountPicker, type PickedAccount } from '../AccountPicker.tsx';
import { TRANSFER_STAGE_WORDS, word } from '../labels.ts';
import { useStaff } from '../staff.tsx';

interface Transfer {
  transferId: string;
  transferNo: string;
  direction: 'in' | 'out';
  businessType: string;
  accountId: string | null;
  depositorId: string | null;
  peerCenterCode: string;
  peerCenterName: string;
  peerAccountNumber: string;
  stage: string;
  platformStatus: string | null;
  refusalReason: string | null;
  principal: string | null;
  interest: string | null;
  funds: string | null;
  monthsCredited: number;
  businessDate: string;
  pendingMessages: number;
}

const PLATFORM_STATUS: Record<string, [string, string]> = {
  '00': ['办结', 'Done'],
  '01': ['联系函已审核', 'Letter reviewed'],
  '02': ['联系函已受理', 'Letter accepted'],
  '05': ['转入撤销', 'Transfer-in cancelled'],
  '06': ['协商中', 'Under negotiation'],
  '08': ['信息表已审核', 'Sheet reviewed'],
  '13': ['转出拒绝', 'Transfer-out refused'],
  '20': ['协商后办结', 'Done after negotiation'],
  '40': ['失败', 'Failed'],
};

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
          scroll={{ x: 1000 }}
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
            { title: t('阶段', 'Stage'), render: (_, r) => word(TRANSFER_STAGE_WORDS, r.stage, lang) },
            {
              title: t('平台状态', 'Platform'),
              render: (_, r) =>
                r.platformStatus
                  ? `${r.platformStatus} ${word(PLATFORM_STATUS, r.platformStatus, lang)}`
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
          <Descriptions
            column={1}
            bordered
            size="small"
            items={[
              {
                label: t('方向', 'Direction'),
                children: selected.direction === 'in' ? t('转入', 'In') : t('转出', 'Out'),
              },
              { label: t('业务类型', 'Business type'), children: selected.businessType },
              {
                label: t('对方中心', 'Peer center'),
                children: `${selected.peerCenterName} (${selected.peerCenterCode})`,
              },
              { label: t('对方账号', 'Peer account'), children: selected.peerAccountNumber },
              { label: t('阶段', 'Stage'), children: word(TRANSFER_STAGE_WORDS, selected.stage, lang) },
              { label: t('平台状态', 'Platform status'), children: selected.platformStatus ?? '—' },
              { label: t('拒绝原因', 'Refusal'), children: selected.refusalReason ?? '—' },
              { label: t('本金', 'Principal'), children: formatYuan(selected.principal) },
              { label: t('利息', 'Interest'), children: formatYuan(selected.interest) },
              { label: t('到账资金', 'Funds'), children: formatYuan(selected.funds) },
              { label: t('计入月数', 'Months credited'), children: selected.monthsCredited },
              { label: t('待发报文', 'Queued messages'), children: selected.pendingMessages },
            ]}
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
