// The unit file import (单位及职工名册, rules.md §5.3): a CSV or .xlsx file sent as base64; units not yet
// known are registered and a unit account is opened for each employee registered here. The report shows
// the units created, the accounts opened (with the person's flexible account to convert), the rows already
// in place, the unmatched people and the malformed rows. The same file twice changes nothing.
import { Link } from 'react-router';
import { Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useLang } from '../../lib/i18n.tsx';
import { formatYuan } from '../../lib/money.ts';
import { word } from '../labels.ts';
import { FileImport, MalformedRows } from '../FileImport.tsx';
import { Page } from '../Page.tsx';
import { Nothing } from '../Loading.tsx';
import {
  UNMATCHED_REASON_WORDS,
  type UnitImportCreated,
  type UnitImportReport,
  type UnitImportUnmatched,
} from './unit-types.ts';

export default function UnitImport() {
  const { t, lang } = useLang();
  return (
    <Page
      title={t('单位名册导入', 'Unit file import')}
      extra={<Link to="/console/units">{t('单位列表', 'Units')}</Link>}
    >
      <FileImport<UnitImportReport>
        path="/units/imports"
        description={t(
          '导入单位及职工名册（CSV 或 .xlsx）。必需列：单位编号（或统一社会信用代码）、单位名称、区划代码、身份证号码、姓名；可选列：缴存基数、月缴存额。未登记的单位自动登记，已在本中心登记的职工开立单位账户；同一文件重复导入不会改动数据。',
          'Import a unit file (CSV or .xlsx). Required columns: employer code (or credit code), employer name, district code, ID number, name; optional: monthly base, monthly amount. New units are registered and a unit account is opened for each employee registered here; importing the same file again changes nothing.',
        )}
      >
        {(r) => (
          <Card
            data-testid="unit-import-report"
            title={
              <Space size={8}>
                {r.fileName}
                {r.duplicate && <Tag>{t('重复导入，未改动', 'Already imported, nothing changed')}</Tag>}
              </Space>
            }
            style={{ marginBottom: 16 }}
          >
            <Descriptions
              size="small"
              bordered
              column={{ xs: 1, md: 3 }}
              style={{ marginBottom: 16 }}
              items={[
                { label: t('总行数', 'Rows'), children: r.totalRows },
                { label: t('新登记单位', 'Units registered'), children: r.employersCreated.length },
                { label: t('新开单位账户', 'Accounts opened'), children: r.created.length },
                { label: t('已存在', 'Already in place'), children: r.existing.length },
                { label: t('未匹配', 'Unmatched'), children: r.unmatched.length },
                { label: t('格式错误', 'Malformed'), children: r.malformed.length },
              ]}
            />
            {r.employersCreated.length > 0 && (
              <Card
                size="small"
                type="inner"
                title={t('新登记单位', 'Units registered')}
                style={{ marginBottom: 16 }}
              >
                <Space wrap>
                  {r.employersCreated.map((e) => (
                    <Link key={e.employerId} to={`/console/units/${e.employerId}`}>
                      {e.name} ({e.code})
                    </Link>
                  ))}
                </Space>
              </Card>
            )}
            <Card
              size="small"
              type="inner"
              title={t('新开单位账户', 'Accounts opened')}
              style={{ marginBottom: 16 }}
            >
              <Table<UnitImportCreated>
                rowKey="row"
                size="small"
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                dataSource={r.created}
                locale={{ emptyText: <Nothing text={t('无', 'None')} /> }}
                scroll={{ x: 900 }}
                columns={[
                  { title: t('行', 'Row'), dataIndex: 'row' },
                  { title: t('单位编号', 'Unit code'), dataIndex: 'employerCode' },
                  { title: t('姓名', 'Name'), dataIndex: 'name' },
                  { title: t('证件号码', 'ID number'), dataIndex: 'idNumberMasked' },
                  { title: t('单位账号', 'Unit account'), dataIndex: 'accountNumber' },
                  {
                    title: t('缴存基数', 'Monthly base'),
                    align: 'right',
                    render: (_, c) => formatYuan(c.monthlyBase),
                  },
                  {
                    title: t('月缴存额', 'Monthly amount'),
                    align: 'right',
                    render: (_, c) => formatYuan(c.monthlyAmount),
                  },
                  {
                    title: t('灵活就业账户', 'Flexible account'),
                    render: (_, c) =>
                      c.flexibleAccountNumber ? (
                        <Typography.Text type="warning">
                          {c.flexibleAccountNumber} · {t('待转换', 'to convert')}
                        </Typography.Text>
                      ) : (
                        '—'
                      ),
                  },
                ]}
              />
            </Card>
            {r.existing.length > 0 && (
              <Card
                size="small"
                type="inner"
                title={t('已存在', 'Already in place')}
                style={{ marginBottom: 16 }}
              >
                <Table
                  rowKey="row"
                  size="small"
                  pagination={{ pageSize: 20, hideOnSinglePage: true }}
                  dataSource={r.existing}
                  columns={[
                    { title: t('行', 'Row'), dataIndex: 'row' },
                    { title: t('单位编号', 'Unit code'), dataIndex: 'employerCode' },
                    { title: t('姓名', 'Name'), dataIndex: 'name' },
                    { title: t('证件号码', 'ID number'), dataIndex: 'idNumberMasked' },
                    { title: t('单位账号', 'Unit account'), dataIndex: 'accountNumber' },
                  ]}
                />
              </Card>
            )}
            <Card size="small" type="inner" title={t('未匹配', 'Unmatched')} style={{ marginBottom: 16 }}>
              <Table<UnitImportUnmatched>
                rowKey="row"
                size="small"
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                dataSource={r.unmatched}
                locale={{ emptyText: <Nothing text={t('无', 'None')} /> }}
                columns={[
                  { title: t('行', 'Row'), dataIndex: 'row' },
                  { title: t('单位编号', 'Unit code'), dataIndex: 'employerCode' },
                  { title: t('证件号码', 'ID number'), dataIndex: 'idNumberMasked' },
                  { title: t('姓名', 'Name'), dataIndex: 'name' },
                  {
                    title: t('原因', 'Reason'),
                    render: (_, u) => word(UNMATCHED_REASON_WORDS, u.reason, lang),
                  },
                ]}
              />
            </Card>
            <MalformedRows rows={r.malformed} />
          </Card>
        )}
      </FileImport>
    </Page>
  );
}
