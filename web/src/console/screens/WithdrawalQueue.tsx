// The withdrawal review queue (maker-checker): each waiting withdrawal with why it waits; a reviewer or
// manager other than its maker approves (the payout follows) or rejects it with a reason.
import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, ReloadOutlined } from '@ant-design/icons';
import { useLang } from '../../lib/i18n.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useApi } from '../../lib/useApi.ts';
import { call } from '../call.ts';
import { Page } from '../Page.tsx';
import { Nothing } from '../Loading.tsx';
import { CHANNEL_WORDS, WITHDRAWAL_KIND_WORDS, word } from '../labels.ts';
import { useStaff } from '../staff.tsx';

interface QueueItem {
  withdrawalId: string;
  kind: string;
  channel: string;
  amount: string;
  reasons: Array<{ code: string; message_zh: string; message_en: string }>;
  maker: string;
  businessDate: string;
  contractNo: string | null;
  publicRental: boolean;
  accountNumber: string;
  name: string;
}

export default function WithdrawalQueue() {
  const { t, lang } = useLang();
  const { user } = useStaff();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [deciding, setDeciding] = useState<{ item: QueueItem; decision: 'approve' | 'reject' }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const {
    data,
    error: loadError,
    loading,
    reload,
  } = useApi(
    (signal) => call<{ items: QueueItem[] }>('GET', '/withdrawals/review-queue', undefined, signal),
    [],
  );
  const me = user ? `staff:${user.username}` : '';

  const decide = async (values: { reason?: string }) => {
    if (!deciding) return;
    setBusy(true);
    setError(undefined);
    try {
      await call('POST', `/withdrawals/${deciding.item.withdrawalId}/decision`, {
        decision: deciding.decision,
        reason: values.reason?.trim() ?? '',
      });
      void message.success(
        deciding.decision === 'approve' ? t('已批准', 'Approved') : t('已驳回', 'Rejected'),
      );
      setDeciding(undefined);
      form.resetFields();
      reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      title={t('提取复核', 'Withdrawal review')}
      extra={
        <Button icon={<ReloadOutlined />} onClick={reload} loading={loading}>
          {t('刷新', 'Refresh')}
        </Button>
      }
    >
      <ErrorAlert error={loadError ?? (deciding ? undefined : error)} />
      <Card>
        <Table<QueueItem>
          rowKey="withdrawalId"
          loading={loading}
          dataSource={data?.items ?? []}
          locale={{ emptyText: <Nothing text={t('没有待复核的提取', 'Nothing waits for review')} /> }}
          scroll={{ x: 1300 }}
          columns={[
            { title: t('编号', 'No.'), dataIndex: 'withdrawalId', width: 70 },
            { title: t('姓名', 'Name'), dataIndex: 'name' },
            { title: t('账号', 'Account'), dataIndex: 'accountNumber' },
            {
              title: t('类型', 'Kind'),
              render: (_, w) => (
                <Space size={4} wrap>
                  {word(WITHDRAWAL_KIND_WORDS, w.kind, lang)}
                  <Tag>{word(CHANNEL_WORDS, w.channel, lang)}</Tag>
                  {w.publicRental && <Tag color="purple">{t('公租房', 'Public rental')}</Tag>}
                </Space>
              ),
            },
            { title: t('金额', 'Amount'), align: 'right', render: (_, w) => formatYuan(w.amount) },
            {
              title: t('待复核原因', 'Why it waits'),
              width: 320,
              render: (_, w) => (
                <ul style={{ margin: 0, paddingLeft: 16 }}>
                  {w.reasons.map((r) => (
                    <li key={r.code}>
                      {lang === 'zh' ? r.message_zh : r.message_en}{' '}
                      <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
                        [{r.code}]
                      </Typography.Text>
                    </li>
                  ))}
                </ul>
              ),
            },
            { title: t('经办', 'Maker'), width: 170, render: (_, w) => `${w.maker} · ${w.businessDate}` },
            {
              title: t('操作', 'Actions'),
              fixed: 'right',
              width: 200,
              render: (_, w) => {
                const own = w.maker === me;
                const approve = (
                  <Button
                    type="primary"
                    size="small"
                    icon={<CheckOutlined />}
                    disabled={own}
                    onClick={() => setDeciding({ item: w, decision: 'approve' })}
                  >
                    {t('批准', 'Approve')}
                  </Button>
                );
                return (
                  <Space>
                    {own ? (
                      <Tooltip title={t('不能复核本人经办的业务', 'You cannot check your own work')}>
                        <span>{approve}</span>
                      </Tooltip>
                    ) : (
                      approve
                    )}
                    <Button
                      danger
                      size="small"
                      icon={<CloseOutlined />}
                      disabled={own}
                      onClick={() => setDeciding({ item: w, decision: 'reject' })}
                    >
                      {t('驳回', 'Reject')}
                    </Button>
                  </Space>
                );
              },
            },
          ]}
        />
      </Card>
      <Modal
        open={!!deciding}
        title={
          deciding?.decision === 'approve'
            ? t('批准提取', 'Approve the withdrawal')
            : t('驳回提取', 'Reject the withdrawal')
        }
        okText={deciding?.decision === 'approve' ? t('批准', 'Approve') : t('驳回', 'Reject')}
        okButtonProps={{ danger: deciding?.decision === 'reject', htmlType: 'submit' }}
        cancelText={t('取消', 'Cancel')}
        confirmLoading={busy}
        forceRender
        onOk={() => form.submit()}
        onCancel={() => {
          setDeciding(undefined);
          setError(undefined);
        }}
      >
        <ErrorAlert error={error} />
        {deciding && (
          <Typography.Paragraph>
            {deciding.item.name} · {deciding.item.accountNumber} ·{' '}
            <strong>{formatYuan(deciding.item.amount)}</strong>
          </Typography.Paragraph>
        )}
        <Form form={form} name="withdrawal-decision" layout="vertical" onFinish={decide}>
          <Form.Item
            name="reason"
            label={t('意见', 'Note')}
            rules={[
              {
                required: deciding?.decision === 'reject',
                whitespace: true,
                message: t('驳回须填写原因', 'Give the reason for rejecting'),
              },
              { max: 500 },
            ]}
          >
            <Input.TextArea rows={3} maxLength={500} autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </Page>
  );
}
