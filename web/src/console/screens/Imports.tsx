// The social-insurance import (养老保险参保记录): a CSV or .xlsx file sent as base64; the report shows the
// rows read, matched and newly verified flexible workers, the unmatched people and the malformed rows. The
// same file twice changes nothing (the report says so).
import { Descriptions } from 'antd';
import { useLang } from '../../lib/i18n.tsx';
import {
  FileImport,
  ImportReportCard,
  MalformedRows,
  ReportRows,
  type MalformedRow,
} from '../FileImport.tsx';
import { Page } from '../Page.tsx';

interface Unmatched {
  row: number;
  idNumberMasked: string;
  name: string;
  reason: 'no_depositor' | 'name_mismatch';
}

interface ImportReport {
  importId: string;
  fileName: string;
  fileSha256: string;
  duplicate: boolean;
  totalRows: number;
  matchedRows: number;
  newlyVerified: number;
  unmatched: Unmatched[];
  malformed: MalformedRow[];
}

export default function Imports() {
  const { t } = useLang();
  return (
    <Page title={t('社保数据导入', 'Social-insurance import')}>
      <FileImport<ImportReport>
        path="/imports/social-insurance"
        description={t(
          '导入养老保险参保记录（CSV 或 .xlsx，需含"身份证号码"和"姓名"列），用于核验灵活就业身份；同一文件重复导入不会改动数据。',
          'Import pension-insurance records (CSV or .xlsx with ID number and name columns) to verify flexible workers; importing the same file again changes nothing.',
        )}
      >
        {(r) => (
          <ImportReportCard testId="si-import-report" fileName={r.fileName} duplicate={r.duplicate}>
            <Descriptions
              size="small"
              bordered
              column={{ xs: 1, md: 4 }}
              style={{ marginBottom: 16 }}
              items={[
                { label: t('总行数', 'Rows'), children: r.totalRows },
                { label: t('已匹配', 'Matched'), children: r.matchedRows },
                { label: t('新核验', 'Newly verified'), children: r.newlyVerified },
                {
                  label: t('未匹配 / 格式错误', 'Unmatched / malformed'),
                  children: `${r.unmatched.length} / ${r.malformed.length}`,
                },
              ]}
            />
            <ReportRows<Unmatched>
              title={t('未匹配', 'Unmatched')}
              rows={r.unmatched}
              columns={[
                { title: t('行', 'Row'), dataIndex: 'row' },
                { title: t('证件号码', 'ID number'), dataIndex: 'idNumberMasked' },
                { title: t('姓名', 'Name'), dataIndex: 'name' },
                {
                  title: t('原因', 'Reason'),
                  render: (_, u) =>
                    u.reason === 'no_depositor'
                      ? t('无此缴存人', 'No such depositor')
                      : t('姓名不一致', 'Name does not match'),
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
