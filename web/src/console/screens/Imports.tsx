// The social-insurance import (养老保险参保记录): a CSV or .xlsx file sent as base64; the report shows the
// rows read, matched and newly verified flexible workers, the unmatched people and the malformed rows. The
// same file twice changes nothing (the report says so).
import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Space, Table, Tag, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useLang } from '../../lib/i18n.tsx';
import { ErrorAlert } from '../../lib/ErrorAlert.tsx';
import { useSubmit } from '../../lib/useSubmit.ts';
import { call } from '../call.ts';
import { Page } from '../Page.tsx';
import { Nothing } from '../Loading.tsx';

interface Unmatched {
  row: number;
  idNumberMasked: string;
  name: string;
  reason: 'no_depositor' | 'name_mismatch';
}

interface Malformed {
  row: number;
  field: string;
  code: string;
  message_zh: string;
  message_en: string;
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
  malformed: Malformed[];
}

const MAX_BYTES = 20 * 1024 * 1024;
const ACCEPTED = /\.(csv|xlsx)$/i;

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

export default function Imports() {
  const { t, lang } = useLang();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string>();
  const run = useSubmit(async (f: File) =>
    call<ImportReport>('POST', '/imports/social-insurance', {
      fileName: f.name,
      contentBase64: await toBase64(f),
    }),
  );
  const r = run.result;

  const choose = (f: File) => {
    run.reset();
    if (!ACCEPTED.test(f.name)) {
      setFileError(t('仅支持 CSV 或 .xlsx 文件', 'Only CSV or .xlsx files'));
      setFile(null);
    } else if (f.size === 0) {
      setFileError(t('文件为空', 'The file is empty'));
      setFile(null);
    } else if (f.size > MAX_BYTES) {
      setFileError(t('文件不得超过 20 MB', 'The file must be at most 20 MB'));
      setFile(null);
    } else {
      setFileError(undefined);
      setFile(f);
    }
  };

  return (
    <Page title={t('社保数据导入', 'Social-insurance import')}>
      <Card style={{ marginBottom: 16 }}>
        <Alert
          type="info"
          style={{ marginBottom: 16 }}
          title={t(
            '导入养老保险参保记录（CSV 或 .xlsx，需含"身份证号码"和"姓名"列），用于核验灵活就业身份；同一文件重复导入不会改动数据。',
            'Import pension-insurance records (CSV or .xlsx with ID number and name columns) to verify flexible workers; importing the same file again changes nothing.',
          )}
        />
        {fileError && <Alert type="error" role="alert" style={{ marginBottom: 16 }} title={fileError} />}
        <ErrorAlert error={run.error} />
        <Space wrap align="start">
          <Upload
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            maxCount={1}
            beforeUpload={(f) => {
              choose(f);
              return false;
            }}
            onRemove={() => setFile(null)}
            fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
          >
            <Button icon={<UploadOutlined />}>{t('选择文件', 'Choose file')}</Button>
          </Upload>
          <Button
            type="primary"
            disabled={!file}
            loading={run.sending}
            onClick={() => {
              if (!file) {
                setFileError(t('请选择文件', 'Choose a file'));
                return;
              }
              void run.submit(file).then((done) => {
                if (done) setFile(null);
              });
            }}
          >
            {t('导入', 'Import')}
          </Button>
        </Space>
      </Card>
      {r && (
        <Card
          data-testid="si-import-report"
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
          <Card size="small" type="inner" title={t('未匹配', 'Unmatched')} style={{ marginBottom: 16 }}>
            <Table<Unmatched>
              rowKey="row"
              size="small"
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              dataSource={r.unmatched}
              locale={{ emptyText: <Nothing text={t('无', 'None')} /> }}
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
          </Card>
          <Card size="small" type="inner" title={t('格式错误', 'Malformed rows')}>
            <Table<Malformed>
              rowKey={(m) => `${m.row}-${m.field}`}
              size="small"
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              dataSource={r.malformed}
              locale={{ emptyText: <Nothing text={t('无', 'None')} /> }}
              columns={[
                { title: t('行', 'Row'), dataIndex: 'row' },
                { title: t('字段', 'Field'), dataIndex: 'field' },
                { title: t('代码', 'Code'), dataIndex: 'code' },
                {
                  title: t('说明', 'Message'),
                  render: (_, m) => (lang === 'en' ? m.message_en : m.message_zh),
                },
              ]}
            />
          </Card>
        </Card>
      )}
    </Page>
  );
}
