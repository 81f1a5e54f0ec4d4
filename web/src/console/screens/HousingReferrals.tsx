// The housing-security referral list (rules.md §5.1, ours): depositors who asked to be referred to the
// public-rental and affordable-rental queues and are still eligible on the business date, as the server
// lists them (a district viewer sees their district), downloadable as CSV or Excel for the department.
import { useState } from 'react';
import { Button, Card, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { download } from '../../lib/api.ts';
import { useLang } from '../../lib/i18n.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { formatYuan } from '../../lib/money.ts';
import { useApi } from '../../lib/useApi.ts';
import { call } from '../call.ts';
import { Page } from '../Page.tsx';
import { Nothing } from '../Loading.tsx';
import { labelOf, useReference } from '../reference.ts';
import { word } from '../labels.ts';

interface Referral {
  name: string;
  idNumberMasked: string;
  phone: string;
  districtCode: string;
  accountNumber: string;
  consecutiveMonths: number;
  balance: string;
  queues: string[];
  householdSize: number;
  requestedOn: string;
}

const QUEUE_WORDS: Record<string, [string, string]> = {
  public_rental: ['公租房', 'Public rental'],
  affordable_rental: ['保障性租赁住房', 'Affordable rental'],
};

export default function HousingReferrals() {
  const { t, lang } = useLang();
  const reference = useReference();
  const [downloading, setDownloading] = useState<'csv' | 'xlsx'>();
  const [downloadError, setDownloadError] = useState<unknown>();
  const list = useApi(
    (signal) =>
      call<{ businessDate: string; items: Referral[] }>(
        'GET',
        '/housing-referrals?format=json',
        undefined,
        signal,
      ),
    [],
  );
  const businessDate = list.data?.businessDate;
  const get = (format: 'csv' | 'xlsx') => {
    setDownloading(format);
    setDownloadError(undefined);
    download(
      `/housing-referrals?format=${format}`,
      'staff',
      `housing-referrals-${businessDate ?? 'list'}.${format}`,
    )
      .catch(setDownloadError)
      .finally(() => setDownloading(undefined));
  };
  const empty = !list.data || list.data.items.length === 0;
  return (
    <Page
      title={t('住房保障推荐', 'Housing-security referrals')}
      extra={
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={list.reload} loading={list.loading}>
            {t('刷新', 'Refresh')}
          </Button>
          <Button
            icon={<DownloadOutlined />}
            onClick={() => get('csv')}
            loading={downloading === 'csv'}
            disabled={empty}
          >
            {t('下载 CSV', 'Download CSV')}
          </Button>
          <Button
            type="primary"
            icon={<DownloadOutlined />}
            onClick={() => get('xlsx')}
            loading={downloading === 'xlsx'}
            disabled={empty}
          >
            {t('下载 Excel', 'Download Excel')}
          </Button>
        </Space>
      }
    >
      <ErrorAlert error={list.error ?? downloadError} />
      <Card>
        <Typography.Paragraph type="secondary">
          {businessDate
            ? t(
                `截至会计日期 ${businessDate}：已申请推荐且仍符合租房提取条件（连续缴存、无贷款、账户正常或封存）的缴存人，共 ${list.data?.items.length ?? 0} 人。`,
                `As of business date ${businessDate}: depositors who asked to be referred and still qualify (consecutive deposits, no loan, account open or sealed): ${list.data?.items.length ?? 0}.`,
              )
            : t('加载中…', 'Loading…')}
        </Typography.Paragraph>
        <Table<Referral>
          rowKey={(r) => r.accountNumber}
          size="small"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: <Nothing text={t('暂无待推荐的缴存人', 'No one waits to be referred')} /> }}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 960 }}
          columns={[
            {
              title: t('姓名 / 电话', 'Name / phone'),
              render: (_, r) => (
                <span>
                  {r.name}
                  <br />
                  <Typography.Text type="secondary">{r.phone}</Typography.Text>
                </span>
              ),
            },
            { title: t('证件号码', 'ID number'), dataIndex: 'idNumberMasked' },
            {
              title: t('个人账号 / 区县', 'Account / district'),
              render: (_, r) => (
                <span>
                  {r.accountNumber}
                  <br />
                  <Typography.Text type="secondary">
                    {labelOf(reference.data?.districts, r.districtCode, lang)}
                  </Typography.Text>
                </span>
              ),
            },
            {
              title: t('连续缴存', 'Months'),
              align: 'right',
              dataIndex: 'consecutiveMonths',
            },
            { title: t('账户余额', 'Balance'), align: 'right', render: (_, r) => formatYuan(r.balance) },
            {
              title: t('申请保障类型', 'Queues'),
              render: (_, r) => (
                <Space size={4} wrap>
                  {r.queues.map((q) => (
                    <Tag key={q} color="blue">
                      {word(QUEUE_WORDS, q, lang)}
                    </Tag>
                  ))}
                </Space>
              ),
            },
            { title: t('家庭人口', 'Household'), align: 'right', dataIndex: 'householdSize' },
            { title: t('申请日期', 'Requested on'), dataIndex: 'requestedOn' },
          ]}
        />
      </Card>
    </Page>
  );
}
