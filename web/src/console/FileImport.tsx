// The console's table-file imports (social-insurance records, unit files): choose a CSV or .xlsx file,
// checked before it is sent (type, empty, 20 MB), send it as base64 to the import endpoint, then show the
// endpoint's report (each screen renders its own) with the malformed rows in one common table.
import { useState, type ReactNode } from 'react';
import { Alert, Button, Card, Space, Table, Tag, Upload, type TableColumnsType } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useLang } from '../lib/i18n.tsx';
import { ErrorAlert } from '../lib/ErrorAlert.tsx';
import { fileToBase64 } from '../lib/file-base64.ts';
import { useSubmit } from '../lib/useSubmit.ts';
import { call } from './call.ts';
import { Nothing } from './Loading.tsx';

const MAX_BYTES = 20 * 1024 * 1024;
const ACCEPTED = /\.(csv|xlsx)$/i;

/** A row of the file the import could not read (readTableFile's report). */
export interface MalformedRow {
  row: number;
  field: string;
  code: string;
  message_zh: string;
  message_en: string;
}

export function FileImport<R>({
  path,
  description,
  children,
}: {
  /** The import endpoint under /api/v1 (POST { fileName, contentBase64 }). */
  path: string;
  /** What the file must hold, shown above the picker. */
  description: string;
  /** The endpoint's report, once an import is done. */
  children: (report: R) => ReactNode;
}) {
  const { t } = useLang();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string>();
  const run = useSubmit(async (f: File) =>
    call<R>('POST', path, { fileName: f.name, contentBase64: await fileToBase64(f) }),
  );

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
    <>
      <Card style={{ marginBottom: 16 }}>
        <Alert type="info" style={{ marginBottom: 16 }} title={description} />
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
      {run.result !== undefined && run.result !== null && children(run.result)}
    </>
  );
}

/** The report of one imported file: its name (and whether it was a repeat), then what the screen shows. */
export function ImportReportCard({
  testId,
  fileName,
  duplicate,
  children,
}: {
  testId: string;
  fileName: string;
  duplicate: boolean;
  children: ReactNode;
}) {
  const { t } = useLang();
  return (
    <Card
      data-testid={testId}
      title={
        <Space size={8}>
          {fileName}
          {duplicate && <Tag>{t('重复导入，未改动', 'Already imported, nothing changed')}</Tag>}
        </Space>
      }
      style={{ marginBottom: 16 }}
    >
      {children}
    </Card>
  );
}

/** One list of an import report: rows of the file, 20 a page, "none" when empty. */
export function ReportRows<T extends object>({
  title,
  rows,
  columns,
  rowKey = 'row' as keyof T & string,
  scrollX,
}: {
  title: ReactNode;
  rows: T[];
  columns: TableColumnsType<T>;
  rowKey?: (keyof T & string) | ((row: T) => string);
  scrollX?: number;
}) {
  const { t } = useLang();
  return (
    <Card size="small" type="inner" title={title} style={{ marginBottom: 16 }}>
      <Table<T>
        rowKey={rowKey}
        size="small"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        dataSource={rows}
        locale={{ emptyText: <Nothing text={t('无', 'None')} /> }}
        {...(scrollX === undefined ? {} : { scroll: { x: scrollX } })}
        columns={columns}
      />
    </Card>
  );
}

/** The rows of the file that could not be read, with the field and the reason in the user's language. */
export function MalformedRows({ rows }: { rows: MalformedRow[] }) {
  const { t, lang } = useLang();
  return (
    <ReportRows<MalformedRow>
      title={t('格式错误', 'Malformed rows')}
      rows={rows}
      rowKey={(m) => `${m.row}-${m.field}`}
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
  );
}
