// The unit file import (单位及职工名册, rules.md §5.3): a CSV or .xlsx file sent as base64; units not yet
// known are registered and a unit account is opened for each employee registered here. The report shows
// the units created, the accounts opened (with the person's flexible account to convert), the rows already
// in place, the unmatched people and the malformed rows. The same file twice changes nothing.
import { Link } from 'react-router';
import { Card, Descriptions, Space, Typography } from 'antd';
import { useLang } from '../../lib/i18n.tsx';
import { formatYuan } from '../../lib/money.ts';
import { word } from '../labels.ts';
import { FileImport, ImportReportCard, MalformedRows, ReportRows } from '../FileImport.tsx';
import { Page } from '../Page.tsx';
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
          <ImportReportCard testId="unit-import-report" fileName={r.fileName} duplicate={r.duplicate}>
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
            <ReportRows<UnitImportCreated>
              title={t('新开单位账户', 'Accounts opened')}
              rows={r.created}
              scrollX={900}
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
            {r.existing.length > 0 && (
              <ReportRows
                title={t('已存在', 'Already in place')}
                rows={r.existing}
                columns={[
                  { title: t('行', 'Row'), dataIndex: 'row' },
                  { title: t('单位编号', 'Unit code'), dataIndex: 'employerCode' },
                  { title: t('姓名', 'Name'), dataIndex: 'name' },
                  { title: t('证件号码', 'ID number'), dataIndex: 'idNumberMasked' },
                  { title: t('单位账号', 'Unit account'), dataIndex: 'accountNumber' },
                ]}
              />
            )}
            <ReportRows<UnitImportUnmatched>
              title={t('未匹配', 'Unmatched')}
              rows={r.unmatched}
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
            <MalformedRows rows={r.malformed} />
          </ImportReportCard>
        )}
      </FileImport>
    </Page>
  );
}
